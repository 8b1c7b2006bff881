"""Payment files a client approves in their bank: ISO 20022 pain.001.001.03 (no Django).

`read_pain001(data)` validates a file against the schema and then what the schema cannot
check (account and OCR check digits, öre amounts, control sums) and returns its summary;
any problem refuses the whole file with `PaymentFileRefused`, naming each element.
`read_lb` reads Bankgirot's older LB format; `read_payment_file` takes either.
"""

from .lb import looks_like_lb, read_lb
from .model import Account, AccountKind, Payment, PaymentBatch, PaymentFile, Reference, ReferenceKind
from .pain001 import read_pain001
from .problems import PaymentFileRefused, Problem

__all__ = [
    "Account",
    "AccountKind",
    "Payment",
    "PaymentBatch",
    "PaymentFile",
    "PaymentFileRefused",
    "Problem",
    "Reference",
    "ReferenceKind",
    "read_lb",
    "read_pain001",
    "read_payment_file",
]


def read_payment_file(data: bytes) -> PaymentFile:
    """A pain.001.001.03 file, or Bankgirot's LB format when it opens like one."""
    return read_lb(data) if looks_like_lb(data) else read_pain001(data)
