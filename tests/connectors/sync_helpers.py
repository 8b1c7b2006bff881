"""Shared by the sync tests: an ACTIVE connection against the sandbox without the HTML pages,
and the ledger/document state of a company as comparable data."""

from __future__ import annotations

import hashlib
from typing import Any

import stamina

from ledgerport.connectors import oauth, providers, tokens
from ledgerport.connectors.models import Connection, ConnectionStatus
from ledgerport.documents.models import Document, VoucherDocument
from ledgerport.ledger.models import FiscalYear, RowKind, Voucher, VoucherRow

LOGINS = {"fortnox": "admin@exempelbolaget.se", "spiris": "anna@nordljus.se"}


def connect(
    sandbox: Any, company: Any, provider: str = "fortnox", email: str | None = None, scope: str | None = None
) -> Connection:
    """As if the customer approved: the sandbox's authorize control, our code exchange, stored tokens."""
    spec = providers.get(provider)
    endpoints = spec.endpoints()
    code = sandbox.authorize(
        provider,
        email or LOGINS[provider],
        company=company.orgnr_display,
        redirect_uri=endpoints.redirect_uri,
        scope=scope or spec.scope,
    )["code"]
    token_set = oauth.exchange_code(endpoints, code=code, code_verifier="")
    connection, _ = Connection.objects.update_or_create(
        company=company,
        provider=provider,
        defaults={
            "status": ConnectionStatus.ACTIVE,
            "status_message": "",
            "external_orgnr": company.orgnr_display,
            "external_company_name": company.name,
        },
    )
    tokens.store_tokens(connection, token_set)
    return connection


def fast_retries(attempts: int = 3):  # type: ignore[no-untyped-def]
    """stamina without waiting (the retry policy itself is what http.py configures)."""
    return stamina.set_testing(True, attempts=attempts)


def ledger_state(company: Any) -> dict[str, Any]:
    """Vouchers with their final rows, per fiscal year, and the linked documents' hashes."""
    state: dict[str, Any] = {}
    for fy in FiscalYear.objects.filter(company=company).order_by("start"):
        vouchers = {
            (v.series, v.number): (str(v.date), v.text)
            for v in Voucher.objects.filter(fiscal_year=fy).only("series", "number", "date", "text")
        }
        rows = sorted(
            (r.voucher.series, r.voucher.number, r.account.number, str(r.amount), r.text)
            for r in VoucherRow.objects.filter(fiscal_year=fy, kind=RowKind.TRANS).select_related(
                "voucher", "account"
            )
        )
        links = sorted(
            (link.series, link.number, link.document.sha256)
            for link in VoucherDocument.objects.filter(fiscal_year=fy).select_related("document")
        )
        state[str(fy)] = {
            "source": fy.source,
            "vouchers": vouchers,
            "rows_digest": hashlib.sha256(repr(rows).encode()).hexdigest(),
            "row_count": len(rows),
            "links": links,
        }
    state["documents"] = sorted(Document.objects.filter(company=company).values_list("sha256", flat=True))
    return state
