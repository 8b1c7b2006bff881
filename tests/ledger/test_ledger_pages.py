"""The general ledger, account and voucher pages and the loaded data against the sample file's
own balances (parsed independently)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ledgerport.ledger import selectors
from ledgerport.ledger.models import Account, FiscalYear
from ledgerport.ledger.templatetags.ledger import money
from tests.ledger.conftest import VISMA, declared_balances

ZERO = Decimal(0)


def test_general_ledger_runs_from_opening_to_closing_balance(imported):
    ub = declared_balances(VISMA, "UB", 0)
    ib = declared_balances(VISMA, "IB", 0)
    account = Account.objects.get(fiscal_year=imported, number="1930")
    opening = selectors.account_opening(account)
    assert opening == ib.get("1930", ZERO)
    rows = list(selectors.account_rows(account))
    balance = opening
    for row in rows:
        balance += row.amount
        assert opening + selectors.money(row.running) == balance  # the database's running sum
    assert balance == ub["1930"]
    summaries = {s.account.number: s for s in selectors.general_ledger_accounts(imported)}
    assert summaries["1930"].closing == ub["1930"]
    assert all(summaries[n].closing == ub[n] for n in ub if n in summaries)


def test_account_and_voucher_pages(client, world, imported):
    client.force_login(world.accountant_a)
    company = imported.company
    account = Account.objects.get(fiscal_year=imported, number="1910")
    body = client.get(reverse("ledger:account", args=[company.pk, account.pk])).content.decode()
    assert "Ingående balans" in body and "Utgående balans" in body
    ub = declared_balances(VISMA, "UB", 0)["1910"]
    assert money(ub) in body
    voucher = account.rows.order_by("voucher__date", "voucher_id").first().voucher
    args = [company.pk, voucher.fiscal_year.start, voucher.series, voucher.number]
    page = client.get(reverse("ledger:voucher", args=args)).content.decode()
    assert "Kaffebr" in page and "174,12" in page and "-195,00" in page
    # Another company's account through this company's URL: not found.
    other = Account.objects.create(
        fiscal_year=FiscalYear.objects.create(company=world.b1, start="2021-01-01", end="2021-12-31"),
        number="1910",
        type="T",
    )
    assert client.get(reverse("ledger:account", args=[company.pk, other.pk])).status_code == 404


def test_loaded_data_page_lists_years_with_source_and_counts(client, world, imported):
    client.force_login(world.accountant_a)
    body = client.get(reverse("web:company_ledger", args=[imported.company.pk])).content.decode()
    assert "Inläst data" in body
    assert "2021-01-01 – 2021-12-31" in body and "SIE-fil" in body
    assert ">295<" in body and ">1330<" in body
    assert "endast saldon" in body  # 2020: balances only


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234567.89"), "1\u00a0234\u00a0567,89"),
        (Decimal("-0.5"), "-0,50"),
        (Decimal("0"), "0,00"),
        (None, ""),
    ],
)
def test_money_is_written_the_swedish_way(value, text):
    assert money(value) == text
