"""The summary of a payment file: what the client is asked to approve."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal


class AccountKind(enum.StrEnum):
    BANKGIRO = "bankgiro"
    PLUSGIRO = "plusgiro"
    BANK_ACCOUNT = "bank_account"  # a Swedish clearing number and account number
    IBAN = "iban"


class ReferenceKind(enum.StrEnum):
    OCR = "ocr"  # a structured creditor reference (SCOR): OCR number or RF reference
    INVOICE = "invoice"  # free text: the invoice number or a message
    NONE = "none"


@dataclass(frozen=True)
class Account:
    kind: AccountKind
    number: str  # compact: digits (clearing number first for a bank account) or the IBAN
    formatted: str  # as people write it: 5050-1055, 4 78 92 00-1, 8327-9 123456789-0, SE45 5000 …


@dataclass(frozen=True)
class Reference:
    kind: ReferenceKind
    value: str


@dataclass(frozen=True)
class Payment:
    end_to_end_id: str
    creditor: str
    account: Account
    reference: Reference
    date: datetime.date
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class PaymentBatch:
    """One PmtInf: the payments from one debtor account on one date."""

    payment_info_id: str
    debtor: str
    debtor_account: Account
    date: datetime.date
    payments: tuple[Payment, ...]

    @property
    def total(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal("0.00"))


@dataclass(frozen=True)
class PaymentFile:
    message_id: str
    created: str  # CreDtTm as written (ISO date-time, the bank's local time)
    initiating_party: str
    number_of_transactions: int
    control_sum: Decimal
    batches: tuple[PaymentBatch, ...]

    @property
    def payments(self) -> list[Payment]:
        return [payment for batch in self.batches for payment in batch.payments]

    @property
    def total(self) -> Decimal:
        return sum((batch.total for batch in self.batches), Decimal("0.00"))

    @property
    def currencies(self) -> list[str]:
        return sorted({payment.currency for payment in self.payments})
