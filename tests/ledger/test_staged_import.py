"""Outside a transaction (a worker, the CLI) the SQLite import commits in batches out of sight.

These run without the test's wrapping transaction, so the import takes its real path on
SQLite (staging.py); on PostgreSQL the same behaviour comes from its one transaction.
"""

from __future__ import annotations

import pytest

from ledgerport.ledger import services
from ledgerport.ledger.errors import BrokenFile, ReplaceNeeded
from ledgerport.ledger.models import Account, Balance, FiscalYear, Voucher, VoucherRow
from tests.ledger.sie_files import write_sie

pytestmark = pytest.mark.django_db(transaction=True)


def _import(company, path, **kwargs):
    with path.open("rb") as stream:
        return services.ledger_import_sie(company=company, stream=stream, file_name=path.name, **kwargs)


def _state():
    return {
        "years": sorted(FiscalYear.all_objects.values_list("pk", "staging", "voucher_count")),
        **{m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in (Account, Voucher, Balance)},
        "rows": VoucherRow.objects.count(),
    }


def test_a_replace_keeps_the_year_and_swaps_its_content(visma_company, tmp_path):
    _import(visma_company, write_sie(tmp_path / "a.se", vouchers=700))
    year = FiscalYear.objects.get(company=visma_company)
    with pytest.raises(ReplaceNeeded):
        _import(visma_company, write_sie(tmp_path / "b.se", vouchers=900))
    result = _import(visma_company, tmp_path / "b.se", replace=True)
    assert result.vouchers == 900
    assert [fy.pk for fy in result.years] == [year.pk]  # links, reviews and URLs keep their year
    assert list(FiscalYear.all_objects.values_list("pk", "staging", "voucher_count", "row_count")) == [
        (year.pk, False, 900, 3600)
    ]
    assert Voucher.objects.filter(fiscal_year=year).count() == 900
    assert VoucherRow.objects.filter(fiscal_year=year).count() == VoucherRow.objects.count() == 3600
    assert set(Account.objects.values_list("fiscal_year_id", flat=True)) == {year.pk}


def test_a_broken_line_late_in_the_file_leaves_the_old_ledger_and_no_leftovers(visma_company, tmp_path):
    _import(visma_company, write_sie(tmp_path / "a.se", vouchers=700))
    before = _state()
    path = write_sie(tmp_path / "b.se", vouchers=2000)
    lines = path.read_bytes().split(b"\r\n")
    broken = len(lines) - 10  # after several batches were committed out of sight
    assert lines[broken - 1].startswith(b"#TRANS")
    lines[broken - 1] = b"#TRANS 1930 {} 12,50"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(BrokenFile) as error:
        _import(visma_company, path, replace=True)
    assert error.value.line == broken
    assert _state() == before


def test_the_staged_copy_brings_its_sums_and_leaves_none_behind(visma_company, tmp_path):
    from django.db.models import Sum

    from ledgerport.ledger.models import PeriodSum, RowKind
    from ledgerport.ledger.selectors import money

    def sums_equal_rows(year):
        rows = {
            (r["account_id"], r["period"]): money(r["total"])
            for r in VoucherRow.objects.filter(fiscal_year=year, kind=RowKind.TRANS)
            .values("account_id", "period")
            .annotate(total=Sum("amount"))
        }
        stored = {
            (s.account_id, s.period): s.amount
            for s in PeriodSum.objects.filter(fiscal_year=year, dimension="")
        }
        return rows and stored == rows

    _import(visma_company, write_sie(tmp_path / "a.se", vouchers=300))
    year = FiscalYear.objects.get(company=visma_company)
    assert sums_equal_rows(year)
    _import(visma_company, write_sie(tmp_path / "b.se", vouchers=500, tag="b"), replace=True)
    assert sums_equal_rows(year)
    assert set(PeriodSum.objects.values_list("fiscal_year_id", flat=True)) == {year.pk}  # the copy's moved in
    assert sum(PeriodSum.objects.filter(dimension="").values_list("row_count", flat=True)) == 2000
