"""Spiris simulator: Visma Connect under ``/spiris/identity``, eAccounting API v2 under ``/spiris/v2``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.core.http import JSONResponse
from sandbox.spiris import api, oauth


async def health(request: Request) -> Response:
    return JSONResponse({"provider": "spiris", "status": "ok"})


def routes() -> list[Route]:
    flow = oauth.flow
    return [
        Route("/health", health),
        Route("/identity/connect/authorize", oauth.authorize),
        Route("/identity/connect/authorize/login", flow.login, methods=["POST"]),
        Route("/identity/connect/authorize/company", flow.company, methods=["POST"]),
        Route("/identity/connect/authorize/consent", flow.consent, methods=["POST"]),
        Route("/identity/connect/token", oauth.token, methods=["POST"]),
        Route("/_files/{kind}/{ident}", api.download),
        Route("/v2/companysettings", api.company_settings),
        Route("/v2/fiscalyears", api.fiscal_years),
        Route("/v2/fiscalyears/{fiscalyear_id}", api.fiscal_year),
        Route("/v2/accounts/{fiscalyear_id}", api.accounts),
        Route("/v2/vouchers", api.vouchers),
        Route("/v2/vouchers/{fiscalyear_id}", api.vouchers_in_year),
        Route("/v2/vouchers/{fiscalyear_id}/{voucher_id}", api.voucher),
        Route("/v2/attachments", api.attachments),
        Route("/v2/attachments/{attachment_id}", api.attachment),
        Route("/v2/supplierinvoices", api.supplier_invoices),
        Route("/v2/supplierinvoices/{invoice_id}", api.supplier_invoice),
        Route("/v2/customerinvoices", api.customer_invoices),
        Route("/v2/customerinvoices/{invoice_id}", api.customer_invoice),
        Route("/v2/customerinvoices/{invoice_id}/pdf", api.customer_invoice_pdf),
    ]
