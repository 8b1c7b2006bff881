"""Statements, the general ledger and an account's rows are cached per version of the year's
ledger (web/fragments.py): a repeat view reads no sums, and every import shows at once."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ledgerport.ledger.models import Account, FiscalYear
from ledgerport.ledger.services import ledger_import_sie
from tests.ledger.sie_files import write_sie

pytestmark = pytest.mark.django_db


def _import(company, path, *, replace=False):
    with path.open("rb") as stream:
        ledger_import_sie(company=company, stream=stream, file_name=path.name, replace=replace)
    return FiscalYear.objects.get(company=company, start="2021-01-01")


def _pages(company, year):
    bank = Account.objects.get(fiscal_year=year, number="1930")
    return {
        "balance sheet": reverse("analysis:balance_sheet", args=[company.pk, year.pk]),
        "income statement": reverse("analysis:income_statement", args=[company.pk, year.pk]),
        "general ledger": reverse("ledger:general_ledger", args=[company.pk, year.pk]),
        "account page": reverse("ledger:account", args=[company.pk, bank.pk]),
    }


def _unmasked(body):
    """The page without its CSRF token (masked afresh on every response)."""
    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*', r"\1", body)


def _sum_queries(client, url):
    """The body, and how many queries read the per-month sums or the rows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    reads = [q["sql"] for q in queries if "ledger_periodsum" in q["sql"] or "ledger_voucherrow" in q["sql"]]
    return response.content.decode(), len(reads)


def test_every_import_shows_at_once_and_a_repeat_view_reads_no_sums(client, world, visma_company, tmp_path):
    client.force_login(world.accountant_a)
    # 1930 holds (n + 0.25) + (n + 1.25) for voucher n: 10 vouchers 125,00; 20 vouchers 450,00.
    year = _import(visma_company, write_sie(tmp_path / "ten.se", vouchers=10))
    pages = _pages(visma_company, year)
    for page, url in pages.items():
        first, reads = _sum_queries(client, url)
        assert reads, page  # computed
        assert "125,00" in first, page
        again, reads = _sum_queries(client, url)
        assert reads == 0, page  # from the cache
        assert _unmasked(again) == _unmasked(first), page

    year = _import(visma_company, write_sie(tmp_path / "twenty.se", vouchers=20), replace=True)
    assert _pages(visma_company, year) == pages  # the same addresses (the account was kept)
    for page, url in pages.items():
        body, reads = _sum_queries(client, url)
        assert reads, page  # the import made a new version: computed again
        assert "450,00" in body and "125,00" not in body, page


def test_the_cached_part_follows_the_language(client, world, visma_company, tmp_path):
    client.force_login(world.accountant_a)
    year = _import(visma_company, write_sie(tmp_path / "ten.se", vouchers=10))
    url = _pages(visma_company, year)["income statement"]
    assert "Rörelsens intäkter" in client.get(url).content.decode()
    client.cookies["ledgerport_language"] = "en"
    try:
        english = client.get(url).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request left English active
    assert "Operating income" in english and "Rörelsens intäkter" not in english
