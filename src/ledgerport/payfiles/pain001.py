"""Reading a pain.001.001.03 file: parse safely, validate against the XSD, then check what
the schema cannot, and summarise. Any problem refuses the whole file (`PaymentFileRefused`).

The creditor account follows the Swedish banks' common interpretation: bankgiro as `Othr/Id`
with `SchmeNm/Prtry` BGNR or clearing member 9900, plusgiro with PGNR or 9960, a Swedish
account as `Othr/Id` (BBAN) with its clearing number in `CdtrAgt/…/ClrSysMmbId/MmbId`, or an
IBAN. An OCR number is a structured reference (`Strd/CdtrRefInf/Ref`, type SCOR); free text
(`Ustrd`) carries an invoice number.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast

from lxml import etree

from . import accounts
from .model import Account, AccountKind, Payment, PaymentBatch, PaymentFile, Reference, ReferenceKind
from .problems import Invalid, PaymentFileRefused, Problem
from .references import check_ocr

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
_NS = {"p": NAMESPACE}
_SCHEMA_FILE = Path(__file__).with_name("schema") / "pain.001.001.03.xsd"
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
_BANKGIRO_MEMBER = "9900"
_PLUSGIRO_MEMBER = "9960"
_NO_ACCOUNT = Account(AccountKind.BANK_ACCOUNT, "", "")  # stands in once a problem is recorded
MAX_PROBLEMS = 50  # a thoroughly broken file: the first ones say enough


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_SCHEMA_FILE)))


def _parser() -> etree.XMLParser:
    # No entities, no DTD, no network: a payment file is plain data.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _xpath(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=_NS)


def _all(element: etree._Element, path: str) -> list[etree._Element]:
    """The elements at `path` under `element` (a compiled XPath: 4 times faster than find)."""
    return cast(list[etree._Element], _xpath(path)(element))


def _first(element: etree._Element, path: str) -> etree._Element | None:
    found = _all(element, path)
    return found[0] if found else None


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def path_of(element: etree._Element) -> str:
    """/Document/CstmrCdtTrfInitn/PmtInf[2]/CdtTrfTxInf[1]/Amt/InstdAmt: local names, an
    index where the element has siblings of its name."""
    parts = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [child for child in parent if child.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


def read_pain001(data: bytes) -> PaymentFile:
    """The file's summary, or `PaymentFileRefused` naming every problem's element."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise PaymentFileRefused([Problem("/", line, "not_xml", {"detail": str(exc.msg)})]) from None
    if str(getattr(root.getroottree().docinfo, "doctype", "")):  # the stubs miss it
        raise PaymentFileRefused([Problem("/", 1, "doctype")])
    if root.tag != f"{{{NAMESPACE}}}Document":
        qname = etree.QName(root)
        code, params = (
            ("namespace", {"expected": NAMESPACE, "found": str(qname.namespace)})
            if qname.namespace
            else ("no_namespace", {"expected": NAMESPACE})
        )
        raise PaymentFileRefused([Problem(f"/{qname.localname}", _line(root), code, params)])
    schema = _schema()
    if not schema.validate(root):
        raise PaymentFileRefused(_schema_problems(root, schema))
    return _Reader(root).read()


def _schema_problems(root: etree._Element, schema: etree.XMLSchema) -> list[Problem]:
    problems = []
    for error in itertools.islice(
        cast(Iterable[Any], schema.error_log), MAX_PROBLEMS
    ):  # untyped in the stubs
        path = error.path or "/"
        try:
            found = root.getroottree().xpath(path)
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                path = path_of(found[0])
        except etree.XPathError:
            pass
        code, params = _plain(error.message)
        problems.append(Problem(path, error.line or None, code, params))
    return problems or [Problem("/", None, "schema_invalid")]


_UNEXPECTED = re.compile(r"^Element '(\w+)': This element is not expected\. Expected is \( (.+?) \)\.?$")
_MISSING = re.compile(r"^Element '(\w+)': Missing child element\(s\)\. Expected is \( (.+?) \)\.?$")


