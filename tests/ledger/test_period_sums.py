"""The sums the import writes (PeriodSum) are what statements read: they must equal the rows.

A property test over random ledgers (accounts, months, amounts to the öre, objects):
imported, replaced by another, and re-imported with vouchers edited, added and removed, every
statement line, account balance and object sum equals the sum of its rows, and the
re-import's end state is the one a full import of the same file gives. Runs on SQLite and,
with DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport.analysis import reports
from ledgerport.ledger import selectors
from ledgerport.ledger.importer import clear
from ledgerport.ledger.models import Account, Balance, FiscalYear, PeriodSum, RowKind, Voucher, VoucherRow
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.sie import Row, RowChange
from ledgerport.sie import Voucher as SieVoucher
from ledgerport.tenancy.services import company_create
from tests.ledger.conftest import VISMA_ORGNR
from tests.ledger.sie_files import write_sie

ACCOUNTS = {"1510": "T", "1930": "T", "2440": "S", "2611": "S", "3001": "I", "4010": "K", "5010": "K"}
OBJECTS = [("1", "10"), ("1", "20"), ("6", "P1")]
ZERO = Decimal(0)

amounts = st.integers(-(10**9), 10**9).map(lambda ore: Decimal(ore).scaleb(-2))
objects = st.lists(st.sampled_from(OBJECTS), max_size=2, unique_by=lambda pair: pair[0])
rows = st.lists(st.tuples(st.sampled_from(sorted(ACCOUNTS)), amounts, objects), min_size=1, max_size=4)
vouchers = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28), rows), max_size=25)
# (account, amount, objects); a voucher: (month, day, rows) and a balancing row on 1930


def balanced(voucher):
    month, day, its_rows = voucher
    total = sum((amount for _account, amount, _refs in its_rows), ZERO)
    return month, day, [*its_rows, ("1930", -total, [])]


def sie_file(ledger, *, opening=()):
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", f"#ORGNR {VISMA_ORGNR}", "#RAR 0 20240101 20241231"]
    lines += [f'#KONTO {number} "Konto {number}"' for number in ACCOUNTS]
    lines += [f"#KTYP {number} {kind}" for number, kind in ACCOUNTS.items()]
    lines += ['#DIM 1 "Kostnadsställe"', '#DIM 6 "Projekt"']
    lines += [f'#OBJEKT {dim} "{obj}" "Objekt {obj}"' for dim, obj in OBJECTS]
    lines += [f"#IB 0 {number} {amount}" for number, amount in opening]
    for number, (month, day, its_rows) in enumerate(ledger, start=1):
        lines.append(f'#VER A {number} 2024{month:02d}{day:02d} "Verifikation {number}"')
        lines.append("{")
        for account, amount, refs in its_rows:
            refs_text = " ".join(f'{dim} "{obj}"' for dim, obj in refs)
            lines.append(f"#TRANS {account} {{{refs_text}}} {amount}")
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def load(company, ledger, **options):
    with io.BytesIO(sie_file(ledger, **options)) as stream:
        return ledger_import_sie(company=company, stream=stream, file_name="t.se", replace=True)


def expected(ledger):
    """From the generated ledger itself: per (account, month), per account debit/credit, per object."""
    movements = defaultdict(lambda: ZERO)
    debit, credit = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    by_object = defaultdict(lambda: ZERO)
    for month, _day, its_rows in ledger:
        for account, amount, refs in its_rows:
            movements[account, 202400 + month] += amount
            (debit if amount > 0 else credit)[account] += amount
            for dim, obj in refs:
                by_object[account, 202400 + month, dim, obj] += amount
    return movements, debit, credit, by_object


def check(fiscal_year, ledger):
    movements, debit, credit, by_object = expected(ledger)
    figures = selectors.year_figures(fiscal_year)
    for number in ACCOUNTS:
        for period in figures.periods:
            assert figures.movement(number, [period]) == movements[number, period], (number, period)
        assert figures.movement(number) == sum((movements[number, p] for p in figures.periods), ZERO)
    summaries = {s.account.number: s for s in selectors.general_ledger_accounts(fiscal_year)}
    for number in ACCOUNTS:
        summary = summaries.get(number)
        assert (summary.debit if summary else ZERO) == debit[number]
        assert (summary.credit if summary else ZERO) == credit[number]
        account = Account.objects.get(fiscal_year=fiscal_year, number=number)
        assert selectors.account_movement(account) == debit[number] + credit[number]
    # The sums equal the stored rows too (what the database holds, not only what was generated).
    stored_rows = {
        (r["account__number"], r["period"]): r["total"]
        for r in VoucherRow.objects.filter(fiscal_year=fiscal_year, kind=RowKind.TRANS)
        .values("account__number", "period")
        .annotate(total=Sum("amount"))
    }
    for (number, period), total in stored_rows.items():
        assert figures.movement(number, [period]) == selectors.money(total)
    objects_stored = {
        (s.account.number, s.period, s.dimension, s.object): s.amount
        for s in PeriodSum.objects.filter(fiscal_year=fiscal_year)
        .exclude(dimension="")
        .select_related("account")
    }
    assert objects_stored == {key: value for key, value in by_object.items() if key in objects_stored}
    assert set(objects_stored) == set(by_object)
    # Every statement line, with its section's sign.
    for kind in (reports.BALANCE, reports.INCOME):
        for period in (None, 202406):
            report = reports.report(fiscal_year, kind, period)
            for section in report.statement.sections:
                for group in section.groups:
                    for line in group.lines:
                        if line.computed:
                            continue
                        value = (
                            figures.closing(line.number, period)
                            if kind == reports.BALANCE
                            else (figures.movement(line.number, None if period is None else [period]))
                        )
                        assert line.values[-1 if kind == reports.BALANCE else 0] in (value, -value)


def snapshot(fiscal_year):
    """The year's content by what it says, not by ids: vouchers with rows, sums, balances."""
    numbers = dict(Account.objects.filter(fiscal_year=fiscal_year).values_list("id", "number"))
    rows = defaultdict(list)
    for r in VoucherRow.objects.filter(fiscal_year=fiscal_year).order_by("voucher_id", "position"):
        rows[r.voucher_id].append(
            (numbers[r.account_id], r.kind, r.position, r.amount, json.dumps(r.object_refs))
        )
    found = sorted(
        (v.series, v.number, v.date, v.text, v.source, tuple(rows[v.pk]))
        for v in Voucher.objects.filter(fiscal_year=fiscal_year)
    )
    sums = sorted(
        (numbers[s.account_id], s.period, s.dimension, s.object, s.debit, s.credit, s.row_count)
        for s in PeriodSum.objects.filter(fiscal_year=fiscal_year)
    )
    balances = sorted(
        (b.kind, numbers[b.account_id], b.amount) for b in Balance.objects.filter(fiscal_year=fiscal_year)
    )
    accounts = sorted(Account.objects.filter(fiscal_year=fiscal_year).values_list("number", "name", "type"))
    year = FiscalYear.objects.get(pk=fiscal_year.pk)
    return found, sums, balances, accounts, (year.voucher_count, year.row_count)


