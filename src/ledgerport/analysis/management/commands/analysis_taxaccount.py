"""`ledgerport analysis taxaccount ORGNR --year YYYY [--json]`: the tax account against the books.

Amounts are in the ledger's sign (debit positive; a debt is negative), balances at month end
(in the current month: the day the tax account was last fetched).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledgerport.analysis.tax_account_check import as_json, tax_account_analysis
from ledgerport.ledger.selectors import fiscal_year_list_loaded
from ledgerport.tenancy.management.company_argument import add_company_arguments, company_from_options


class Command(BaseCommand):
    help = (
        "Compare a company's tax account with ledger account 1630 for a fiscal year: month-end "
        "balances, unmatched transactions, late payments and employer-declaration differences."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_company_arguments(parser)
        parser.add_argument("--year", type=int, required=True, help="the fiscal year starting in YYYY")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_from_options(options)
        year = options["year"]
        fiscal_year = next(
            (fy for fy in fiscal_year_list_loaded(company=company) if fy.start.year == year), None
        )
        if fiscal_year is None:
            raise CommandError(f"{company.name} has no ledger for a fiscal year starting in {year}.")
        analysis = tax_account_analysis(company, fiscal_year)
        data = as_json(analysis)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{company.name}: {fiscal_year.start} – {analysis.until}")
        if not analysis.has_tax_account:
            self.stdout.write("  No tax-account data fetched yet.")
        for m in data["months"]:
            self.stdout.write(
                f"  {m['month']}  tax account {m['tax_account_balance']:>14}  1630 {m['ledger_1630_balance']:>14}"
                f"  difference {m['difference']:>12}"
            )
        sections = [
            ("Unmatched on the tax account", data["unmatched_tax_account"], ("date", "text", "amount")),
            ("Unmatched in the ledger", data["unmatched_ledger"], ("date", "voucher", "amount")),
            ("Late payments", data["late_payments"], ("due_date", "amount_due", "paid_date")),
            (
                "Employer declarations",
                data["agi_differences"],
                ("period", "kind", "declared", "tax_account", "booked"),
            ),
        ]
        for title, rows, keys in sections:
            self.stdout.write(f"{title}: {len(rows) or 'none'}")
            for row in rows:
                self.stdout.write("  " + "  ".join(str(row[k]) for k in keys))
