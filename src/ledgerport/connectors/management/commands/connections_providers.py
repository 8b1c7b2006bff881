"""`ledgerport connections providers`: the registered providers, what they do, where they are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ledgerport.connectors import providers


class Command(BaseCommand):
    help = "List the providers in the registry: name, display name, whether it syncs, API base URL."

    def handle(self, *args: Any, **options: Any) -> None:
        for spec in providers.all():
            syncs = "sync" if spec.can_sync else ("settings" if spec.has_settings else "consent only")
            self.stdout.write(f"{spec.name}\t{spec.display_name}\t{syncs}\t{spec.conf['api_url']}")