@pytest.fixture
def other_company(world):
    """The same org number in another firm: where a full import of the same file goes."""
    return company_create(firm=world.firm_b, name="Jämförelse AB", orgnr=VISMA_ORGNR)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(first=vouchers, second=vouchers, data=st.data())
def test_sums_equal_rows_after_import_replace_and_reimport(visma_company, other_company, first, second, data):
    first = [balanced(v) for v in first]
    load(visma_company, first, opening=[("1930", Decimal("100.00"))])
    fiscal_year = FiscalYear.objects.get(company=visma_company, start="2024-01-01")
    check(fiscal_year, first)

    replaced = [balanced(v) for v in second]  # a different ledger replaces the year
    load(visma_company, replaced)
    check(fiscal_year, replaced)

    # A resync: some vouchers removed, some edited, some added; only those are written.
    keep = data.draw(
        st.lists(st.sampled_from(["keep", "drop", "edit"]), min_size=len(replaced), max_size=len(replaced))
    )
    edited = [
        balanced(v)
        for v in data.draw(
            st.lists(
                st.tuples(st.integers(1, 12), st.integers(1, 28), rows),
                min_size=len(replaced),
                max_size=len(replaced),
            )
        )
    ]
    added = [balanced(v) for v in data.draw(vouchers)]
    changed = [
        voucher if what == "keep" else edited[index]
        for index, (voucher, what) in enumerate(zip(replaced, keep, strict=True))
        if what != "drop"
    ] + added
    before = set(Voucher.objects.filter(fiscal_year=fiscal_year).values_list("id", flat=True))
    result = load(visma_company, changed)
    check(fiscal_year, changed)
    after = set(Voucher.objects.filter(fiscal_year=fiscal_year).values_list("id", flat=True))
    # numbered by position, a voucher after a dropped one reads as edited (its number moved)
    assert len(after - before) <= len(changed)
    assert result.rows_written == sum(len(rows) for _m, _d, rows in changed) - (
        VoucherRow.objects.filter(voucher_id__in=after & before, kind=RowKind.TRANS).count()
    )

    for year in FiscalYear.objects.filter(company=other_company):  # left by an earlier example
        clear(year)
        year.delete()
    load(other_company, changed)
    full = FiscalYear.objects.get(company=other_company, start="2024-01-01")
    assert snapshot(fiscal_year) == snapshot(full)


