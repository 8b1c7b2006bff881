"""The tax checks' traffic lights: kept per fiscal year, refreshed when data changed, shown in the
client list in one query whatever the number of clients."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledgerport.analysis.models import TaxCheckSummary
from ledgerport.analysis.selectors import tax_check_lights, tax_check_stale_companies
from ledgerport.analysis.services import tax_check_summaries_refresh
from ledgerport.analysis.tasks import tax_checks_refresh
from ledgerport.ledger.models import FiscalYear
from ledgerport.taxes.models import TaxAccountSnapshot
from ledgerport.taxes.services import tax_profile_set
from ledgerport.tenancy.services import company_create
from tests.analysis.tax_world import TODAY, demo_company

pytestmark = pytest.mark.django_db


def orgnr(n: int) -> str:
    """A valid Swedish org number (Luhn) for the n-th extra client."""
    base = f"559{n:06d}"
    total = sum(
        (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(map(int, base))
    )
    return base + str((10 - total % 10) % 10)


def test_summaries_are_refreshed_when_the_tax_account_changed(world):
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    assert list(tax_check_stale_companies()) == [company]
    assert tax_checks_refresh() == 1
    earlier, later = FiscalYear.objects.filter(company=company).order_by("start")
    findings = dict(TaxCheckSummary.objects.values_list("fiscal_year_id", "findings"))
    assert findings == {earlier.pk: 5, later.pk: 0}
    assert list(tax_check_stale_companies()) == []
    tax_profile_set(company, vat_period="monthly", large=False)  # the due dates may change
    assert list(tax_check_stale_companies()) == [company]
    assert tax_checks_refresh() == 1
    assert list(tax_check_stale_companies()) == []
    TaxAccountSnapshot.objects.filter(company=company).update(
        fetched_at=timezone.now() + timedelta(seconds=1)
    )
    assert list(tax_check_stale_companies()) == [company]

    lights = tax_check_lights(user=world.accountant_a, company_ids=[company.pk, world.a2.pk])
    assert set(lights) == {company.pk}
    assert (lights[company.pk].findings, lights[company.pk].fiscal_year_id) == (5, earlier.pk)
    assert tax_check_lights(user=world.admin_b, company_ids=[company.pk]) == {}


def test_a_company_without_tax_data_gets_no_summary(world, imported):
    assert tax_check_summaries_refresh(imported.company, today=TODAY) == []


def test_the_client_list_shows_the_lights_in_one_query_per_column(client, world):
    company, _ = demo_company(world.firm_a, "fjallbacka")
    tax_check_summaries_refresh(company, today=TODAY)
    client.force_login(world.accountant_a)
    url = reverse("web:company_list")
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert html.count('data-testid="tax-light"') == html.count('data-testid="company-row"')
    assert 'data-light="red"' in html and "5 avvikelser" in html
    assert 'data-light="none"' in html
    for n in range(20):
        other = company_create(firm=world.firm_a, name=f"Klient {n} AB", orgnr=orgnr(n))
        TaxCheckSummary.objects.create(
            company=other,
            fiscal_year=FiscalYear.objects.create(company=other, start="2025-01-01", end="2025-12-31"),
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('data-light="green"') == 20
    assert len(many.captured_queries) == len(few.captured_queries)
