"""`ledgerport connections link ORGNR PROVIDER`: a fresh activation link, printed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ledgerport.connectors import providers, services
from ledgerport.tenancy.management.company_argument import add_company_arguments, company_from_options


class Command(BaseCommand):
    help = "Create an activation link for a company and provider and print its URL."

    def add_arguments(self, parser: CommandParser) -> None:
        add_company_arguments(parser)
        # Providers connected on a settings page have no activation link.
        parser.add_argument("provider", choices=[s.name for s in providers.all() if not s.has_settings])

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_from_options(options)
        # No user: an operator at the console (the link records created_by=None).
        link = services.activation_link_create(user=None, company=company, provider=options["provider"])  # type: ignore[arg-type]
        self.stdout.write(services.activation_link_url(link))
