"""Spiris / Visma eAccounting API v2 (``https://eaccountingapi.vismaonline.com/v2``) under ``/spiris/v2``."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from sandbox.core.consent import public_base
from sandbox.core.http import JSONResponse, bearer, counted, sandbox
from sandbox.core.ledger import (
    ACCOUNTS,
    CustomerInvoice,
    FileDoc,
    FiscalYear,
    Ledger,
    SupplierInvoice,
    Voucher,
    as_number,
    invoice_pdf,
)
from sandbox.core.oauth import Grant
from sandbox.demo import COMPANIES, FISCAL_YEARS, USERS, Company

DEFAULT_PAGESIZE = 50
MAX_PAGESIZE = 1000
TEMPORARY_URL_TTL = 600  # seconds; the real lifetime is not documented

VOUCHER_TYPES = {
    "invoice": 14,
    "invoicepayment": 10,
    "supplierinvoice": 12,
    "supplierpayment": 11,
    "receipt": 7,
    "vat": 8,
}
ACCOUNTING = ("ea:accounting", "ea:accounting_readonly")
PURCHASE = ("ea:purchase", "ea:purchase_readonly")
SALES = ("ea:sales", "ea:sales_readonly")


class SpirisError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"ErrorCode": code, "DeveloperErrorMessage": message, "ErrorId": str(uuid.uuid4())}
    return JSONResponse(body, status_code=status, headers=headers)


def bad_request(message: str) -> SpirisError:
    return SpirisError(400, 4000, message)


def not_found(message: str) -> SpirisError:
    return SpirisError(404, 4004, message)


def utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_date(d: date | None) -> str | None:
    return f"{d.isoformat()}T00:00:00" if d else None


@dataclass
class Ctx:
    request: Request
    grant: Grant
    company: Company
    ledger: Ledger
    base: str  # http://host/spiris


Handler = Callable[[Ctx], Awaitable[Response]]


def endpoint(
    scopes: tuple[str, ...], *, module: str | None = None
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def run(request: Request) -> Response:
            return await counted(
                request, "spiris", handler.__name__, _guarded(request, handler, scopes, module)
            )

        return run

    return decorate


async def _guarded(
    request: Request, handler: Handler, scopes: tuple[str, ...], module: str | None
) -> Response:
    st = sandbox(request)
    rt = st.providers["spiris"]
    failure = await rt.pre_request()
    if failure:
        return error_response(failure, 5000, "An unexpected error occurred.")
    now = st.clock.time()
    _at, grant, problem = st.oauth("spiris").lookup(bearer(request), now)
    if problem or grant is None:
        header = 'Bearer error="invalid_token"' if problem != "missing" else "Bearer"
        return error_response(
            401,
            4001,
            "Unauthorized - the access token is missing, invalid or expired.",
            {"WWW-Authenticate": header},
        )
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))
    wait = rt.hit(("spiris", grant.client_id, path), now)
    if wait is not None:
        rt.counts["rate_limited"] += 1
        assert rt.rate_limit is not None
        return error_response(
            429,
            4010,
            f"API calls quota exceeded! maximum admitted {rt.rate_limit.limit} per "
            f"{'Minute' if rt.rate_limit.window == 60 else f'{rt.rate_limit.window:g} seconds'}. "
            f"Try again in {math.ceil(wait)} seconds.",
        )
    company = COMPANIES[grant.company_key]
    if not company.integration_licence:
        return error_response(403, 4002, "ForbiddenRequestException - No access to module: api_standard")
    if not any(s in grant.scopes for s in scopes):
        return error_response(
            403, 4002, f"ForbiddenRequestException - Insufficient scope. Requires any of: {', '.join(scopes)}"
        )
    if module and module not in company.modules:
        name = {"bokforing": "bookkeeping", "fakturering": "invoicing"}.get(module, module)
        return error_response(403, 4002, f"ForbiddenRequestException - No access to module: {name}")
    user = USERS.get(("spiris", grant.user_email or ""))
    membership = user.memberships.get(company.key) if user else None
    if membership is None or not membership.admin:
        return error_response(
            403,
            4002,
            "ForbiddenRequestException - The user does not have full program permission "
            "(Fullständig programbehörighet) for this company.",
        )
    ctx = Ctx(request, grant, company, st.ledger(company.key), public_base(request))
    try:
        return await handler(ctx)
    except SpirisError as err:
        return error_response(err.status, err.code, err.message)


# ----------------------------------------------------------------------------- OData-ish helpers

_COND = re.compile(
    r"^\s*(?:(year|month|day)\((\w+)\)|(\w+))\s+(eq|ne|gt|ge|lt|le)\s+(.+?)\s*$",
    re.IGNORECASE,
)


def _literal(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("'") and raw.endswith("'"):
        raw = raw[1:-1]
        try:
            return _as_datetime(raw)
        except ValueError:
            return raw
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if raw.lower() == "null":
        return None
    if re.fullmatch(r"-?\d+(\.\d+)?", raw):
        return float(raw) if "." in raw else int(raw)
    try:
        return _as_datetime(raw)
    except ValueError:
        raise bad_request(f"Invalid literal in $filter: {raw}") from None


def _as_datetime(raw: str) -> datetime:
    text = raw.strip().replace("Z", "+00:00")
    value = (
        datetime.fromisoformat(text)
        if "T" in text or len(text) > 10
        else datetime.fromisoformat(text + "T00:00:00")
    )
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _field_value(item: dict, name: str) -> Any:
    for key, value in item.items():
        if key.lower() == name.lower():
            if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
                return _as_datetime(value)
            return value
    raise bad_request(f"Unknown property in $filter: {name}")


def _compare(left: Any, op: str, right: Any) -> bool:
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if left is None or right is None:
        return False
    try:
        return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]
    except TypeError:
        raise bad_request("Incompatible types in $filter") from None


def apply_filter(items: list[dict], expression: str | None) -> list[dict]:
    """Supports ``<Property> <op> <literal>`` and ``year|month|day(<Property>) <op> <int>`` joined by ``and``."""
    if not expression:
        return items
    conditions = []
    for part in re.split(r"\s+and\s+", expression.strip(), flags=re.IGNORECASE):
        m = _COND.match(part)
        if not m:
            raise bad_request(f"Unsupported $filter expression: {part}")
        func, func_field, plain_field, op, literal = m.groups()
        conditions.append(
            (func.lower() if func else None, func_field or plain_field, op.lower(), _literal(literal))
        )
    out = []
    for item in items:
        ok = True
        for func, name, op, right in conditions:
            left = _field_value(item, name)
            if func:
                if not isinstance(left, datetime):
                    raise bad_request(f"{func}() needs a date property")
                left = getattr(left, func)
            if not _compare(left, op, right):
                ok = False
                break
        if ok:
            out.append(item)
    return out


def paginate(ctx: Ctx, items: list[dict]) -> Response:
    q = ctx.request.query_params
    items = apply_filter(items, q.get("$filter"))
    orderby = q.get("$orderby")
    if orderby:
        name, _, direction = orderby.strip().partition(" ")
        items = sorted(
            items,
            key=lambda i: (_field_value(i, name) is None, str(_field_value(i, name))),
            reverse=direction.strip().lower() == "desc",
        )
    try:
        page = int(q.get("$page", "1"))
        size = int(q.get("$pagesize", str(DEFAULT_PAGESIZE)))
    except ValueError:
        raise bad_request("$page and $pagesize must be integers") from None
    if page < 1 or size < 1:
        raise bad_request("$page and $pagesize must be positive")
    size = min(size, MAX_PAGESIZE)
    total = len(items)
    pages = math.ceil(total / size) if total else 0
    chunk = items[(page - 1) * size : page * size]
    now = sandbox(ctx.request).clock.now()
    meta = {
        "CurrentPage": page,
        "PageSize": size,
        "TotalNumberOfPages": pages,
        "TotalNumberOfResults": total,
        "ServerTimeUtc": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    links = []
    base = f"{ctx.base}{ctx.request.url.path.removeprefix(ctx.request.scope.get('root_path', ''))}"
    params = {k: v for k, v in q.items() if k != "$page"}
    if page < pages:
        links.append(f'<{base}?{urlencode({**params, "$page": page + 1})}>; rel="next"')
    if pages:
        links.append(f'<{base}?{urlencode({**params, "$page": pages})}>; rel="last"')
    headers = {"Link": ", ".join(links)} if links else None
    return JSONResponse({"Meta": meta, "Data": chunk}, headers=headers)


# ----------------------------------------------------------------------------- temporary URLs


def _signature(st_secret: bytes, kind: str, company: str, ident: str, expires: int) -> str:
    msg = f"{kind}:{company}:{ident}:{expires}".encode()
    return hmac.new(st_secret, msg, hashlib.sha256).hexdigest()[:32]


def temporary_url(ctx: Ctx, kind: str, ident: str) -> str:
    st = sandbox(ctx.request)
    expires = int(st.clock.time() + TEMPORARY_URL_TTL)
    sig = _signature(st.secret, kind, ctx.company.key, ident, expires)
    query = urlencode({"c": ctx.company.key, "se": expires, "sig": sig})
    return f"{ctx.base}/_files/{kind}/{ident}?{query}"


async def download(request: Request) -> Response:
    """The pre-signed blob URL: no bearer token needed, expires after TEMPORARY_URL_TTL."""
    st = sandbox(request)
    rt = st.providers["spiris"]
    rt.counts["file_downloads"] += 1
    kind = request.path_params["kind"]
    ident = request.path_params["ident"]
    q = request.query_params
    company = q.get("c", "")
    try:
        expires = int(q.get("se", "0"))
    except ValueError:
        expires = 0
    expected = _signature(st.secret, kind, company, ident, expires)
    blob_error = '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>{}</Message></Error>'
    if company not in COMPANIES or not hmac.compare_digest(expected, q.get("sig", "")):
        return Response(
            blob_error.format("Signature did not match."), status_code=403, media_type="application/xml"
        )
    if st.clock.time() > expires:
        return Response(
            blob_error.format("Signed expiry time has passed."), status_code=403, media_type="application/xml"
        )
    ledger = st.ledger(company)
    if kind == "attachment":
        f = ledger.files.get(ident)
        if f is None:
            return Response(status_code=404)
        return Response(
            f.content,
            media_type=f.content_type,
            headers={"Content-Disposition": f'inline; filename="{f.name}"'},
        )
    inv = ledger.invoice_by_uid.get(ident)
    if kind != "invoice" or inv is None:
        return Response(status_code=404)
    return Response(
        invoice_pdf(COMPANIES[company], inv),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="Faktura_{inv.number}.pdf"'},
    )


# ----------------------------------------------------------------------------- company and years


@endpoint(SALES)
async def company_settings(ctx: Ctx) -> Response:
    c = ctx.company
    modules = {
        "bokforing": "Bookkeeping",
        "fakturering": "Invoicing",
        "leverantorer": "Purchase",
        "arkiv": "Archive",
    }
    variant = (
        1
        if "bokforing" in c.modules and "fakturering" in c.modules
        else (3 if "bokforing" in c.modules else 2)
    )
    return JSONResponse(
        {
            "Name": c.name,
            "Email": f"info@{c.key}.example.se",
            "Phone": None,
            "MobilePhone": None,
            "Address1": c.address,
            "Address2": None,
            "CountryCode": "SE",
            "PostalCode": c.zip_code,
            "City": c.city,
            "Website": None,
            "CurrencyCode": "SEK",
            "TermsOfPaymentId": str(uuid.uuid5(uuid.NAMESPACE_URL, "spiris-terms-30")),
            "CorporateIdentityNumber": c.orgnr,
            "VatCode": "SE" + c.orgnr.replace("-", "") + "01",
            "BankGiro": "5050-1055",
            "PlusGiro": None,
            "BankAccount": None,
            "Iban": None,
            "AccountNumberDigits": 4,
            "AccountingLockedTo": f"{ctx.ledger.years[0].year}-12-31T00:00:00",
            "AccountingLockInterval": 0,
            "ProductVariant": variant,
            "TypeOfBusiness": 1,
            "VatPeriod": 1,
            "ActivatedModules": [modules[m] for m in sorted(c.modules) if m in modules]
            + (["api_standard"] if c.integration_licence else []),
            "CompanyIdentifier": str(c.database_number),
            "CompanyStatus": 1,
            "UsesCostCenter": False,
            "UsesProject": False,
        }
    )


def _fy_body(fy: FiscalYear) -> dict:
    return {
        "Id": fy.uid,
        "StartDate": local_date(fy.start),
        "EndDate": local_date(fy.end),
        "IsLockedForAccounting": fy.year < FISCAL_YEARS[-1],
        "BookkeepingMethod": 0,
    }


@endpoint(SALES + ACCOUNTING)
async def fiscal_years(ctx: Ctx) -> Response:
    return paginate(ctx, [_fy_body(y) for y in ctx.ledger.years])


def _year(ctx: Ctx, param: str = "fiscalyear_id") -> FiscalYear:
    fy = ctx.ledger.year_by_uid(ctx.request.path_params[param])
    if fy is None:
        raise not_found("FiscalYear not found")
    return fy


@endpoint(SALES + ACCOUNTING)
async def fiscal_year(ctx: Ctx) -> Response:
    return JSONResponse(_fy_body(_year(ctx)))


@endpoint(ACCOUNTING, module="bokforing")
async def accounts(ctx: Ctx) -> Response:
    fy = _year(ctx)
    created = utc(datetime(fy.year, 1, 1, 8, tzinfo=UTC))
    items = [
        {
            "Name": ACCOUNTS.get(n, str(n)),
            "Number": str(n),
            "VatCodeId": None,
            "VatCodeDescription": None,
            "FiscalYearId": fy.uid,
            "ReferenceCode": None,
            "Type": 0,
            "TypeDescription": None,
            "ModifiedUtc": created,
            "CreatedUtc": created,
            "IsActive": True,
            "AllowTransactionText": True,
            "IsFirstCostCenterMandatory": False,
            "IsProjectAllowed": True,
            "IsCostCenterAllowed": True,
            "IsBlockedForManualBooking": False,
            "Description": None,
        }
        for n in ctx.ledger.accounts_used()
    ]
    return paginate(ctx, items)


# ----------------------------------------------------------------------------- vouchers


def _voucher_body(v: Voucher) -> dict:
    return {
        "Id": v.uid,
        "VoucherDate": local_date(v.date),
        "VoucherText": v.text,
        "Rows": [
            {
                "AccountNumber": r.account,
                "AccountDescription": ACCOUNTS.get(r.account),
                "DebitAmount": as_number(r.debit),
                "CreditAmount": as_number(r.credit),
                "TransactionText": r.text or None,
                "CostCenterItemId1": None,
                "CostCenterItemId2": None,
                "CostCenterItemId3": None,
                "VatCodeId": None,
                "VatCodeAndPercent": None,
                "VatAmount": None,
                "Quantity": None,
                "Weight": None,
                "DeliveryDate": None,
                "HarvestYear": None,
                "ProjectId": None,
            }
            for r in v.rows
        ],
        "NumberAndNumberSeries": f"{v.series}{v.number}",
        "NumberSeries": v.series,
        "ImportedVoucherNumber": None,
        "Attachments": {"DocumentId": v.uid, "DocumentType": 3, "AttachmentIds": list(v.file_ids)},
        "ModifiedUtc": utc(v.modified),
        "VoucherType": VOUCHER_TYPES.get(v.kind, 2),
        "SourceId": v.source_uid,
        "CreatedUtc": utc(v.created),
    }


@endpoint(ACCOUNTING, module="bokforing")
async def vouchers(ctx: Ctx) -> Response:
    return paginate(ctx, [_voucher_body(v) for v in ctx.ledger.vouchers])


@endpoint(ACCOUNTING, module="bokforing")
async def vouchers_in_year(ctx: Ctx) -> Response:
    fy = _year(ctx)
    return paginate(ctx, [_voucher_body(v) for v in ctx.ledger.vouchers_in(fy.year)])


@endpoint(ACCOUNTING, module="bokforing")
async def voucher(ctx: Ctx) -> Response:
    fy = _year(ctx)
    v = ctx.ledger.by_uid.get(ctx.request.path_params["voucher_id"].lower())
    if v is None or v.year != fy.year:
        raise not_found("Voucher not found")
    return JSONResponse(_voucher_body(v))


# ----------------------------------------------------------------------------- attachments


def _attachment_body(ctx: Ctx, f: FileDoc, with_url: bool) -> dict:
    si = ctx.ledger.si_by_uid.get(f.link_uid or "") if f.link_kind == "supplierinvoice" else None
    v = ctx.ledger.by_uid.get(f.link_uid or "") if f.link_kind == "voucher" else None
    doc_type = {"supplierinvoice": 1, "voucher": 3}.get(f.link_kind, 0)
    return {
        "Id": f.uid,
        "ContentType": f.content_type,
        "DocumentId": f.link_uid,
        "AttachedDocumentType": doc_type,
        "MessageThreads": [],
        "Notes": [],
        "PhotoSource": 100 if f.kind == "pdf" else 4,
        "FileName": f.name,
        "TemporaryUrl": temporary_url(ctx, "attachment", f.uid) if with_url else None,
        "Comment": f.comment or None,
        "SupplierName": si.supplier.name if si else None,
        "CurrencyCode": "SEK",
        "AmountInvoiceCurrency": as_number(si.total) if si else 0.0,
        "Type": 0 if si else (1 if v is not None and v.kind == "receipt" else 2),
        "AttachmentStatus": 1 if f.link_kind == "inbox" else 0,
        "UploadedBy": "anna@nordljus.se" if f.kind != "pdf" else None,
        "ImageDate": utc(f.created),
        "TransactionDate": local_date(f.date),
        "Ocr": si.ocr if si else None,
        "InvoiceNumber": si.invoice_number if si else None,
        "Vat": as_number(si.vat) if si else None,
        "DueDate": local_date(si.due) if si else None,
        "SupplierCorporateIdentityNumber": si.supplier.orgnr if si else None,
        "PaymentDate": local_date(si.payment.date) if si and si.payment else None,
    }


def _flag(request: Request, name: str) -> bool:
    raw = request.query_params.get(name)
    return True if raw is None else raw.lower() != "false"


@endpoint(PURCHASE + ACCOUNTING)
async def attachments(ctx: Ctx) -> Response:
    include_matched = _flag(ctx.request, "includeMatched")
    with_url = _flag(ctx.request, "includeTemporaryUrl")
    files = sorted(ctx.ledger.files.values(), key=lambda f: (f.created, f.uid))
    if not include_matched:
        files = [f for f in files if f.link_kind == "inbox"]
    return paginate(ctx, [_attachment_body(ctx, f, with_url) for f in files])


@endpoint(PURCHASE + ACCOUNTING)
async def attachment(ctx: Ctx) -> Response:
    f = ctx.ledger.files.get(ctx.request.path_params["attachment_id"].lower())
    if f is None:
        raise not_found("Attachment not found")
    return JSONResponse(_attachment_body(ctx, f, True))


# ----------------------------------------------------------------------------- supplier and customer invoices


def _si_body(si: SupplierInvoice) -> dict:
    v = si.voucher
    return {
        "Id": si.uid,
        "SupplierId": si.supplier.uid,
        "BankAccountId": str(uuid.UUID(int=0)),
        "InvoiceDate": local_date(si.date),
        "PaymentDate": local_date(si.payment.date) if si.payment else None,
        "DueDate": local_date(si.due),
        "InvoiceNumber": si.invoice_number,
        "TotalAmount": as_number(si.total),
        "Vat": as_number(si.vat),
        "VatHigh": as_number(si.vat),
        "VatMedium": 0.0,
        "VatLow": 0.0,
        "IsCreditInvoice": False,
        "CurrencyCode": "SEK",
        "CurrencyRate": 1.0,
        "OcrNumber": si.ocr,
        "Message": None,
        "CreatedUtc": utc(si.created),
        "ModifiedUtc": utc(si.modified),
        "Rows": [
            {
                "AccountNumber": si.account,
                "AccountName": ACCOUNTS.get(si.account),
                "DebitAmount": as_number(si.net),
            }
        ],
        "SupplierName": si.supplier.name,
        "SupplierNumber": si.supplier.number,
        "IsQuickInvoice": False,
        "IsDomestic": True,
        "RemainingAmount": as_number(si.balance),
        "RemainingAmountInvoiceCurrency": as_number(si.balance),
        "Number": si.given_number,
        "NumberSeries": v.series if v else None,
        "VoucherNumber": f"{v.series}{v.number}" if v else None,
        "VoucherId": v.uid if v else None,
        "Attachments": list(si.file_ids),
        "Status": 1,
        "PaymentStatus": 6 if si.payment else 3,
    }


@endpoint(PURCHASE)
async def supplier_invoices(ctx: Ctx) -> Response:
    return paginate(ctx, [_si_body(s) for s in ctx.ledger.supplier_invoices])


@endpoint(PURCHASE)
async def supplier_invoice(ctx: Ctx) -> Response:
    si = ctx.ledger.si_by_uid.get(ctx.request.path_params["invoice_id"].lower())
    if si is None:
        raise not_found("SupplierInvoice not found")
    return JSONResponse(_si_body(si))


def _ci_body(inv: CustomerInvoice) -> dict:
    v = inv.voucher
    return {
        "Id": inv.uid,
        "EuThirdParty": False,
        "IsCreditInvoice": False,
        "CurrencyCode": "SEK",
        "CurrencyRate": 1.0,
        "TotalAmount": as_number(inv.total),
        "TotalVatAmount": as_number(inv.vat),
        "TotalRoundings": 0.0,
        "TotalAmountInvoiceCurrency": as_number(inv.total),
        "TotalVatAmountInvoiceCurrency": as_number(inv.vat),
        "CustomerId": inv.customer.uid,
        "Rows": [
            {
                "LineNumber": i,
                "Text": line.text,
                "UnitPrice": as_number(line.price),
                "Quantity": line.quantity,
                "PercentVat": 0.25,
                "AmountNoVat": as_number(line.total),
                "IsServiceArticle": True,
                "IsTextRow": False,
            }
            for i, line in enumerate(inv.lines)
        ],
        "InvoiceDate": local_date(inv.date),
        "DueDate": local_date(inv.due),
        "RotReducedInvoicingType": 0,
        "InvoiceNumber": inv.number,
        "CustomerNumber": inv.customer.number,
        "CustomerName": inv.customer.name,
        "InvoiceCustomerName": inv.customer.name,
        "SalesDocumentAttachments": [],
        "RemainingAmount": as_number(inv.balance),
        "RemainingAmountInvoiceCurrency": as_number(inv.balance),
        "VoucherNumber": f"{v.series}{v.number}" if v else None,
        "VoucherId": v.uid if v else None,
        "CreatedUtc": utc(inv.created),
        "ModifiedUtc": utc(inv.modified),
        "PaymentDate": local_date(inv.payment.date) if inv.payment else None,
        "PaymentStatus": 0 if inv.payment else 1,
        "IncludesVat": False,
    }


@endpoint(SALES)
async def customer_invoices(ctx: Ctx) -> Response:
    items = ctx.ledger.invoices
    since = ctx.request.query_params.get("modifiedSinceUtc")
    if since:
        try:
            since_dt = _as_datetime(since)
        except ValueError:
            raise bad_request("modifiedSinceUtc is not a valid date") from None
        items = [i for i in items if i.modified >= since_dt]
    return paginate(ctx, [_ci_body(i) for i in items])


def _ci(ctx: Ctx) -> CustomerInvoice:
    inv = ctx.ledger.invoice_by_uid.get(ctx.request.path_params["invoice_id"].lower())
    if inv is None:
        raise not_found("CustomerInvoice not found")
    return inv


@endpoint(SALES)
async def customer_invoice(ctx: Ctx) -> Response:
    return JSONResponse(_ci_body(_ci(ctx)))


@endpoint(SALES)
async def customer_invoice_pdf(ctx: Ctx) -> Response:
    inv = _ci(ctx)
    return JSONResponse({"Url": temporary_url(ctx, "invoice", inv.uid)})