def test_a_reimport_writes_only_the_vouchers_that_changed(visma_company):
    ledger = [
        balanced((month % 12 + 1, 10, [("3001", Decimal(-month - 100), [("1", "10")])]))
        for month in range(40)
    ]
    load(visma_company, ledger)
    fiscal_year = FiscalYear.objects.get(company=visma_company, start="2024-01-01")
    ids = dict(Voucher.objects.filter(fiscal_year=fiscal_year).values_list("number", "id"))

    edited = list(ledger)
    edited[5] = balanced((6, 10, [("3001", Decimal("-1.01"), [("6", "P1")])]))  # voucher 6 edited
    del edited[-1]  # voucher 40 removed
    edited.append(balanced((12, 31 - 3, [("4010", Decimal("5.00"), [])])))  # a new voucher 40
    result = load(visma_company, edited)

    now = dict(Voucher.objects.filter(fiscal_year=fiscal_year).values_list("number", "id"))
    unchanged = [n for n in ids if n not in ("6", "40")]
    assert all(now[n] == ids[n] for n in unchanged)  # not rewritten: same ids
    assert now["6"] != ids["6"] and now["40"] != ids["40"]
    assert result.rows == 80 and result.rows_written == 4
    assert Voucher.objects.filter(fiscal_year=fiscal_year).count() == 40
    check(fiscal_year, edited)


def test_a_reimport_of_the_same_vouchers_in_another_layout_writes_nothing(visma_company):
    """The fingerprint is the vouchers' content, not their bytes: quoted ids, TABs and blanks
    (what another program writes) leave every voucher as it is."""
    ledger = [balanced((month, 3, [("3001", Decimal("-12.50"), [("1", "10")])])) for month in range(1, 13)]
    load(visma_company, ledger)
    fiscal_year = FiscalYear.objects.get(company=visma_company, start="2024-01-01")
    ids = set(Voucher.objects.filter(fiscal_year=fiscal_year).values_list("id", flat=True))
    text = sie_file(ledger).decode("cp437")
    text = text.replace("#VER A ", '#VER "A" ').replace("#TRANS ", "\t#TRANS\t").replace("\r\n}", " \r\n}")
    with io.BytesIO(text.encode("cp437")) as stream:
        result = ledger_import_sie(company=visma_company, stream=stream, file_name="t.se", replace=True)
    assert result.rows == 24 and result.rows_written == 0
    assert set(Voucher.objects.filter(fiscal_year=fiscal_year).values_list("id", flat=True)) == ids
    check(fiscal_year, ledger)


