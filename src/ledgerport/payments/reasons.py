"""The payment-file library's reasons in the UI's language (its codes and values; the
library's own wording is English, for operators)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledgerport.payfiles import Problem

REASONS: dict[str, Promise] = {
    "not_xml": gettext_lazy("not well-formed XML: %(detail)s"),
    "doctype": gettext_lazy("a payment file may not declare a DOCTYPE"),
    "namespace": gettext_lazy(
        "the root must be Document in namespace %(expected)s (pain.001.001.03); found namespace %(found)s"
    ),
    "no_namespace": gettext_lazy(
        "the root must be Document in namespace %(expected)s (pain.001.001.03); found no namespace"
    ),
    "schema": gettext_lazy("does not follow the schema: %(detail)s"),
    "schema_missing_before": gettext_lazy(
        "%(expected)s is missing before %(found)s (or %(found)s is out of place)"
    ),
    "schema_missing_in": gettext_lazy("%(expected)s is missing in %(parent)s"),
    "schema_invalid": gettext_lazy("the file does not follow the pain.001.001.03 schema"),
    "count_file": gettext_lazy("NbOfTxs says %(declared)s but the file has %(actual)s payments"),
    "count_batch": gettext_lazy("NbOfTxs says %(declared)s but the PmtInf has %(actual)s payments"),
    "ctrlsum_missing": gettext_lazy("CtrlSum is missing: the bank needs the control sum"),
    "ctrlsum_file": gettext_lazy("CtrlSum says %(declared)s but the payments add up to %(actual)s"),
    "ctrlsum_batch": gettext_lazy("CtrlSum says %(declared)s but the PmtInf's payments add up to %(actual)s"),
    "date": gettext_lazy("%(text)s is not a date (YYYY-MM-DD)"),
    "debtor_account": gettext_lazy(
        "the debtor account must be an IBAN or a bankgiro number (SchmeNm/Prtry BGNR)"
    ),
    "creditor_account_missing": gettext_lazy("CdtrAcct is missing: the payment names no account to pay to"),
    "account_kind": gettext_lazy(
        "the account kind is unknown: give SchmeNm/Prtry BGNR or PGNR, or the clearing number in"
        " CdtrAgt/FinInstnId/ClrSysMmbId/MmbId"
    ),
    "reference_type": gettext_lazy("the reference type is %(kind)s; an OCR number is of type SCOR"),
    "instructed_amount": gettext_lazy("only InstdAmt (the amount to pay) is supported"),
    "amount_decimals": gettext_lazy("amount %(amount)s has more than two decimals"),
    "amount_positive": gettext_lazy("amount %(amount)s must be more than zero"),
    "creditor_name": gettext_lazy("Cdtr/Nm is missing: the client must see whom they pay"),
    "bankgiro_format": gettext_lazy("bankgiro number %(number)s must have 7 or 8 digits"),
    "bankgiro_check": gettext_lazy("bankgiro number %(number)s has a wrong check digit"),
    "plusgiro_format": gettext_lazy("plusgiro number %(number)s must have 2 to 8 digits"),
    "plusgiro_check": gettext_lazy("plusgiro number %(number)s has a wrong check digit"),
    "clearing_unknown": gettext_lazy("clearing number %(clearing)s is not a Swedish bank's"),
    "clearing_check": gettext_lazy("clearing number %(clearing)s has a wrong check digit"),
    "account_format": gettext_lazy("account number %(account)s at clearing %(clearing)s must have 7 digits"),
    "account_check": gettext_lazy(
        "account number %(account)s at clearing %(clearing)s has a wrong check digit or length"
    ),
    "iban": gettext_lazy("IBAN %(iban)s is not valid (%(detail)s)"),
    "ocr_format": gettext_lazy("OCR number %(ocr)s may contain only digits"),
    "ocr_length": gettext_lazy("OCR number %(ocr)s must have 2 to 25 digits"),
    "ocr_check": gettext_lazy("OCR number %(ocr)s has a wrong check digit"),
    "rf": gettext_lazy("RF reference %(ocr)s is not valid (%(detail)s)"),
    "lb_opening": gettext_lazy("an LB file starts with an opening record TK11 (LEVERANTÖRSBETALNINGAR)"),
    "lb_end": gettext_lazy("the end record TK29 is missing"),
    "lb_record": gettext_lazy("record type %(kind)s is not read here; only TK11, 12, 13, 14, 40 and 29"),
    "lb_length": gettext_lazy("a record is at most 80 characters"),
    "lb_currency": gettext_lazy("the currency is %(currency)s; LB payments are in SEK"),
    "lb_amount": gettext_lazy("amount %(amount)s must be whole öre in digits"),
}


def problem_text(problem: Problem) -> str:
    """`/Document/…/Amt/InstdAmt (rad 19): beloppet 1,005 har fler än två decimaler`."""
    template = REASONS.get(problem.code)
    reason = str(template) % dict(problem.params) if template is not None else problem.reason
    if problem.line:
        return _("%(path)s (line %(line)s): %(reason)s") % {
            "path": problem.path,
            "line": problem.line,
            "reason": reason,
        }
    return f"{problem.path}: {reason}"
