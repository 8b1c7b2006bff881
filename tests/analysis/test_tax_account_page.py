"""The tax-account page of a fiscal year and its xlsx export."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ledgerport.ledger.models import FiscalYear
from tests.analysis.tax_world import demo_company

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_differences_and_exports_them(client, world):
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    earlier = FiscalYear.objects.filter(company=company).order_by("start").first()
    client.force_login(world.accountant_a)
    page = client.get(reverse("analysis:tax_account", args=[company.pk, earlier.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="unmatched-tax"' in html and "Kostnadsränta" in html
    assert 'data-testid="late-payments"' in html and 'data-testid="period-differences"' in html
    assert "<svg" in html and "polyline" in html
    assert 'data-testid="due-dates"' in html and html.count("Betalt för sent") == 1

    export = client.get(reverse("analysis:tax_account_export", args=[company.pk, earlier.pk]))
    assert export.status_code == 200
    book = load_workbook(BytesIO(b"".join(export.streaming_content)))
    assert len(book.sheetnames) == 6
    due = list(book.worksheets[5].iter_rows(values_only=True))
    assert [row[2] for row in due[1:]].count("Betalt för sent") == 1
    months = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(months) == 12  # the header and February..December (the account begins in February)
    unmatched = list(book.worksheets[1].iter_rows(values_only=True))
    assert [row[1] for row in unmatched[1:]][-1] == "Kostnadsränta"


def test_a_company_without_tax_data_is_told_how_to_get_it(client, world, imported):
    client.force_login(world.accountant_a)
    page = client.get(reverse("analysis:tax_account", args=[imported.company_id, imported.pk]))
    assert page.status_code == 200
    assert 'data-testid="no-tax-account"' in page.content.decode()


def test_a_client_role_cannot_open_it(client, world):
    company, _ = demo_company(world.firm_a, "fjallbacka")
    year = FiscalYear.objects.filter(company=company).first()
    client.force_login(world.admin_b)
    assert client.get(reverse("analysis:tax_account", args=[company.pk, year.pk])).status_code == 404
