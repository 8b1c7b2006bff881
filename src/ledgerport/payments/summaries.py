"""The parsed file as stored in `PaymentFile.summary` (JSON: decimal strings, ISO dates)."""

from __future__ import annotations

from typing import Any

from ledgerport.payfiles import PaymentFile as ParsedFile


def summary_of(parsed: ParsedFile) -> dict[str, Any]:
    return {
        "message_id": parsed.message_id,
        "created": parsed.created,
        "initiating_party": parsed.initiating_party,
        "currencies": parsed.currencies,
        "batches": [
            {
                "debtor": batch.debtor,
                "debtor_account": batch.debtor_account.formatted,
                "date": batch.date.isoformat(),
                "total": f"{batch.total:.2f}",
                "payments": [
                    {
                        "creditor": p.creditor,
                        "account_kind": str(p.account.kind),
                        "account": p.account.formatted,
                        "reference_kind": str(p.reference.kind),
                        "reference": p.reference.value,
                        "date": p.date.isoformat(),
                        "amount": f"{p.amount:.2f}",
                        "currency": p.currency,
                    }
                    for p in batch.payments
                ],
            }
            for batch in parsed.batches
        ],
    }
