"""The tax data's upserts: idempotent, the upcoming rows replaced, the signatory encrypted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ledgerport.taxes import selectors, services
from ledgerport.taxes.models import EmployerDeclaration, TaxAccountTransaction
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

BOOKED = [
    services.TaxAccountRow(
        "T1", date(2026, 3, 12), date(2026, 3, 12), "Inbetalning bokförd 260312", Decimal("4000")
    ),
    services.TaxAccountRow(
        "T2", date(2026, 3, 12), date(2026, 3, 12), "Arbetsgivaravgift feb 2026", Decimal("-2402")
    ),
    services.TaxAccountRow(
        "T3", date(2026, 3, 12), date(2026, 3, 12), "Avdragen skatt feb 2026", Decimal("-1598.50")
    ),
]
UPCOMING = [
    services.TaxAccountRow(
        "", date(2026, 4, 13), None, "Arbetsgivaravgift mars 2026", Decimal("-2402"), date(2026, 4, 13)
    )
]


def _rows(company):
    return list(
        TaxAccountTransaction.objects.filter(company=company)
        .order_by("upcoming", "ident")
        .values_list("ident", "booked", "text", "amount", "upcoming", "due")
    )


def test_storing_twice_changes_nothing_and_upcoming_rows_are_replaced():
    company = CompanyFactory()
    first = services.tax_account_store(company, booked=BOOKED, upcoming=UPCOMING)
    assert first == {"created": 3, "updated": 0, "upcoming": 1}
    rows = _rows(company)
    again = services.tax_account_store(company, booked=BOOKED, upcoming=UPCOMING)
    assert again == {"created": 0, "updated": 0, "upcoming": 1}
    assert _rows(company) == rows
    # The upcoming row became booked: it is no longer upcoming.
    booked = [
        *BOOKED,
        services.TaxAccountRow(
            "T4", date(2026, 4, 13), date(2026, 4, 13), UPCOMING[0].text, Decimal("-2402")
        ),
    ]
    services.tax_account_store(company, booked=booked, upcoming=[])
    assert [r[0] for r in _rows(company)] == ["T1", "T2", "T3", "T4"]
    listed = selectors.tax_account_transactions(company, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert [t.ident for t in listed] == ["T1", "T2", "T3"]
    assert sum(t.amount for t in listed) == Decimal("-0.50")


def test_a_corrected_booked_row_is_updated_in_place():
    company = CompanyFactory()
    services.tax_account_store(company, booked=BOOKED, upcoming=[])
    pk = TaxAccountTransaction.objects.get(company=company, ident="T3").pk
    fixed = [
        *BOOKED[:2],
        services.TaxAccountRow("T3", date(2026, 3, 12), None, "Avdragen skatt feb 2026", Decimal("-1600")),
    ]
    assert services.tax_account_store(company, booked=fixed, upcoming=[])["updated"] == 1
    row = TaxAccountTransaction.objects.get(pk=pk)
    assert row.amount == Decimal("-1600") and row.interest_date is None


def test_declarations_upsert_per_period_with_the_signatory_encrypted():
    company = CompanyFactory()
    signed = datetime(2026, 3, 10, 8, 5, tzinfo=UTC)
    data = [
        services.DeclarationData(
            date(2026, 2, 1), Decimal("2402"), Decimal("1598.50"), 2, "uuid-1", "191212121212", signed
        )
    ]
    assert services.employer_declarations_store(company, data) == 1
    stored = EmployerDeclaration.objects.get(company=company)
    assert "191212121212" not in stored.signed_by_ciphertext
    assert selectors.employer_declaration_signed_by(stored) == "191212121212"
    assert services.employer_declarations_store(company, data) == 0  # unchanged: not rewritten
    assert (
        EmployerDeclaration.objects.get(company=company).signed_by_ciphertext == stored.signed_by_ciphertext
    )
    listed = selectors.employer_declarations(company, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert [(d.period, d.deducted_tax) for d in listed] == [(date(2026, 2, 1), Decimal("1598.50"))]


def test_snapshot_keeps_the_latest():
    company = CompanyFactory()
    assert selectors.tax_account_snapshot(company) is None
    for balance in ("-100", "250.25"):
        services.tax_account_snapshot_store(
            company,
            balance=Decimal(balance),
            interest=Decimal("-3"),
            ocr="1655603607938",
            reconciled_on=None,
            updated_at_source=None,
        )
    snapshot = selectors.tax_account_snapshot(company)
    assert snapshot is not None and snapshot.balance == Decimal("250.25")