def test_a_reimport_drops_the_sums_left_without_rows(visma_company):
    ledger = [
        balanced((1, 5, [("5010", Decimal("40.00"), [("6", "P1")])])),
        balanced((2, 5, [("4010", Decimal("7.00"), [])])),
    ]
    load(visma_company, ledger)
    fiscal_year = FiscalYear.objects.get(company=visma_company, start="2024-01-01")
    assert PeriodSum.objects.filter(fiscal_year=fiscal_year, account__number="5010").count() == 2
    edited = [balanced((1, 5, [("4010", Decimal("40.00"), [("6", "P1")])])), ledger[1]]
    result = load(visma_company, edited)
    assert result.rows_written == 2
    assert not PeriodSum.objects.filter(fiscal_year=fiscal_year, account__number="5010").exists()
    assert (
        PeriodSum.objects.get(
            fiscal_year=fiscal_year, account__number="4010", period=202401, dimension="6"
        ).row_count
        == 1
    )
    check(fiscal_year, edited)


@pytest.mark.django_db
def test_a_statement_reads_sums_not_rows(visma_company, tmp_path):
    """20,000 rows; the statements read a few dozen sums (on PostgreSQL: rows the plans scan)."""
    path = write_sie(tmp_path / "big.se", vouchers=5000, year=2024)
    with path.open("rb") as stream:
        ledger_import_sie(company=visma_company, stream=stream, file_name=path.name)
    fiscal_year = FiscalYear.objects.get(company=visma_company, start="2024-01-01")
    assert VoucherRow.objects.filter(fiscal_year=fiscal_year).count() == 20000
    with CaptureQueriesContext(connection) as queries:
        for kind in (reports.BALANCE, reports.INCOME):
            reports.report(fiscal_year, kind, None)
            reports.report(fiscal_year, kind, 202403)
        selectors.general_ledger_accounts(fiscal_year)
    assert not [q["sql"] for q in queries if "ledger_voucherrow" in q["sql"]]
    if connection.vendor != "postgresql":
        return
    read = 0
    with connection.cursor() as cursor:
        for query in queries:
            if not query["sql"].startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            stack = [plan[0]["Plan"]]
            while stack:
                node = stack.pop()
                if "Scan" in node["Node Type"]:
                    read += node["Actual Rows"] * node["Actual Loops"] + node.get("Rows Removed by Filter", 0)
                stack += node.get("Plans", [])
    assert read < 2000, read


def _fingerprint_functions():
    from ledgerport.ledger import loaders

    found = [loaders.python_fingerprint_batch]
    if loaders.FINGERPRINT_BATCH is not loaders.python_fingerprint_batch:
        found.append(loaders.FINGERPRINT_BATCH)
    return found


