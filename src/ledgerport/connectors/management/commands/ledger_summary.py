"""`ledgerport ledger summary ORGNR [--json]`: the company's fiscal years, vouchers, rows, documents."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from ledgerport.documents.models import VoucherDocument
from ledgerport.ledger.models import FiscalYear, RowKind, Voucher, VoucherRow
from ledgerport.tenancy.management.company_argument import add_company_arguments, company_from_options
from ledgerport.tenancy.models import Company


def summary(company: Company) -> dict[str, Any]:
    """Counted from the tables: rows in the vouchers' final state, distinct linked files per year."""
    years = list(FiscalYear.objects.filter(company=company).order_by("start"))
    ids = [fy.pk for fy in years]
    vouchers = dict(
        Voucher.objects.filter(fiscal_year_id__in=ids).values_list("fiscal_year_id").annotate(n=Count("*"))
    )
    rows = dict(
        VoucherRow.objects.filter(fiscal_year_id__in=ids, kind=RowKind.TRANS)
        .values_list("fiscal_year_id")
        .annotate(n=Count("*"))
    )
    documents = dict(
        VoucherDocument.objects.filter(fiscal_year_id__in=ids)
        .values_list("fiscal_year_id")
        .annotate(n=Count("document_id", distinct=True))
    )
    return {
        "orgnr": company.orgnr_display,
        "fiscal_years": [
            {
                "start": fy.start.isoformat(),
                "end": fy.end.isoformat(),
                "source": fy.source,
                "vouchers": vouchers.get(fy.pk, 0),
                "rows": rows.get(fy.pk, 0),
                "documents": documents.get(fy.pk, 0),
            }
            for fy in years
        ],
    }


class Command(BaseCommand):
    help = "Summarise a company's ledger: fiscal years with source, vouchers, rows and documents."

    def add_arguments(self, parser: CommandParser) -> None:
        add_company_arguments(parser)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_from_options(options)
        data = summary(company)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{company.name} ({data['orgnr']})")
        for year in data["fiscal_years"]:
            self.stdout.write(
                f"  {year['start']} – {year['end']}  {year['source'] or '-':8}  "
                f"{year['vouchers']:>7} vouchers  {year['rows']:>8} rows  {year['documents']:>6} documents"
            )
