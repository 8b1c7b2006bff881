"""A small ledger for any company: what the isolation matrix and view tests point URLs at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledgerport.ledger import period_sums
from ledgerport.ledger.models import (
    Account,
    Balance,
    FiscalYear,
    LedgerImport,
    Source,
    Voucher,
    VoucherRow,
)
from ledgerport.tenancy.models import Company


@dataclass
class SmallLedger:
    fiscal_year: FiscalYear
    account: Account
    voucher: Voucher
    ledger_import: LedgerImport


def ledger_objects(company: Company) -> SmallLedger:
    """Get or create: fiscal year 2024, accounts 1930/3001, one voucher, one import job."""
    fiscal_year, _created = FiscalYear.objects.get_or_create(
        company=company,
        start=date(2024, 1, 1),
        defaults={
            "end": date(2024, 12, 31),
            "source": Source.SIE,
            "full_ledger": True,
            "voucher_count": 1,
            "row_count": 2,
        },
    )
    bank, _ = Account.objects.get_or_create(
        fiscal_year=fiscal_year, number="1930", defaults={"name": "Bank", "type": "T"}
    )
    sales, _ = Account.objects.get_or_create(
        fiscal_year=fiscal_year, number="3001", defaults={"name": "Försäljning", "type": "I"}
    )
    voucher = Voucher.objects.filter(fiscal_year=fiscal_year).first()
    if voucher is None:
        voucher = Voucher.objects.create(
            fiscal_year=fiscal_year,
            series="A",
            number="1",
            date=date(2024, 3, 5),
            text="Kontantförsäljning",
            source=Source.SIE,
        )
        for position, (account, amount) in enumerate(
            ((bank, Decimal("1250.00")), (sales, Decimal("-1250.00")))
        ):
            VoucherRow.objects.create(
                fiscal_year=fiscal_year,
                voucher=voucher,
                account=account,
                position=position,
                amount=amount,
                period=202403,
            )
        Balance.objects.create(fiscal_year=fiscal_year, kind="IB", account=bank, amount=Decimal("100.00"))
        period_sums.rebuild(fiscal_year.pk)  # written by hand, not imported
    ledger_import = LedgerImport.objects.filter(company=company).first()
    if ledger_import is None:
        ledger_import = LedgerImport.objects.create(
            company=company,
            file="ledger/imports/test.se",
            file_name="test.se",
            sha256="0" * 64,
            status="succeeded",
        )
    return SmallLedger(fiscal_year, bank, voucher, ledger_import)