@pytest.mark.parametrize("fingerprint_batch", _fingerprint_functions())
def test_a_fingerprint_leaves_out_ids_and_line_numbers_only(fingerprint_batch):
    lines = [Row("1930", (), Decimal("10.00")), Row("2440", (("1", "Nord"),), Decimal("-10.00"), None, "x")]
    voucher = SieVoucher("A", "1", date(2024, 1, 5), "Hyra", None, "", lines, [], line=7)
    [first] = fingerprint_batch([(3, voucher)], "sie")
    assert fingerprint_batch([(4, replace(voucher, line=90))], "sie") == [first]  # year, line: not content
    assert fingerprint_batch([(3, voucher)], "fortnox") != [first]
    changed = [
        replace(voucher, rows=[lines[0]._replace(amount=Decimal("10.01")), lines[1]]),
        replace(voucher, text="Hyra!"),
        replace(voucher, series="B"),
        replace(voucher, number="11", series=""),  # not the same words moved between fields
        replace(voucher, date=date(2024, 1, 6)),
        replace(voucher, registered=date(2024, 1, 5)),
        replace(voucher, sign="ES"),
        replace(voucher, rows=lines[:1]),  # a row fewer
        replace(voucher, rows=[lines[0], lines[1]._replace(objects=(("1", "Syd"),))]),
        replace(voucher, rows=[lines[0], lines[1]._replace(objects=())]),
        replace(voucher, rows=[lines[0], lines[1]._replace(date=date(2024, 1, 5))]),
        replace(voucher, rows=[lines[0], lines[1]._replace(quantity=Decimal("2"))]),
        replace(voucher, rows=[lines[0], lines[1]._replace(text="")]),
        replace(voucher, rows=[lines[0], lines[1]._replace(sign="ES")]),
        replace(voucher, rows=[lines[0], lines[1]._replace(account="2441")]),
        replace(voucher, changes=[RowChange("added", lines[0], 0)]),
        replace(voucher, changes=[RowChange("removed", lines[0], 0)]),
        replace(voucher, changes=[RowChange("added", lines[0], 1)]),
    ]
    found = fingerprint_batch([(3, other) for other in changed], "sie")
    assert first not in found
    assert len(set(found)) == len(changed)


@pytest.mark.parametrize("fingerprint_batch", _fingerprint_functions())
def test_a_fingerprint_tells_amounts_apart_by_value(fingerprint_batch):
    """C reads Decimal's fields (coefficient words, exponent, sign): long amounts, signs and
    the same value built another way."""

    def voucher(amount):
        rows = [Row("1930", (), amount), Row("2440", (), -amount)]
        return SieVoucher("A", "1", date(2024, 1, 5), "", None, "", rows, [])

    amounts = ["12345678901234567890.12", "12345678901234567890.13", "-0.01", "0.01", "10000000000000000000"]
    found = fingerprint_batch([(1, voucher(Decimal(a))) for a in amounts], "sie")
    assert len(set(found)) == len(amounts)
    built = Decimal(1234).scaleb(-2)  # 12.34 by arithmetic, not parsed
    assert fingerprint_batch([(1, voucher(built))], "sie") == fingerprint_batch(
        [(1, voucher(Decimal("12.34")))], "sie"
    )


def test_the_c_fingerprint_reads_decimals_directly():
    from ledgerport.ledger import loaders

    if loaders.FINGERPRINT_BATCH is loaders.python_fingerprint_batch:
        pytest.skip("no C accelerator built")
    from ledgerport.ledger import _copyrows

    assert _copyrows.decimal_fields == 1  # the layout check passed on this Python


def test_a_large_import_refreshes_the_planner_statistics(visma_company, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's")
    from ledgerport.ledger import importer

    def statistics():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE tablename = 'ledger_periodsum' AND attname = 'period'"
            )
            return cursor.fetchone()[0]

    small = [balanced((1, 5, [("3001", Decimal("-10.00"), [])]))]
    monkeypatch.setattr(importer, "ANALYZE_AFTER_ROWS", 3)
    load(visma_company, small)  # 2 rows: under the bar
    assert statistics() == 0
    load(visma_company, [*small, balanced((2, 5, [("3001", Decimal("-11.00"), [])]))])  # 2 new rows written
    assert statistics() == 0
    load(visma_company, [balanced((3, 5, [("3001", Decimal("-12.00"), []), ("4010", Decimal("1"), [])]))])
    assert statistics() == 1  # 3 rows written


def test_a_pool_gives_each_stored_copy_once():
    from ledgerport.ledger.reimport import Pool

    pool = Pool([7, 7, 8], [10, 11, 12])
    assert pool.take(7) and pool.take(7) and not pool.take(7)
    assert pool.remaining() == [12]
    assert Pool([1], [1]).take(1) and not Pool([1], [1]).take(2)
