"""A fiscal year out again: the statements and general ledger as xlsx (the SIE 4 file is
`ledger/sie_export.py`).

It streams from the database (rows in chunks) into a spooled temporary file,
so a large ledger does not have to fit in memory.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from itertools import groupby
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ledgerport.ledger import selectors
from ledgerport.ledger.models import FiscalYear, RowKind, VoucherRow

from . import reports
from .statements import Statement
from .tax_account_check import TaxAccountAnalysis

SPOOL = 8 * 1024 * 1024
MONEY_FORMAT = "#,##0.00;-#,##0.00"


# A text cell beginning with one of these is a formula (or DDE payload) to a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _safe(sheet: Any, value: object) -> object:
    """Text from outside (account names, voucher texts, ...) as a cell that can only be text:
    openpyxl would store "=..." as a formula, and Excel re-reads typed "+..." as one. The text
    is kept unchanged, marked as a string with Excel's quote prefix; numbers pass through."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _spooled() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL)


# --- xlsx -----------------------------------------------------------------------------------


def _statement_sheet(workbook: Workbook, statement: Statement, title: str) -> None:
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)

    def cells(
        label: str, values: list[Decimal], *, strong: bool = False, number: str = ""
    ) -> list[WriteOnlyCell]:
        row = [WriteOnlyCell(sheet, value=number), WriteOnlyCell(sheet, value=label)]
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                cell.data_type, cell.quotePrefix = "s", True
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = MONEY_FORMAT
            row.append(cell)
        if strong:
            for cell in row:
                cell.font = bold
        return row

    sheet.append(
        cells("", [], strong=True) + [WriteOnlyCell(sheet, value=label) for label in statement.column_labels]
    )
    for section in statement.sections:
        sheet.append(cells(str(section.label), [], strong=True))
        for group in section.groups:
            for line in group.lines:
                sheet.append(cells(line.name, line.values, number=line.number))
            sheet.append(cells(str(group.label), group.totals, strong=True))
        sheet.append(
            cells(
                _("Total %(section)s") % {"section": str(section.label).lower()}, section.totals, strong=True
            )
        )
        if section.subtotal_label:
            sheet.append(cells(str(section.subtotal_label), section.subtotal, strong=True))


def _general_ledger_sheet(workbook: Workbook, fiscal_year: FiscalYear) -> None:
    sheet = workbook.create_sheet(_("General ledger"))
    sheet.append(
        [_("Account"), _("Account name"), _("Date"), _("Voucher"), _("Text"), _("Amount"), _("Balance")]
    )
    summaries = {s.account.pk: s for s in selectors.general_ledger_accounts(fiscal_year)}
    rows = (
        VoucherRow.objects.filter(fiscal_year=fiscal_year, kind=RowKind.TRANS)
        .order_by("account__number", "voucher__date", "voucher_id", "position")
        .values_list(
            "account_id",
            "voucher__date",
            "voucher__series",
            "voucher__number",
            "text",
            "voucher__text",
            "amount",
        )
    )
    for account_id, account_rows in groupby(rows.iterator(chunk_size=5000), key=lambda r: r[0]):
        summary = summaries[account_id]
        account = summary.account
        balance = summary.opening
        number, name = _safe(sheet, account.number), _safe(sheet, account.name)
        sheet.append([number, name, None, None, _("Opening balance"), None, balance])
        for _id, day, series, voucher_number, text, voucher_text, amount in account_rows:
            amount = selectors.money(amount)
            balance += amount
            sheet.append(
                [
                    number,
                    name,
                    day,
                    _safe(sheet, f"{series} {voucher_number}".strip()),
                    _safe(sheet, text or voucher_text),
                    amount,
                    balance,
                ]
            )


def xlsx(fiscal_year: FiscalYear) -> IO[bytes]:
    """Balance sheet and income statement for the year (with the previous year) and the general ledger."""
    workbook = Workbook(write_only=True)
    _statement_sheet(
        workbook, reports.report(fiscal_year, reports.BALANCE, None).statement, _("Balance sheet")
    )
    _statement_sheet(
        workbook, reports.report(fiscal_year, reports.INCOME, None).statement, _("Income statement")
    )
    _general_ledger_sheet(workbook, fiscal_year)
    stream = _spooled()
    workbook.save(stream)
    stream.seek(0)
    return stream


def tax_account_xlsx(analysis: TaxAccountAnalysis) -> IO[bytes]:
    """The tax checks of a year as xlsx: month balances, unmatched rows, late payments, differences,
    the due dates with the balance at each."""
    workbook = Workbook(write_only=True)

    def sheet(title: str, header: list[str], rows: list[list[object]]) -> None:
        ws = workbook.create_sheet(title)
        ws.append(header)
        for row in rows:
            cells: list[object] = []
            for value in row:
                if isinstance(value, Decimal):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = MONEY_FORMAT
                    cells.append(cell)
                else:
                    cells.append(_safe(ws, value))
            ws.append(cells)

    sheet(
        _("Tax account and 1630"),
        [_("Month"), _("Tax account"), _("Account 1630"), _("Difference")],
        [[f"{m.month:%Y-%m}", m.tax_account, m.ledger, m.difference] for m in analysis.months],
    )
    sheet(
        _("Unmatched, tax account"),
        [_("Date"), _("Text"), _("Amount")],
        [[r.booked, r.text, r.amount] for r in analysis.unmatched_tax],
    )
    sheet(
        _("Unmatched, ledger"),
        [_("Date"), _("Voucher"), _("Amount")],
        [[r.date, r.voucher, r.amount] for r in analysis.unmatched_ledger],
    )
    sheet(
        _("Late payments"),
        [_("Due date"), _("Amount due"), _("Paid"), _("Estimated interest")],
        [[p.due_date, p.amount_due, p.paid_date, p.interest] for p in analysis.late_payments],
    )
    sheet(
        _("Declared and booked"),
        [_("Period"), _("Kind"), _("Declared"), _("Tax account"), _("Booked")],
        [
            [
                f"{d.period:%Y-%m}" + (f" – {d.last_month:%Y-%m}" if d.last_month else ""),
                d.kind,
                d.declared,
                d.tax_account,
                d.booked,
            ]
            for d in [*analysis.agi_differences, *analysis.vat_differences]
        ],
    )
    sheet(
        _("Due dates"),
        [_("Due date"), _("Tax account at the day's end"), _("Paid late")],
        [[d.due_date, d.balance, _("Paid late") if d.late else ""] for d in analysis.due_dates],
    )
    stream = _spooled()
    workbook.save(stream)
    stream.seek(0)
    return stream
