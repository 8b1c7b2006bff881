"""The ORGNR [--firm NAME|ID] arguments shared by the console commands that act on one company."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import company_by_orgnr


def add_company_arguments(parser: CommandParser) -> None:
    parser.add_argument("orgnr", help="the company's organisation number, with or without the hyphen")
    parser.add_argument(
        "--firm", help="the firm's name or id, when several firms have a client with this number"
    )


def company_from_options(options: dict[str, Any]) -> Company:
    """The one company meant, or a CommandError that says what to add (never a traceback)."""
    try:
        return company_by_orgnr(orgnr=options["orgnr"], firm=options.get("firm"))
    except (Company.DoesNotExist, Company.MultipleObjectsReturned) as exc:
        raise CommandError(str(exc)) from exc
