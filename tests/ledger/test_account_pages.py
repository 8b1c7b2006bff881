"""An account's pages by keyset: every row once, in date order, with the right running balance."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledgerport.ledger import period_sums, selectors
from ledgerport.ledger.account_pages import RowKey, account_page
from ledgerport.ledger.models import Account, Balance, FiscalYear, Source, Voucher, VoucherRow

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(world):
    """1930 with 23 rows: several vouchers a day, vouchers created out of date order, and one
    voucher with two rows on the account; plus rows on another account that must not show."""
    year = FiscalYear.objects.create(
        company=world.a1, start=date(2024, 1, 1), end=date(2024, 12, 31), source=Source.SIE, full_ledger=True
    )
    bank = Account.objects.create(fiscal_year=year, number="1930", name="Bank", type="T")
    sales = Account.objects.create(fiscal_year=year, number="3001", name="Försäljning", type="I")
    Balance.objects.create(fiscal_year=year, kind="IB", account=bank, amount=Decimal("1000.00"))
    rng = random.Random(5)
    days = [date(2024, 1, 1) + timedelta(days=rng.choice([0, 0, 31, 40, 100, 200])) for _ in range(20)]
    for serial, day in enumerate(days, start=1):
        voucher = Voucher.objects.create(
            fiscal_year=year, series="A", number=str(serial), date=day, source=Source.SIE
        )
        amount = Decimal(rng.randint(-9999, 9999)).scaleb(-2)
        lines = [(bank, amount), (sales, -amount)]
        if serial % 7 == 0:  # two rows on the bank account in one voucher
            lines = [(bank, amount), (bank, Decimal("1.00")), (sales, -amount - 1)]
        for position, (target, value) in enumerate(lines):
            VoucherRow.objects.create(
                fiscal_year=year,
                voucher=voucher,
                account=target,
                position=position,
                amount=value,
                period=day.year * 100 + day.month,
            )
    period_sums.rebuild(year.pk)  # written by hand, not imported
    return bank


def _walk(account, size):
    pages = [account_page(account, size=size)]
    while pages[-1].next:
        pages.append(account_page(account, after=pages[-1].next, size=size))
    return pages


@pytest.mark.parametrize("size", [1, 3, 5, 23, 500])
def test_walking_forward_shows_every_row_once_in_date_order_with_its_balance(account, size):
    expected = list(selectors.account_rows(account))
    opening = selectors.account_opening(account)
    pages = _walk(account, size)
    seen = [row for page in pages for row, _ in page.rows]
    assert [(r.voucher_id, r.position) for r in seen] == [(r.voucher_id, r.position) for r in expected]
    balances = [balance for page in pages for _, balance in page.rows]
    assert balances == [opening + selectors.money(r.running) for r in expected]
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert all(p.pages == len(pages) for p in pages)
    assert pages[0].is_first and not pages[0].previous
    assert pages[-1].is_last and all(not p.is_last for p in pages[:-1])
    assert pages[-1].closing == opening + sum((r.amount for r in expected), Decimal(0))


def test_walking_back_returns_the_same_pages(account):
    pages = _walk(account, 4)
    back = pages[-1]
    for page in reversed(pages[:-1]):
        back = account_page(account, before=back.previous, size=4)
        assert back.rows == page.rows and back.number == page.number
    assert back.is_first


@pytest.mark.parametrize("token", ["", "nonsense", "2024-13-01.1.0", "2024-01-01.x.0", "1.2.3.4"])
def test_a_malformed_address_shows_the_first_page(account, token):
    first = account_page(account, size=5)
    assert account_page(account, after=token, size=5).rows == first.rows
    assert account_page(account, before=token, size=5).rows == first.rows


def test_an_address_past_either_end_shows_the_first_page(account):
    first = account_page(account, size=5)
    last_row = _walk(account, 5)[-1].rows[-1][0]
    assert account_page(account, after=RowKey.of(last_row).token(), size=5).rows == first.rows
    first_row = first.rows[0][0]
    assert account_page(account, before=RowKey.of(first_row).token(), size=5).rows == first.rows


def test_an_account_without_rows_shows_opening_and_closing(world):
    year = FiscalYear.objects.create(company=world.a1, start=date(2024, 1, 1), end=date(2024, 12, 31))
    empty = Account.objects.create(fiscal_year=year, number="1910", type="T")
    Balance.objects.create(fiscal_year=year, kind="IB", account=empty, amount=Decimal("5.00"))
    page = account_page(empty)
    assert page.rows == [] and page.is_first and page.is_last
    assert (page.opening, page.closing, page.number, page.pages) == (Decimal("5.00"), Decimal("5.00"), 1, 1)


def test_the_page_links_carry_the_keyset_and_no_query_uses_offset(client, world, account, monkeypatch):
    monkeypatch.setattr("ledgerport.ledger.account_pages.PAGE_SIZE", 5)
    client.force_login(world.accountant_a)
    url = reverse("ledger:account", args=[world.a1.pk, account.pk])
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url).content.decode()
    assert "Ingående balans" in first and "Utgående balans" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first and "Sida 1 av 5" in first
    token = account_page(account, size=5).next
    second = client.get(url, {"after": token}).content.decode()
    assert "Sida 2 av 5" in second and 'rel="prev"' in second and "Ingående balans" not in second
    assert all("OFFSET" not in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize(
    ("series", "number"), [("A", "1"), ("", ""), ("B 2", "x?y"), ("ö", "50%"), ("a#b", "1.5"), ("+", "&=")]
)
def test_the_rows_link_each_voucher_exactly_as_reverse_does(world, series, number):
    from ledgerport.ledger.templatetags.account_rows import voucher_path, voucher_path_prefix

    year = FiscalYear(company=world.a1, start=date(2024, 7, 1), end=date(2025, 6, 30))
    expected = reverse("ledger:voucher", args=[world.a1.pk, year.start, series, number])
    assert voucher_path(voucher_path_prefix(world.a1, year), series, number) == expected


def test_a_row_shows_date_voucher_text_amount_and_balance(client, world, account):
    client.force_login(world.accountant_a)
    row = selectors.account_rows(account)[0]
    body = client.get(reverse("ledger:account", args=[world.a1.pk, account.pk])).content.decode()
    voucher_url = reverse(
        "ledger:voucher", args=[world.a1.pk, row.voucher.fiscal_year.start, "A", row.voucher.number]
    )
    opening = selectors.account_opening(account)
    from ledgerport.ledger.templatetags.ledger import money

    side = (
        f'<td class="num">{money(row.amount)}</td><td class="num"></td>'
        if row.amount > 0
        else (f'<td class="num"></td><td class="num">{money(row.amount)}</td>')
    )
    assert (
        f'<td class="nowrap">{row.voucher.date.isoformat()}</td><td class="nowrap">'
        f'<a href="{voucher_url}?account={account.pk}">A {row.voucher.number}</a></td><td></td>{side}'
        f'<td class="num" data-testid="running-balance">{money(opening + row.amount)}</td>'
    ) in body


def test_the_rows_escape_text_and_addresses_exactly_as_format_html_does(world):
    from decimal import Decimal

    from django.utils.html import format_html

    from ledgerport.ledger.models import Account, Voucher, VoucherRow
    from ledgerport.ledger.templatetags.account_rows import (
        ROW,
        account_rows,
        voucher_path,
        voucher_path_prefix,
    )
    from ledgerport.ledger.templatetags.ledger import money

    year = FiscalYear(company=world.a1, start=date(2024, 1, 1), end=date(2024, 12, 31))
    account = Account(pk=7, fiscal_year=year, number="1930")
    hostile = [("'+", '&="', "<b>\"Ränta\"</b> & 'mer'"), ("A", "1", ""), ("<", ">", "x")]
    rows = []
    for pk, (series, number, text) in enumerate(hostile, start=1):
        voucher = Voucher(
            pk=pk, fiscal_year=year, series=series, number=number, date=date(2024, 3, pk), text="V"
        )
        rows.append(
            (VoucherRow(voucher=voucher, position=1, amount=Decimal("-12.50"), text=text), Decimal(pk))
        )
    prefix = voucher_path_prefix(world.a1, year)
    expected = "".join(
        format_html(
            ROW,
            row.voucher.date.isoformat(),
            voucher_path(prefix, row.voucher.series, row.voucher.number) + "?account=7",
            str(row.voucher),
            row.text or row.voucher.text,
            "",
            money(row.amount),
            money(balance),
        )
        for row, balance in rows
    )
    assert account_rows(world.a1, account, rows) == expected
    assert "&lt;b&gt;&quot;Ränta&quot;&lt;/b&gt; &amp; &#x27;mer&#x27;" in expected
