"""What is wrong with a payment file: the element, its line and the reason.

A reason is a code and its values, so an application can say it in its own language;
`MESSAGES` is the English wording (operators' commands and the tests read it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

MESSAGES: dict[str, str] = {
    "not_xml": "not well-formed XML: %(detail)s",
    "doctype": "a payment file may not declare a DOCTYPE",
    "namespace": "the root must be Document in namespace %(expected)s (pain.001.001.03); found namespace %(found)r",
    "no_namespace": "the root must be Document in namespace %(expected)s (pain.001.001.03); found no namespace",
    "schema": "%(detail)s",
    "schema_missing_before": "%(expected)s is missing before %(found)s (or %(found)s is out of place)",
    "schema_missing_in": "%(expected)s is missing in %(parent)s",
    "schema_invalid": "the file does not follow the pain.001.001.03 schema",
    "count_file": "NbOfTxs says %(declared)s but the file has %(actual)s payments",
    "count_batch": "NbOfTxs says %(declared)s but the PmtInf has %(actual)s payments",
    "ctrlsum_missing": "CtrlSum is missing: the bank needs the control sum",
    "ctrlsum_file": "CtrlSum says %(declared)s but the payments add up to %(actual)s",
    "ctrlsum_batch": "CtrlSum says %(declared)s but the PmtInf's payments add up to %(actual)s",
    "date": "%(text)r is not a date (YYYY-MM-DD)",
    "debtor_account": "the debtor account must be an IBAN or a bankgiro number (SchmeNm/Prtry BGNR)",
    "creditor_account_missing": "CdtrAcct is missing: the payment names no account to pay to",
    "account_kind": (
        "the account kind is unknown: give SchmeNm/Prtry BGNR or PGNR, or the clearing number in"
        " CdtrAgt/FinInstnId/ClrSysMmbId/MmbId"
    ),
    "reference_type": "the reference type is %(kind)s; an OCR number is of type SCOR",
    "instructed_amount": "only InstdAmt (the amount to pay) is supported",
    "amount_decimals": "amount %(amount)s has more than two decimals",
    "amount_positive": "amount %(amount)s must be more than zero",
    "creditor_name": "Cdtr/Nm is missing: the client must see whom they pay",
    "bankgiro_format": "bankgiro number %(number)r must have 7 or 8 digits",
    "bankgiro_check": "bankgiro number %(number)r has a wrong check digit",
    "plusgiro_format": "plusgiro number %(number)r must have 2 to 8 digits",
    "plusgiro_check": "plusgiro number %(number)r has a wrong check digit",
    "clearing_unknown": "clearing number %(clearing)s is not a Swedish bank's",
    "clearing_check": "clearing number %(clearing)s has a wrong check digit",
    "account_format": "account number %(account)s at clearing %(clearing)s must have 7 digits",
    "account_check": "account number %(account)s at clearing %(clearing)s has a wrong check digit or length",
    "iban": "IBAN %(iban)r is not valid (%(detail)s)",
    "ocr_format": "OCR number %(ocr)r may contain only digits",
    "ocr_length": "OCR number %(ocr)r must have 2 to 25 digits",
    "ocr_check": "OCR number %(ocr)r has a wrong check digit",
    "rf": "RF reference %(ocr)r is not valid (%(detail)s)",
    # Bankgirot LB
    "lb_opening": "an LB file starts with an opening record TK11 (LEVERANTÖRSBETALNINGAR)",
    "lb_end": "the end record TK29 is missing",
    "lb_record": "record type %(kind)s is not read here; only TK11, 12, 13, 14, 40 and 29",
    "lb_length": "a record is at most 80 characters",
    "lb_currency": "the currency is %(currency)r; LB payments are in SEK",
    "lb_amount": "amount %(amount)r must be whole öre in digits",
}


class Invalid(ValueError):
    """A number or reference that fails its rule: `code` in MESSAGES, with its values."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % params)


@dataclass(frozen=True)
class Problem:
    path: str  # XPath-like, without namespaces: /Document/CstmrCdtTrfInitn/PmtInf[2]/…
    line: int | None
    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return MESSAGES[self.code] % dict(self.params)

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line else self.path
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, str | int | None]:
        return {"path": self.path, "line": self.line, "code": self.code, "reason": self.reason}


class PaymentFileRefused(Exception):
    """The whole file is refused; `problems` says every element and why (at least one)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
