"""Bankgirot's Leverantörsbetalningar (LB): fixed 80-character records in ISO-8859-1.

Only the records whose layout the research holds are read (positions 1-based): TK11 opening
(3-12 sender bankgiro, 13-18 write date, 19-40 LEVERANTÖRSBETALNINGAR, 41-46 payment date or
GENAST, 60-62 SEK), TK12/TK13 text, TK14 payment (3-12 payee bankgiro or deposit number,
13-37 OCR/invoice reference, 38-49 amount in öre, 50-55 date or GENAST), TK40 account of a
deposit (3-6 0000, 7-12 deposit number, 13-16 clearing, 17-28 account) and TK29 end (3-12
sender bankgiro, 13-20 count, 21-32 total öre, 33 "-" if negative). Any other record (credit
invoices, PlusGiro, names and addresses) refuses the file: better refused than half-read.
Bankgiro payment records carry no payee name (Bankgirot's register has it).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from . import accounts
from .checkdigits import luhn_valid
from .model import Account, AccountKind, Payment, PaymentBatch, PaymentFile, Reference, ReferenceKind
from .problems import Invalid, PaymentFileRefused, Problem

MARK = "LEVERANTÖRSBETALNINGAR"
_READ = {"11", "12", "13", "14", "29", "40"}


def looks_like_lb(data: bytes) -> bool:
    return data[:2] == b"11" and MARK.encode("latin-1") in data[:80]


def _date(text: str) -> datetime.date | None:
    """YYMMDD in this century (LB's dates), else None."""
    if len(text) != 6 or not text.isdigit():
        return None
    try:
        return datetime.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def fail(self, number: int, field: str, code: str, /, **params: str) -> None:
        self.problems.append(Problem(field, number, code, params))

    def read(self) -> PaymentFile:
        sender: Account | None = None
        default_date: datetime.date | None = None
        written = ""
        payments: list[tuple[int, str, str, Decimal, datetime.date]] = []
        deposits: dict[str, Account] = {}
        end: tuple[int, str, str] | None = None
        for number, line in enumerate(self.lines, start=1):
            kind = line[:2]
            if number == 1 and kind != "11":
                self.fail(1, "TK11", "lb_opening")
                break
            if kind not in _READ:
                self.fail(number, f"TK{kind}", "lb_record", kind=kind)
                continue
            if kind == "11":
                sender = self._bankgiro(number, "TK11 3-12", line[2:12])
                written = line[12:18]
                day = line[40:46].strip()
                default_date = None if day in ("", "GENAST") else self._day(number, "TK11 41-46", day)
                if line[59:62] != "SEK":
                    self.fail(number, "TK11 60-62", "lb_currency", currency=line[59:62].strip())
            elif kind == "14":
                amount = self._amount(number, "TK14 38-49", line[37:49])
                day = line[49:55].strip()
                date = (
                    self._day(number, "TK14 50-55", day)
                    if day not in ("", "GENAST")
                    else default_date or _date(written) or datetime.date.min
                )
                payments.append((number, line[2:12], line[12:37].strip(), amount, date))
            elif kind == "40":
                deposits[line[6:12]] = self._account(number, line[12:16], line[16:28])
            elif kind == "29":
                end = (number, line[12:20], line[20:33])
        if end is None and not self.problems:
            self.fail(len(self.lines), "TK29", "lb_end")
        parsed: list[Payment] = []
        for number, payee, reference, amount, date in payments:
            account = deposits.get(payee[4:]) if payee.startswith("0000") and payee[4:] in deposits else None
            if account is None:
                account = self._bankgiro(number, "TK14 3-12", payee)
            parsed.append(
                Payment(
                    end_to_end_id=f"{number}",
                    creditor="",
                    account=account,
                    reference=self._reference(reference),
                    date=date,
                    amount=amount,
                    currency="SEK",
                )
            )
        total = sum((p.amount for p in parsed), Decimal("0.00"))
        if end is not None:
            number, count, declared = end
            if not count.isdigit() or int(count) != len(parsed):
                self.fail(number, "TK29 13-20", "count_file", declared=count.strip(), actual=str(len(parsed)))
            sign = -1 if declared[12:13] == "-" else 1
            if not declared[:12].isdigit() or Decimal(declared[:12]) / 100 * sign != total:
                self.fail(number, "TK29 21-32", "ctrlsum_file", declared=declared.strip(), actual=str(total))
        if self.problems or sender is None:
            raise PaymentFileRefused(self.problems or [Problem("TK11", 1, "lb_opening")])
        dates = sorted({p.date for p in parsed})
        return PaymentFile(
            message_id=f"LB {written}",
            created=written,
            initiating_party="",
            number_of_transactions=len(parsed),
            control_sum=total,
            batches=tuple(
                PaymentBatch(
                    payment_info_id=day.isoformat(),
                    debtor="",
                    debtor_account=sender,
                    date=day,
                    payments=tuple(p for p in parsed if p.date == day),
                )
                for day in dates
            ),
        )

    def _bankgiro(self, number: int, field: str, text: str) -> Account:
        try:
            return accounts.parse_bankgiro(text.lstrip("0") or "0")
        except Invalid as invalid:
            self.fail(number, field, invalid.code, **invalid.params)
            return Account(AccountKind.BANKGIRO, "", "")

    def _account(self, number: int, clearing: str, account: str) -> Account:
        try:
            return accounts.parse_bank_account(clearing, account.lstrip("0"))
        except Invalid as invalid:
            self.fail(number, "TK40 13-28", invalid.code, **invalid.params)
            return Account(AccountKind.BANK_ACCOUNT, "", "")

    def _day(self, number: int, field: str, text: str) -> datetime.date:
        day = _date(text)
        if day is None:
            self.fail(number, field, "date", text=text)
            return datetime.date.min
        return day

    def _amount(self, number: int, field: str, text: str) -> Decimal:
        if not text.isdigit():
            self.fail(number, field, "lb_amount", amount=text.strip())
            return Decimal("0.00")
        amount = Decimal(text) / 100
        if amount <= 0:
            self.fail(number, field, "amount_positive", amount=text)
        return amount.quantize(Decimal("0.01"))

    @staticmethod
    def _reference(text: str) -> Reference:
        if not text:
            return Reference(ReferenceKind.NONE, "")
        # LB has one field for both: digits that pass the OCR check are taken as OCR.
        if text.isdigit() and 2 <= len(text) <= 25 and luhn_valid(text):
            return Reference(ReferenceKind.OCR, text)
        return Reference(ReferenceKind.INVOICE, text)


def read_lb(data: bytes) -> PaymentFile:
    """An LB file's summary, or `PaymentFileRefused` naming each record and field."""
    text = data.decode("latin-1")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    too_long = [number for number, line in enumerate(lines, start=1) if len(line) > 80]
    if too_long:
        raise PaymentFileRefused([Problem("record", n, "lb_length") for n in too_long[:20]])
    return _Reader([line.ljust(80) for line in lines]).read()