def _plain(message: str) -> tuple[str, dict[str, str]]:
    """libxml2's wording, said as what is missing where where it can be (names as written)."""
    message = message.replace(f"{{{NAMESPACE}}}", "").strip()
    if found := _UNEXPECTED.match(message):
        return "schema_missing_before", {"expected": found.group(2), "found": found.group(1)}
    if found := _MISSING.match(message):
        return "schema_missing_in", {"expected": found.group(2), "parent": found.group(1)}
    return "schema", {"detail": message}


class _Reader:
    """The checks the XSD cannot make, over a schema-valid document; collects problems."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def fail(self, element: etree._Element, code: str, /, **params: str) -> None:
        self.problems.append(Problem(path_of(element), _line(element), code, params))

    def read(self) -> PaymentFile:
        initiation = self._one(self.root, "p:CstmrCdtTrfInitn")
        header = self._one(initiation, "p:GrpHdr")
        batches = [self._batch(element) for element in _all(initiation, "p:PmtInf")]
        payments = [payment for batch in batches for payment in batch.payments]
        count_element = self._one(header, "p:NbOfTxs")
        count = int(self._text(count_element))
        if count != len(payments):
            self.fail(count_element, "count_file", declared=str(count), actual=str(len(payments)))
        total = sum((payment.amount for payment in payments), Decimal("0"))
        control = _first(header, "p:CtrlSum")
        control_sum = total
        if control is None:
            self.fail(header, "ctrlsum_missing")
        else:
            control_sum = self._decimal(control)
            if control_sum != total:
                self.fail(control, "ctrlsum_file", declared=str(control_sum), actual=str(total))
        if self.problems:
            raise PaymentFileRefused(self.problems[:MAX_PROBLEMS])
        return PaymentFile(
            message_id=self._text(self._one(header, "p:MsgId")),
            created=self._text(self._one(header, "p:CreDtTm")),
            initiating_party=self._name(_first(header, "p:InitgPty")),
            number_of_transactions=count,
            control_sum=control_sum,
            batches=tuple(batches),
        )

    # The document is schema-valid, so required elements exist.
    def _one(self, parent: etree._Element, path: str) -> etree._Element:
        found = _first(parent, path)
        assert found is not None, path
        return found

    @staticmethod
    def _text(element: etree._Element | None) -> str:
        return "" if element is None else (element.text or "").strip()

    def _name(self, party: etree._Element | None) -> str:
        return self._text(None if party is None else _first(party, "p:Nm"))

    def _decimal(self, element: etree._Element) -> Decimal:
        return Decimal(self._text(element))

    def _date(self, element: etree._Element) -> datetime.date:
        match = _DATE.match(self._text(element))
        try:
            if match is None:
                raise ValueError
            return datetime.date.fromisoformat(match.group(1))
        except ValueError:
            self.fail(element, "date", text=self._text(element))
            return datetime.date.min

    def _batch(self, element: etree._Element) -> PaymentBatch:
        date = self._date(self._one(element, "p:ReqdExctnDt"))
        debtor_account = self._debtor_account(self._one(element, "p:DbtrAcct"))
        payments = [self._payment(tx, date) for tx in _all(element, "p:CdtTrfTxInf")]
        count = _first(element, "p:NbOfTxs")
        if count is not None and int(self._text(count)) != len(payments):
            self.fail(count, "count_batch", declared=self._text(count), actual=str(len(payments)))
        control = _first(element, "p:CtrlSum")
        total = sum((payment.amount for payment in payments), Decimal("0"))
        if control is not None and self._decimal(control) != total:
            self.fail(control, "ctrlsum_batch", declared=self._text(control), actual=str(total))
        return PaymentBatch(
            payment_info_id=self._text(self._one(element, "p:PmtInfId")),
            debtor=self._name(_first(element, "p:Dbtr")),
            debtor_account=debtor_account,
            date=date,
            payments=tuple(payments),
        )

    def _parse_account(self, element: etree._Element, parse: Callable[[], Account]) -> Account:
        try:
            return parse()
        except Invalid as invalid:
            self.fail(element, invalid.code, **invalid.params)
            return _NO_ACCOUNT

    def _debtor_account(self, account: etree._Element) -> Account:
        iban = _first(account, "p:Id/p:IBAN")
        if iban is not None:
            return self._parse_account(iban, lambda: accounts.parse_iban(self._text(iban)))
        other = self._one(account, "p:Id/p:Othr/p:Id")
        scheme = self._text(_first(account, "p:Id/p:Othr/p:SchmeNm/p:Prtry")).upper()
        if scheme == "BGNR":
            return self._parse_account(other, lambda: accounts.parse_bankgiro(self._text(other)))
        self.fail(other, "debtor_account")
        return _NO_ACCOUNT

    def _creditor_account(self, tx: etree._Element) -> Account:
        account = _first(tx, "p:CdtrAcct")
        if account is None:
            self.fail(tx, "creditor_account_missing")
            return _NO_ACCOUNT
        iban = _first(account, "p:Id/p:IBAN")
        if iban is not None:
            return self._parse_account(iban, lambda: accounts.parse_iban(self._text(iban)))
        other = self._one(account, "p:Id/p:Othr/p:Id")
        number = self._text(other)
        proprietary = self._text(_first(account, "p:Id/p:Othr/p:SchmeNm/p:Prtry")).upper()
        member = self._text(_first(tx, "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId"))
        if proprietary == "BGNR" or (member == _BANKGIRO_MEMBER and proprietary != "PGNR"):
            return self._parse_account(other, lambda: accounts.parse_bankgiro(number))
        if proprietary == "PGNR" or member == _PLUSGIRO_MEMBER:
            return self._parse_account(other, lambda: accounts.parse_plusgiro(number))
        if member:
            # A Swedish account: the clearing number is the member id; Othr/Id may repeat it.
            digits = re.sub(r"[\s.\-,]", "", number)
            clearing = re.sub(r"[\s\-]", "", member)
            account_number = digits[len(clearing) :] if digits.startswith(clearing) else digits
            return self._parse_account(other, lambda: accounts.parse_bank_account(clearing, account_number))
        self.fail(other, "account_kind")
        return _NO_ACCOUNT

    def _reference(self, tx: etree._Element) -> Reference:
        structured = _first(tx, "p:RmtInf/p:Strd/p:CdtrRefInf/p:Ref")
        if structured is not None:
            code = self._text(_first(tx, "p:RmtInf/p:Strd/p:CdtrRefInf/p:Tp/p:CdOrPrtry/p:Cd"))
            if code and code != "SCOR":
                self.fail(structured, "reference_type", kind=code)
            try:
                return Reference(ReferenceKind.OCR, check_ocr(self._text(structured)))
            except Invalid as invalid:
                self.fail(structured, invalid.code, **invalid.params)
                return Reference(ReferenceKind.OCR, self._text(structured))
        unstructured = [self._text(e) for e in _all(tx, "p:RmtInf/p:Ustrd")]
        text = " ".join(part for part in unstructured if part)
        return Reference(ReferenceKind.INVOICE, text) if text else Reference(ReferenceKind.NONE, "")

    def _payment(self, tx: etree._Element, date: datetime.date) -> Payment:
        amount_element = _first(tx, "p:Amt/p:InstdAmt")
        amount = Decimal("0")
        currency = ""
        if amount_element is None:
            self.fail(self._one(tx, "p:Amt"), "instructed_amount")
        else:
            amount = self._decimal(amount_element)
            currency = str(amount_element.get("Ccy", ""))
            exponent = amount.as_tuple().exponent
            if not isinstance(exponent, int) or exponent < -2:
                self.fail(amount_element, "amount_decimals", amount=self._text(amount_element))
            else:
                amount = amount.quantize(Decimal("0.01"))
            if amount <= 0:
                self.fail(amount_element, "amount_positive", amount=self._text(amount_element))
        creditor = self._name(_first(tx, "p:Cdtr"))
        if not creditor:
            self.fail(tx, "creditor_name")
        return Payment(
            end_to_end_id=self._text(_first(tx, "p:PmtId/p:EndToEndId")),
            creditor=creditor,
            account=self._creditor_account(tx),
            reference=self._reference(tx),
            date=date,
            amount=amount,
            currency=currency,
        )
