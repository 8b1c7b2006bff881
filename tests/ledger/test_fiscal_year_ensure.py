"""The ledger creates fiscal years (`fiscal_year_ensure`), also when two processes ask at once."""

from __future__ import annotations

import time
from datetime import date

import pytest

from ledgerport.ledger import fiscal_years
from ledgerport.ledger.fiscal_years import FiscalYearOverlap, fiscal_year_ensure
from ledgerport.ledger.models import FiscalYear
from tests.concurrency import at_once, needs_postgres

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


def test_creates_once_returns_the_same_year_and_refuses_an_overlap(world):
    first = fiscal_year_ensure(company=world.a1, start=Y2025[0], end=Y2025[1])
    again = fiscal_year_ensure(company=world.a1, start=Y2025[0], end=Y2025[1])
    assert first.pk == again.pk and first.source is None and not first.full_ledger
    with pytest.raises(FiscalYearOverlap) as refused:
        fiscal_year_ensure(company=world.a1, start=date(2025, 7, 1), end=date(2026, 6, 30))
    assert refused.value.clash.pk == first.pk
    # Another company's years are its own.
    other = fiscal_year_ensure(company=world.b1, start=date(2025, 7, 1), end=date(2026, 6, 30))
    assert other.company_id == world.b1.pk
    assert FiscalYear.objects.filter(company=world.a1).count() == 1


def _at_once(calls, monkeypatch):
    """Run the calls in threads released together; each reads, waits, then writes (a wide race)."""
    overlapping = fiscal_years._overlapping

    def slow_check(*args, **kwargs):
        found = overlapping(*args, **kwargs)
        time.sleep(0.3)  # both would pass the check before either creates, were there no lock
        return found

    monkeypatch.setattr(fiscal_years, "_overlapping", slow_check)
    return at_once(calls, timeout=30)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_year_asked_twice_at_once_is_created_once(monkeypatch):
    from tests.factories import build_world

    company = build_world().a1
    results = _at_once(
        [lambda: fiscal_year_ensure(company=company, start=Y2025[0], end=Y2025[1])] * 2, monkeypatch
    )
    assert all(isinstance(r, FiscalYear) for r in results), results
    assert results[0].pk == results[1].pk  # type: ignore[union-attr]
    assert FiscalYear.objects.filter(company=company).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_years_asked_at_once_one_is_refused(monkeypatch):
    from tests.factories import build_world

    company = build_world().a1
    results = _at_once(
        [
            lambda: fiscal_year_ensure(company=company, start=Y2025[0], end=Y2025[1]),
            lambda: fiscal_year_ensure(company=company, start=date(2025, 7, 1), end=date(2026, 6, 30)),
        ],
        monkeypatch,
    )
    assert sorted(type(r).__name__ for r in results) == ["FiscalYear", "FiscalYearOverlap"], results
    assert FiscalYear.objects.filter(company=company).count() == 1
