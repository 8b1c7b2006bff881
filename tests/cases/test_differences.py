"""Tax-check differences become cases with one click; the next refresh that no longer finds one
closes its case with a note (issue 13 point 7). Due dates come from the deadline calendar."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from ledgerport.analysis import deadlines
from ledgerport.analysis.services import tax_check_summaries_refresh
from ledgerport.analysis.tax_account_check import tax_account_analysis
from ledgerport.cases.differences import case_from_difference, differences_of, next_due_date
from ledgerport.cases.models import Case, CaseKind, CaseStatus
from ledgerport.ledger.models import FiscalYear
from ledgerport.taxes.models import TaxAccountTransaction
from tests.analysis.tax_world import TODAY, demo_company
from tests.concurrency import at_once
from tests.factories import build_world

UNBOOKED = "tax:unbooked:2025-12-06:-214.00"
LATE = "tax:late:2025-11-12"


def _year(company, start_year=2025):
    return FiscalYear.objects.get(company=company, start__year=start_year)


@pytest.mark.django_db
def test_one_click_on_the_tax_account_page_opens_a_prefilled_case(client, world):
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    year = _year(company)
    client.force_login(world.accountant_a)
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12), datetime.UTC)):
        page = client.get(reverse("analysis:tax_account", args=[company.pk, year.pk]))
        assert page.content.decode().count('data-testid="difference-open-case"') == 3
        response = client.post(reverse("cases:from_difference", args=[company.pk, year.pk]), {"key": LATE})
        case = Case.objects.get(company=company, subject_key=LATE)
        assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/")
        assert case.kind == CaseKind.TAX_DIFFERENCE and "2025-11-12" in case.title
        assert "5050-1055" in case.body and "kr saknades" in case.body
        # Due on the tax account's next due date after today, from the one calendar.
        assert case.due_date == datetime.date(2026, 12, 14) == next_due_date(TODAY)  # the 12th is a Saturday
        # Clicking again goes to the same case; the page now links it instead of offering a new one.
        again = client.post(reverse("cases:from_difference", args=[company.pk, year.pk]), {"key": LATE})
        assert again["Location"] == response["Location"]
        page = client.get(reverse("analysis:tax_account", args=[company.pk, year.pk])).content.decode()
    assert page.count('data-testid="difference-open-case"') == 2 and 'data-testid="difference-case"' in page
    assert Case.objects.filter(company=company).count() == 1
    gone = client.post(
        reverse("cases:from_difference", args=[company.pk, year.pk]), {"key": "tax:late:2020-01-01"}
    )
    assert gone.status_code == 302 and not Case.objects.filter(subject_key="tax:late:2020-01-01").exists()


def test_the_next_due_date_is_the_calendars():
    for day in (datetime.date(2026, 1, 1), datetime.date(2026, 8, 12), datetime.date(2026, 12, 27)):
        following = [d.date for y in (day.year, day.year + 1) for d in deadlines.tax_account_due_dates(y)]
        assert next_due_date(day) == min(d for d in following if d > day)


@pytest.mark.django_db
def test_a_refresh_that_no_longer_finds_the_difference_closes_its_case_with_a_note(world):
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    analysis = tax_account_analysis(company, _year(company), today=TODAY)
    unbooked, _opened = case_from_difference(
        company=company, user=world.accountant_a, analysis=analysis, key=UNBOOKED
    )
    late, _opened = case_from_difference(
        company=company, user=world.accountant_a, analysis=analysis, key=LATE
    )
    other = Case.objects.create(company=company, title="Fråga", kind=CaseKind.GENERAL)

    tax_check_summaries_refresh(company, today=TODAY)  # nothing changed: nothing closed
    assert {c.status for c in Case.objects.filter(company=company)} == {CaseStatus.OPEN}

    # The next sync: the interest debit was reversed (the row is gone from the tax account).
    TaxAccountTransaction.objects.filter(company=company, booked="2025-12-06", amount="-214.00").delete()
    assert UNBOOKED not in {
        d.key for d in differences_of(tax_account_analysis(company, _year(company), today=TODAY))
    }
    tax_check_summaries_refresh(company, today=TODAY)
    unbooked.refresh_from_db(), late.refresh_from_db(), other.refresh_from_db()
    assert unbooked.status == CaseStatus.CLOSED
    assert "Avslutat automatiskt" in unbooked.messages.last().body
    assert late.status == other.status == CaseStatus.OPEN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent clicks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_open_one_case():
    world = build_world()
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    analysis = tax_account_analysis(company, _year(company), today=TODAY)

    def click():
        return case_from_difference(company=company, user=world.accountant_a, analysis=analysis, key=LATE)

    results = at_once([click, click], timeout=30)
    assert Case.objects.filter(company=company, subject_key=LATE).count() == 1
    assert sorted(opened for _case, opened in results) == [False, True]
    assert len({case.pk for case, _opened in results}) == 1
