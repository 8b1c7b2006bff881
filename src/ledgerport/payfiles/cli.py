"""`ledgerport payments summary PATH [--json]` - pure, no Django: what a payment file pays."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .lb import looks_like_lb, read_lb
from .model import PaymentFile
from .pain001 import read_pain001
from .problems import PaymentFileRefused

MAX_BYTES = 20 * 1024 * 1024  # the largest file the command reads (the web upload's limit is lower)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ledgerport payments", description="Check and summarise payment files."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="the payments of a pain.001.001.03 (or Bankgirot LB) file")
    summary.add_argument("path", type=Path)
    summary.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def summary_dict(payments: PaymentFile) -> dict[str, Any]:
    """The operators' JSON: amounts as decimal strings, dates ISO."""
    return {
        "control_sum": f"{payments.control_sum:.2f}",
        "number_of_transactions": payments.number_of_transactions,
        "payments": [
            {
                "creditor": payment.creditor,
                "account": payment.account.formatted,
                "reference": payment.reference.value,
                "date": payment.date.isoformat(),
                "amount": f"{payment.amount:.2f}",
            }
            for payment in payments.payments
        ],
    }


def _text(payments: PaymentFile) -> str:
    lines = [f"{payments.message_id}: {payments.number_of_transactions} payments, {payments.control_sum:.2f}"]
    for batch in payments.batches:
        lines.append(f"{batch.date.isoformat()} from {batch.debtor_account.formatted}: {batch.total:.2f}")
        lines += [
            f"  {p.creditor}  {p.account.formatted}  {p.reference.value}  {p.amount:.2f} {p.currency}"
            for p in batch.payments
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with args.path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        print(f"{args.path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if len(data) > MAX_BYTES:
        print(f"{args.path}: larger than {MAX_BYTES // (1024 * 1024)} MB", file=sys.stderr)
        return 1
    try:
        payments = read_lb(data) if looks_like_lb(data) else read_pain001(data)
    except PaymentFileRefused as refused:
        print(f"{args.path}: refused", file=sys.stderr)
        for problem in refused.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(json.dumps(summary_dict(payments), ensure_ascii=False, indent=2) if args.json else _text(payments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
