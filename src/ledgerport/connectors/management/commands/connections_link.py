"""`ledgerport connections link ORGNR PROVIDER`: a fresh activation link, printed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledgerport.connectors import services
from ledgerport.connectors.providers import OAUTH_PROVIDERS
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import company_by_orgnr


class Command(BaseCommand):
    help = "Create an activation link for a company and provider and print its URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("orgnr", help="organisation number, with or without hyphen")
        parser.add_argument("provider", choices=sorted(OAUTH_PROVIDERS))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            company = company_by_orgnr(orgnr=options["orgnr"])
        except (Company.DoesNotExist, Company.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from exc
        # No user: an operator at the console (the link records created_by=None).
        link = services.activation_link_create(user=None, company=company, provider=options["provider"])  # type: ignore[arg-type]
        self.stdout.write(services.activation_link_url(link))
