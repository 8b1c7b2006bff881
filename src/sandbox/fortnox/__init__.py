"""Fortnox simulator: OAuth2 under ``/fortnox/oauth-v1``, REST API v3 under ``/fortnox/3``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.core.http import JSONResponse
from sandbox.fortnox import api, oauth


async def health(request: Request) -> Response:
    return JSONResponse({"provider": "fortnox", "status": "ok"})


def routes() -> list[Route]:
    flow = oauth.flow
    return [
        Route("/health", health),
        Route("/oauth-v1/auth", oauth.authorize),
        Route("/oauth-v1/auth/login", flow.login, methods=["POST"]),
        Route("/oauth-v1/auth/company", flow.company, methods=["POST"]),
        Route("/oauth-v1/auth/consent", flow.consent, methods=["POST"]),
        Route("/oauth-v1/token", oauth.token, methods=["POST"]),
        Route("/oauth-v1/revoke", oauth.revoke, methods=["POST"]),
        Route("/3/companyinformation", api.company_information),
        Route("/3/me", api.me),
        Route("/3/settings/company", api.company_settings),
        Route("/3/settings/lockedperiod", api.locked_period),
        Route("/3/financialyears", api.financial_years),
        Route("/3/financialyears/{id}", api.financial_year),
        Route("/3/accounts", api.accounts),
        Route("/3/accounts/{number}", api.account),
        Route("/3/voucherseries", api.voucher_series),
        Route("/3/vouchers", api.vouchers),
        Route("/3/vouchers/sublist", api.vouchers_sublist),
        Route("/3/vouchers/sublist/{series}", api.vouchers_sublist),
        Route("/3/vouchers/{series}/{number}", api.voucher),
        Route("/3/sie/{type}", api.sie),
        Route("/3/voucherfileconnections", api.voucher_file_connections),
        Route("/3/voucherfileconnections/{file_id}", api.voucher_file_connection),
        Route("/3/supplierinvoicefileconnections", api.supplier_invoice_file_connections),
        Route("/3/supplierinvoicefileconnections/{file_id}", api.supplier_invoice_file_connection),
        Route("/3/archive", api.archive_root),
        Route("/3/archive/{id}", api.archive_item),
        Route("/3/inbox", api.inbox_root),
        Route("/3/inbox/{id}", api.inbox_item),
        Route("/3/supplierinvoices", api.supplier_invoices),
        Route("/3/supplierinvoices/{number}", api.supplier_invoice),
        Route("/3/invoices", api.invoices),
        Route("/3/invoices/{number}", api.invoice),
        Route("/3/invoices/{number}/preview", api.invoice_preview),
        Route("/3/invoices/{number}/print", api.invoice_preview),
    ]
