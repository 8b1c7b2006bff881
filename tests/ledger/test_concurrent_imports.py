"""Two replacing imports of the same company-year at once: one waits, the ledger is one file's."""

from __future__ import annotations

from functools import partial

import pytest
from django.db import IntegrityError, connection, transaction

from ledgerport.ledger import services
from ledgerport.ledger.models import FiscalYear, Voucher, VoucherRow
from tests.concurrency import at_once
from tests.ledger.sie_files import write_sie

pytestmark = pytest.mark.django_db(transaction=True)


def _import(company, path):
    with path.open("rb") as stream:
        return services.ledger_import_sie(company=company, stream=stream, file_name=path.name, replace=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_replacing_imports_at_once_leave_exactly_one_files_ledger(visma_company, tmp_path):
    small = write_sie(tmp_path / "small.se", vouchers=3000, tag="s")
    large = write_sie(tmp_path / "large.se", vouchers=5000, tag="l")
    with small.open("rb") as stream:
        services.ledger_import_sie(company=visma_company, stream=stream)
    for _round in range(3):
        results = at_once([partial(_import, visma_company, p) for p in (small, large)], timeout=600)
        assert [r for r in results if isinstance(r, Exception)] == []
        year = FiscalYear.objects.get(company=visma_company, start="2021-01-01")
        counts = (Voucher.objects.filter(fiscal_year=year).count(), VoucherRow.objects.count())
        assert counts in ((3000, 12000), (5000, 20000))
        assert (year.voucher_count, year.row_count) == counts
        assert Voucher.objects.count() == counts[0]


def test_a_row_without_its_voucher_is_refused_by_the_database(visma_company, tmp_path):
    path = write_sie(tmp_path / "one.se", vouchers=2)
    with path.open("rb") as stream:
        services.ledger_import_sie(company=visma_company, stream=stream)
    row = VoucherRow.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherRow.objects.create(
            fiscal_year_id=row.fiscal_year_id,
            voucher_id=10**9,
            account_id=row.account_id,
            position=0,
            amount=1,
            period=202101,
        )
    voucher = Voucher.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(fiscal_year_id=10**9)
