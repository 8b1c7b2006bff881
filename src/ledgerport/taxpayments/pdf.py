"""The PDFs the firm publishes: a tax-payment summary and a month's balance and income report.

fpdf2 with its core font (Latin-1: Swedish and Norwegian letters, no other). The creation date is
fixed to the document's month so that the same data gives the same bytes: publishing an
unchanged report again is recognised by its SHA-256 and files nothing new."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from fpdf import FPDF

from ledgerport.analysis.statements import Statement
from ledgerport.tenancy.models import Company

from .drafts import Draft, month_name
from .ocr import TAX_AGENCY_BANKGIRO


def _latin1(text: str) -> str:
    return text.replace("\u2013", "-").replace("\u2014", "-").encode("latin-1", "replace").decode("latin-1")


def kronor(amount: Decimal) -> str:
    """12 345,00 (Swedish grouping and decimal comma)."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,.2f}".replace(",", " ").replace(".", ",")


class _Pdf(FPDF):
    def __init__(self, *, title: str, month: date, orientation: str = "P") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.set_creation_date(datetime(month.year, month.month, 1, tzinfo=UTC))
        self.set_title(_latin1(title))
        self.set_producer("Ledgerport")
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def text_line(self, text: str, *, size: int = 10, bold: bool = False, height: float = 6) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.cell(0, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def pair(self, label: str, value: str, *, bold: bool = False, label_width: float = 55) -> None:
        self.set_font("Helvetica", "", 11)
        self.cell(label_width, 7, _latin1(label))
        self.set_font("Helvetica", "B" if bold else "", 11)
        self.cell(0, 7, _latin1(value), new_x="LMARGIN", new_y="NEXT")


def summary_pdf(company: Company, draft: Draft, *, version: int = 1) -> bytes:
    """The summary; a correction (version 2, 3, …) says it replaces the one sent before."""
    title = _("Tax payment summary")
    pdf = _Pdf(title=title, month=draft.month)
    pdf.text_line(title, size=16, bold=True, height=10)
    pdf.text_line(f"{company.name} ({company.orgnr})", size=11)
    pdf.text_line(_("Payment to the tax account, %(month)s") % {"month": month_name(draft.month)}, size=11)
    if version > 1:
        pdf.text_line(
            _("Corrected, version %(version)d: replaces the summary sent before.") % {"version": version},
            size=11,
            bold=True,
        )
    pdf.ln(4)
    amount = draft.amount
    if amount >= 0:
        pdf.pair(_("Amount to pay"), f"{kronor(amount)} kr", bold=True)
    else:
        pdf.pair(_("Amount to get back"), f"{kronor(-amount)} kr", bold=True)
    pdf.pair(_("Bankgiro (the Tax Agency)"), TAX_AGENCY_BANKGIRO, bold=True)
    pdf.pair(_("OCR number"), draft.ocr, bold=True)
    pdf.pair(_("Due date"), draft.due_date.isoformat(), bold=True)
    pdf.ln(4)
    pdf.text_line(_("What the payment concerns"), size=12, bold=True, height=8)
    for line in draft.lines:
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(130, 6, _latin1(line.text))
        pdf.cell(0, 6, f"{kronor(line.amount)} kr", align="R", new_x="LMARGIN", new_y="NEXT")
    if not draft.lines:
        pdf.text_line(_("Nothing is charged this month."))
    pdf.ln(6)
    if draft.fetched_at is not None:
        note = _("From the Tax Agency's tax account, fetched %(date)s.") % {
            "date": f"{draft.fetched_at:%Y-%m-%d}"
        }
    else:
        note = _("Amounts entered by your accounting firm.")
    pdf.text_line(note, size=9)
    pdf.text_line(_("Pay so that the money is on the tax account by the due date."), size=9)
    return bytes(pdf.output())


def _statement(pdf: _Pdf, statement: Statement) -> None:
    width = len(statement.columns)
    value_width = 34.0
    name_width = pdf.epw - value_width * width
    pdf.text_line(statement.title, size=13, bold=True, height=9)
    pdf.set_font("Helvetica", "B", 8)
    pdf.cell(name_width, 5, "")
    for label in statement.column_labels:
        pdf.cell(value_width, 5, _latin1(str(label))[:24], align="R")
    pdf.ln(5)

    def row(label: str, values: Iterable[Decimal], *, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 8)
        pdf.cell(name_width, 4.5, _latin1(label)[:70])
        for value in values:
            pdf.cell(value_width, 4.5, kronor(value), align="R")
        pdf.ln(4.5)

    for section in statement.sections:
        pdf.text_line(str(section.label), size=9, bold=True, height=6)
        for group in section.groups:
            for line in group.lines:
                row(f"{line.number} {line.name}".strip(), line.values)
            row(str(group.label), group.totals, bold=True)
        row(_("Total %(section)s") % {"section": section.label}, section.totals, bold=True)
        if section.subtotal_label:
            row(str(section.subtotal_label), section.subtotal, bold=True)
    if any(statement.result):
        row(_("Result"), statement.result, bold=True)
    pdf.ln(4)


def report_pdf(company: Company, month: date, statements: list[Statement]) -> bytes:
    title = _("Balance and income report")
    pdf = _Pdf(title=title, month=month, orientation="L")
    pdf.text_line(title, size=16, bold=True, height=10)
    pdf.text_line(f"{company.name} ({company.orgnr}), {month_name(month)}", size=11)
    pdf.ln(3)
    for index, statement in enumerate(statements):
        if index:
            pdf.add_page()
        _statement(pdf, statement)
    return bytes(pdf.output())
