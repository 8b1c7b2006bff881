"""Skatteverket against the sandbox: a scenario for a company, and the grant given or not."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ledgerport.connectors.models import Connection, ConnectionStatus

ORGNR = "5560360793"  # world.a1


def today() -> date:
    """The sandbox's today (Stockholm)."""
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


def scenario(day: date | None = None) -> dict[str, Any]:
    """A small tax account: last month's payroll taxes charged and paid, one upcoming row,
    two declared months. Amounts in Skatteverket's sign (negative = debt)."""
    on = day or today()
    first = on.replace(day=1)
    last_month = first - timedelta(days=1)
    before = last_month.replace(day=1) - timedelta(days=1)
    paid = first.replace(day=12) if on.day > 12 else last_month.replace(day=12)
    return {
        "company": ORGNR,
        "ocr": "1655603607938",
        "booked": [
            {
                "ident": "T1",
                "booked": str(before.replace(day=12)),
                "text": "Inbetalning bokförd",
                "amount": "5000",
            },
            {"ident": "T2", "booked": str(paid), "text": "Arbetsgivaravgift", "amount": "-3142.00"},
            {"ident": "T3", "booked": str(paid), "text": "Avdragen skatt", "amount": "-1598.50"},
            {"ident": "T4", "booked": str(paid), "text": "Kostnadsränta", "amount": "-12"},
        ],
        "upcoming": [
            {
                "booked": str(on + timedelta(days=10)),
                "due": str(on + timedelta(days=10)),
                "text": "Debiterad preliminärskatt",
                "amount": "-2000",
            },
        ],
        "declarations": [
            {
                "period": f"{before:%Y%m}",
                "employer_contributions": "3142",
                "deducted_tax": "1598.50",
                "individual_count": 2,
                "signed_by": "191212121212",
                "signed_at": "2026-01-10T08:05:00+00:00",
                "receipt_id": "kv-1",
            },
            {
                "period": f"{last_month:%Y%m}",
                "employer_contributions": "3300.25",
                "deducted_tax": "1700",
                "individual_count": 3,
                "receipt_id": "kv-2",
            },
        ],
    }


@pytest.fixture
def skv(providers_at_sandbox):
    """The sandbox with the scenario for world.a1 (no grant yet)."""
    providers_at_sandbox.control("skatteverket/scenario", **scenario())
    return providers_at_sandbox


def grant(sandbox: Any, orgnr: str = ORGNR) -> None:
    sandbox.control("skatteverket/grants/add", company=orgnr)


def remove_grant(sandbox: Any, orgnr: str = ORGNR) -> None:
    sandbox.control("skatteverket/grants/remove", company=orgnr)


def active_connection(company: Any) -> Connection:
    connection, _ = Connection.objects.update_or_create(
        company=company, provider="skatteverket", defaults={"status": ConnectionStatus.ACTIVE}
    )
    return connection
