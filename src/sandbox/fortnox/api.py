"""Fortnox REST API v3 (``https://api.fortnox.se/3/...``) simulated under ``/fortnox/3/...``."""

from __future__ import annotations

import math
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps

from starlette.requests import Request
from starlette.responses import Response

from sandbox.core.clock import STOCKHOLM
from sandbox.core.consent import public_base
from sandbox.core.http import JSONResponse, bearer, counted, query_ci, sandbox
from sandbox.core.ledger import (
    ACCOUNTS,
    CustomerInvoice,
    FileDoc,
    FiscalYear,
    Ledger,
    SupplierInvoice,
    Voucher,
    as_number,
    decimal_str,
    invoice_pdf,
)
from sandbox.core.oauth import Grant
from sandbox.core.sie import sie4
from sandbox.demo import COMPANIES, USERS, Company

MAX_LIMIT = 500
DEFAULT_LIMIT = 100

# Scope -> module licence the company needs (else 2001101).
SCOPE_MODULES = {
    "bookkeeping": "bokforing",
    "connectfile": "bokforing",
    "supplierinvoice": "leverantorer",
    "invoice": "fakturering",
}
REGISTER_NAMES = {
    "supplierinvoice": "leverantörsregister",
    "invoice": "kundregister",
    "bookkeeping": "bokföring",
}
SERIES = {
    "A": "Redovisning",
    "B": "Kundfakturor",
    "C": "Kundinbetalningar",
    "D": "Leverantörsfakturor",
    "E": "Leverantörsutbetalningar",
    "L": "Lön",
}
REFERENCE_TYPES = {
    "invoice": "INVOICE",
    "invoicepayment": "INVOICEPAYMENT",
    "supplierinvoice": "SUPPLIERINVOICE",
    "supplierpayment": "SUPPLIERPAYMENT",
}


class FortnoxError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: int, message: str) -> Response:
    return JSONResponse(
        {"ErrorInformation": {"error": 1, "message": message, "code": code}}, status_code=status
    )


def bad_param() -> FortnoxError:
    return FortnoxError(400, 2000588, "Ogiltig parameter i anropet.")


def not_found(message: str) -> FortnoxError:
    return FortnoxError(404, 2000423, message)


@dataclass
class Ctx:
    request: Request
    grant: Grant
    company: Company
    ledger: Ledger
    base: str  # e.g. http://127.0.0.1:8001/fortnox

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


Handler = Callable[[Ctx], Awaitable[Response]]


def endpoint(
    scope: str | None, *, binary: bool = False
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Authentication, rate limit, knobs, licence/scope/permission checks, error rendering, counting."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def run(request: Request) -> Response:
            return await counted(
                request, "fortnox", handler.__name__, _guarded(request, handler, scope, binary)
            )

        return run

    return decorate


async def _guarded(request: Request, handler: Handler, scope: str | None, binary: bool) -> Response:
    st = sandbox(request)
    rt = st.providers["fortnox"]
    failure = await rt.pre_request()
    if failure:
        return error_response(failure, 1000003, "System exception")
    accept = request.headers.get("accept", "*/*").lower()
    if (
        not binary
        and "application/json" not in accept
        and "*/*" not in accept
        and "application/*" not in accept
    ):
        return error_response(406, 1000030, "Invalid response type")
    token = bearer(request)
    if token is None and request.headers.get("access-token"):
        # The legacy Access-Token + Client-Secret pair was switched off 2025-04-30.
        return error_response(401, 2000310, "Ogiltig inloggning")
    store = st.oauth("fortnox")
    now = st.clock.time()
    _at, grant, problem = store.lookup(token, now)
    if problem == "missing":
        return error_response(401, 2000311, "Kan inte logga in, access-token eller client-secret saknas(2).")
    if problem or grant is None:
        return error_response(401, 2000310, "Ogiltig inloggning")
    wait = rt.hit(("fortnox", grant.client_id, grant.company_key), now)
    if wait is not None:
        rt.counts["rate_limited"] += 1
        return JSONResponse({"message": "API rate limit exceeded"}, status_code=429)
    company = COMPANIES[grant.company_key]
    if not company.integration_licence:
        return error_response(403, 2001103, "Api-licens saknas.")
    if scope is not None:
        if scope not in grant.scopes:
            return error_response(403, 2000663, "Har inte behörighet för scope.")
        module = SCOPE_MODULES.get(scope)
        if module and module not in company.modules:
            return error_response(403, 2001101, "Det finns ingen aktiv licens för önskat scope.")
        if not grant.service and grant.user_email:
            user = USERS.get(("fortnox", grant.user_email))
            membership = user.memberships.get(company.key) if user else None
            if membership and scope in membership.denied:
                register = REGISTER_NAMES.get(scope, scope)
                return error_response(403, 2003275, f"Saknar behörighet för {register}.")
    ctx = Ctx(request, grant, company, st.ledger(company.key), public_base(request))
    try:
        return await handler(ctx)
    except FortnoxError as err:
        return error_response(err.status, err.code, err.message)


# ----------------------------------------------------------------------------- helpers


def _int_param(request: Request, *names: str, default: int | None = None) -> int | None:
    raw = query_ci(request, *names)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_param() from None


def _date_param(request: Request, *names: str) -> date | None:
    raw = query_ci(request, *names)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_param() from None


def _lastmodified(request: Request) -> datetime | None:
    raw = query_ci(request, "lastmodified")
    if not raw:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw.strip(), fmt).replace(tzinfo=STOCKHOLM)
        except ValueError:
            continue
    raise bad_param()


def _page(ctx: Ctx, items: list, key: str, render: Callable[[object], dict]) -> Response:
    request = ctx.request
    limit = _int_param(request, "limit", default=DEFAULT_LIMIT)
    page = _int_param(request, "page", default=1)
    offset = _int_param(request, "offset", default=0)
    assert limit is not None and page is not None and offset is not None
    if limit < 1 or page < 1 or offset < 0:
        raise bad_param()
    limit = min(limit, MAX_LIMIT)
    total = len(items)
    start = offset + (page - 1) * limit
    chunk = items[start : start + limit]
    meta = {
        "@TotalResources": total,
        "@TotalPages": max(1, math.ceil(max(total - offset, 0) / limit)),
        "@CurrentPage": page,
    }
    return JSONResponse({"MetaInformation": meta, key: [render(i) for i in chunk]})


def _fiscal_year(ctx: Ctx) -> FiscalYear:
    fid = _int_param(ctx.request, "financialyear")
    if fid is not None:
        fy = ctx.ledger.year_by_fortnox_id(fid)
        if fy is None:
            raise not_found("Kan inte hitta räkenskapsåret.")
        return fy
    day = _date_param(ctx.request, "financialyeardate") or sandbox(ctx.request).clock.local_now().date()
    fy = ctx.ledger.year_for_date(day)
    if fy is None:
        if query_ci(ctx.request, "financialyeardate"):
            raise not_found("Kan inte hitta räkenskapsåret.")
        fy = ctx.ledger.years[-1]
    return fy


def _fy_id(ledger: Ledger, year: int) -> int:
    fy = ledger.year(year)
    assert fy is not None
    return fy.fortnox_id


def _voucher_item(ctx: Ctx, v: Voucher) -> dict:
    fid = _fy_id(ctx.ledger, v.year)
    return {
        "@url": ctx.url(f"/3/vouchers/{v.series}/{v.number}?financialyear={fid}"),
        "ApprovalState": 0,
        "Comments": "",
        "Description": v.text,
        "ReferenceNumber": v.reference,
        "ReferenceType": REFERENCE_TYPES.get(v.kind, "MANUAL"),
        "TransactionDate": v.date.isoformat(),
        "VoucherNumber": v.number,
        "VoucherSeries": v.series,
        "Year": fid,
    }


def _voucher_full(ctx: Ctx, v: Voucher) -> dict:
    body = _voucher_item(ctx, v)
    body.update(
        {
            "CostCenter": "",
            "Project": "",
            "VoucherRows": [
                {
                    "Account": r.account,
                    "CostCenter": "",
                    "Credit": as_number(r.credit),
                    "Debit": as_number(r.debit),
                    "Description": ACCOUNTS.get(r.account, ""),
                    "Project": "",
                    "Quantity": 0,
                    "Removed": False,
                    "TransactionInformation": r.text,
                }
                for r in v.rows
            ],
        }
    )
    return body


def _voucher_list(ctx: Ctx, series: str | None) -> list[Voucher]:
    fy = _fiscal_year(ctx)
    items = ctx.ledger.vouchers_in(fy.year)
    if series:
        items = [v for v in items if v.series == series.upper()]
    since = _lastmodified(ctx.request)
    if since:
        items = [v for v in items if v.modified >= since]
    fromdate = _date_param(ctx.request, "fromdate")
    todate = _date_param(ctx.request, "todate")
    if fromdate:
        items = [v for v in items if v.date >= fromdate]
    if todate:
        items = [v for v in items if v.date <= todate]
    return items


# ----------------------------------------------------------------------------- company, years, accounts


@endpoint("companyinformation")
async def company_information(ctx: Ctx) -> Response:
    c = ctx.company
    return JSONResponse(
        {
            "CompanyInformation": {
                "Address": c.address,
                "City": c.city,
                "CompanyName": c.name,
                "CountryCode": "SE",
                "DatabaseNumber": c.database_number,
                "OrganizationNumber": c.orgnr,
                "VisitAddress": c.address,
                "VisitCity": c.city,
                "VisitCountryCode": "SE",
                "VisitZipCode": c.zip_code,
                "ZipCode": c.zip_code,
            }
        }
    )


@endpoint(None)
async def me(ctx: Ctx) -> Response:
    """The user behind the access token (public: no scope needed)."""
    user = USERS.get(("fortnox", ctx.grant.user_email or ""))
    membership = user.memberships.get(ctx.company.key) if user else None
    return JSONResponse(
        {
            "Me": {
                "Email": user.email if user else "",
                "Id": ctx.grant.user_email or f"service:{ctx.grant.client_id}",
                "Locale": "sv_SE",
                "Name": user.name if user else "",
                "SysAdmin": bool(membership and membership.admin) or (user is not None and user.byra),
            }
        }
    )


@endpoint("settings")
async def company_settings(ctx: Ctx) -> Response:
    c = ctx.company
    return JSONResponse(
        {
            "CompanySettings": {
                "Address": c.address,
                "BG": "5050-1055",
                "BIC": "ESSESESS",
                "BranchCode": "",
                "City": c.city,
                "ContactFirstName": "",
                "ContactLastName": "",
                "Country": "Sverige",
                "CountryCode": "SE",
                "DatabaseNumber": str(c.database_number),
                "Domicile": c.city,
                "Email": f"info@{c.key}.example.se",
                "Fax": "",
                "IBAN": "",
                "Name": c.name,
                "OrganizationNumber": c.orgnr,
                "PG": "",
                "Phone1": "",
                "Phone2": "",
                "TaxEnabled": True,
                "VATNumber": "SE" + c.orgnr.replace("-", "") + "01",
                "VisitAddress": c.address,
                "VisitCity": c.city,
                "VisitCountry": "Sverige",
                "VisitCountryCode": "SE",
                "VisitName": c.name,
                "VisitZipCode": c.zip_code,
                "WWW": "",
                "ZipCode": c.zip_code,
            }
        }
    )


@endpoint("settings")
async def locked_period(ctx: Ctx) -> Response:
    return JSONResponse({"LockedPeriod": {"EndDate": f"{ctx.ledger.years[0].year}-12-31"}})


def _fy_body(ctx: Ctx, fy: FiscalYear) -> dict:
    return {
        "@url": ctx.url(f"/3/financialyears/{fy.fortnox_id}"),
        "AccountChartType": "BAS 2024",
        "AccountingMethod": "ACCRUAL",
        "FromDate": fy.start.isoformat(),
        "Id": fy.fortnox_id,
        "ToDate": fy.end.isoformat(),
    }


@endpoint("bookkeeping")
async def financial_years(ctx: Ctx) -> Response:
    years = list(ctx.ledger.years)
    day = _date_param(ctx.request, "date")
    if day:
        years = [y for y in years if y.start <= day <= y.end]
    return _page(ctx, years, "FinancialYears", lambda y: _fy_body(ctx, y))  # type: ignore[arg-type]


@endpoint("bookkeeping")
async def financial_year(ctx: Ctx) -> Response:
    try:
        fid = int(ctx.request.path_params["id"])
    except ValueError:
        raise bad_param() from None
    fy = ctx.ledger.year_by_fortnox_id(fid)
    if fy is None:
        raise not_found("Kan inte hitta räkenskapsåret.")
    return JSONResponse({"FinancialYear": _fy_body(ctx, fy)})


def _account_body(ctx: Ctx, fy: FiscalYear, number: int, ib: dict[int, int]) -> dict:
    return {
        "@url": ctx.url(f"/3/accounts/{number}?financialyear={fy.fortnox_id}"),
        "Active": True,
        "BalanceBroughtForward": as_number(ib.get(number, 0)),
        "CostCenter": "",
        "CostCenterSettings": "ALLOWED",
        "Description": ACCOUNTS.get(number, str(number)),
        "Number": number,
        "Project": "",
        "ProjectSettings": "ALLOWED",
        "SRU": 0,
        "VATCode": "",
        "Year": fy.fortnox_id,
    }


@endpoint("bookkeeping")
async def accounts(ctx: Ctx) -> Response:
    fy = _fiscal_year(ctx)
    ib, _ub, _res = ctx.ledger.balances(fy.year)
    numbers = ctx.ledger.accounts_used()
    return _page(ctx, numbers, "Accounts", lambda n: _account_body(ctx, fy, n, ib))  # type: ignore[arg-type]


@endpoint("bookkeeping")
async def account(ctx: Ctx) -> Response:
    fy = _fiscal_year(ctx)
    try:
        number = int(ctx.request.path_params["number"])
    except ValueError:
        raise bad_param() from None
    if number not in ctx.ledger.accounts_used():
        raise FortnoxError(404, 2001304, "Kunde inte hitta konto")
    ib, _ub, _res = ctx.ledger.balances(fy.year)
    return JSONResponse({"Account": _account_body(ctx, fy, number, ib)})


@endpoint("bookkeeping")
async def voucher_series(ctx: Ctx) -> Response:
    fy = _fiscal_year(ctx)
    return _page(
        ctx,
        list(SERIES.items()),
        "VoucherSeriesCollection",
        lambda item: {  # type: ignore[misc]
            "@url": ctx.url(f"/3/voucherseries/{item[0]}"),  # type: ignore[index]
            "Approver": {"Id": 0, "Name": ""},
            "Code": item[0],  # type: ignore[index]
            "Description": item[1],  # type: ignore[index]
            "Manual": item[0] == "A",  # type: ignore[index]
            "Year": fy.fortnox_id,
        },
    )


# ----------------------------------------------------------------------------- vouchers and SIE


@endpoint("bookkeeping")
async def vouchers(ctx: Ctx) -> Response:
    return _page(ctx, _voucher_list(ctx, None), "Vouchers", lambda v: _voucher_item(ctx, v))  # type: ignore[arg-type]


@endpoint("bookkeeping")
async def vouchers_sublist(ctx: Ctx) -> Response:
    series = ctx.request.path_params.get("series")
    return _page(ctx, _voucher_list(ctx, series), "Vouchers", lambda v: _voucher_item(ctx, v))  # type: ignore[arg-type]


@endpoint("bookkeeping")
async def voucher(ctx: Ctx) -> Response:
    fy = _fiscal_year(ctx)
    try:
        number = int(ctx.request.path_params["number"])
    except ValueError:
        raise bad_param() from None
    v = ctx.ledger.by_key.get((fy.year, ctx.request.path_params["series"].upper(), number))
    if v is None:
        raise not_found("Kan inte hitta verifikationen.")
    return JSONResponse({"Voucher": _voucher_full(ctx, v)})


@endpoint("bookkeeping", binary=True)
async def sie(ctx: Ctx) -> Response:
    try:
        sie_type = int(ctx.request.path_params["type"])
    except ValueError:
        raise bad_param() from None
    if sie_type not in (1, 2, 3, 4):
        raise bad_param()
    fy = _fiscal_year(ctx)
    now = sandbox(ctx.request).clock.local_now()
    body = sie4(ctx.ledger, fy.year, program="Fortnox", generated=now, sie_type=sie_type)
    filename = f"{ctx.company.orgnr.replace('-', '')}_{fy.year}.se"
    return Response(
        body,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# ----------------------------------------------------------------------------- files


def _vfc_body(ctx: Ctx, f: FileDoc) -> dict:
    v = ctx.ledger.by_uid[f.link_uid or ""]
    return {
        "@url": ctx.url(f"/3/voucherfileconnections/{f.uid}"),
        "FileId": f.uid,
        "Name": f.name,
        "VoucherDescription": v.text,
        "VoucherNumber": str(v.number),
        "VoucherSeries": v.series,
        "VoucherYear": _fy_id(ctx.ledger, v.year),
    }


@endpoint("connectfile")
async def voucher_file_connections(ctx: Ctx) -> Response:
    files = [f for f in ctx.ledger.files.values() if f.link_kind == "voucher"]
    q = ctx.request
    year = _int_param(q, "voucheryear")
    series = query_ci(q, "voucherseries")
    number = query_ci(q, "vouchernumber")
    description = query_ci(q, "voucherdescription")
    since = _lastmodified(q)
    out = []
    for f in files:
        v = ctx.ledger.by_uid[f.link_uid or ""]
        if year is not None and _fy_id(ctx.ledger, v.year) != year:
            continue
        if series and v.series != series.upper():
            continue
        if number and str(v.number) != number:
            continue
        if description and description.lower() not in v.text.lower():
            continue
        if since and f.created < since:
            continue
        out.append(f)
    out.sort(key=lambda f: (ctx.ledger.by_uid[f.link_uid or ""].key, f.created))
    return _page(ctx, out, "VoucherFileConnections", lambda f: _vfc_body(ctx, f))  # type: ignore[arg-type]


@endpoint("connectfile")
async def voucher_file_connection(ctx: Ctx) -> Response:
    f = ctx.ledger.files.get(ctx.request.path_params["file_id"].lower())
    if f is None or f.link_kind != "voucher":
        raise not_found("Kan inte hitta filkopplingen.")
    return JSONResponse({"VoucherFileConnection": _vfc_body(ctx, f)})


def _sifc_body(ctx: Ctx, f: FileDoc) -> dict:
    si = ctx.ledger.si_by_uid[f.link_uid or ""]
    return {
        "@url": ctx.url(f"/3/supplierinvoicefileconnections/{f.uid}"),
        "FileId": f.uid,
        "Name": f.name,
        "SupplierInvoiceNumber": str(si.given_number),
        "SupplierName": si.supplier.name,
    }


def _require_register(ctx: Ctx, scope: str) -> None:
    """File connections to supplier invoices also need the supplierinvoice register right."""
    if ctx.grant.service or not ctx.grant.user_email:
        return
    user = USERS.get(("fortnox", ctx.grant.user_email))
    membership = user.memberships.get(ctx.company.key) if user else None
    if membership and scope in membership.denied:
        raise FortnoxError(403, 2003275, f"Saknar behörighet för {REGISTER_NAMES.get(scope, scope)}.")


@endpoint("connectfile")
async def supplier_invoice_file_connections(ctx: Ctx) -> Response:
    _require_register(ctx, "supplierinvoice")
    files = [f for f in ctx.ledger.files.values() if f.link_kind == "supplierinvoice"]
    number = query_ci(ctx.request, "supplierinvoicenumber")
    since = _lastmodified(ctx.request)
    if number:
        files = [f for f in files if str(ctx.ledger.si_by_uid[f.link_uid or ""].given_number) == number]
    if since:
        files = [f for f in files if f.created >= since]
    files.sort(key=lambda f: (ctx.ledger.si_by_uid[f.link_uid or ""].given_number, f.created))
    return _page(ctx, files, "SupplierInvoiceFileConnections", lambda f: _sifc_body(ctx, f))  # type: ignore[arg-type]


@endpoint("connectfile")
async def supplier_invoice_file_connection(ctx: Ctx) -> Response:
    _require_register(ctx, "supplierinvoice")
    f = ctx.ledger.files.get(ctx.request.path_params["file_id"].lower())
    if f is None or f.link_kind != "supplierinvoice":
        raise not_found("Kan inte hitta filkopplingen.")
    return JSONResponse({"SupplierInvoiceFileConnection": _sifc_body(ctx, f)})


def _folder_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fortnox-folder:{name}"))


def _file_row(ctx: Ctx, f: FileDoc, area: str) -> dict:
    return {
        "@url": ctx.url(f"/3/{area}/{f.uid}"),
        "ArchiveFileId": f.archive_file_id,
        "Comments": f.comment,
        "Id": f.uid,
        "Name": f.name,
        "Path": f"{f.folder}/{f.name}",
        "Size": f.size,
    }


def _folders(ctx: Ctx, area: str) -> dict[str, list[FileDoc]]:
    folders: dict[str, list[FileDoc]] = {}
    if area == "inbox":
        for name in ("inbox_s", "inbox_v", "inbox_kf", "inbox_o", "inbox_of"):
            folders[name] = []
    for f in ctx.ledger.files.values():
        if (f.link_kind == "inbox") == (area == "inbox"):
            folders.setdefault(f.folder, []).append(f)
    return folders


def _folder_body(ctx: Ctx, area: str, name: str | None) -> dict:
    folders = _folders(ctx, area)
    if name is None:
        return {
            "Folder": {
                "@url": ctx.url(f"/3/{area}"),
                "Email": f"{ctx.company.database_number}.{area}@sandbox.fortnox.se",
                "Files": [],
                "Folders": [
                    {"@url": ctx.url(f"/3/{area}/{_folder_id(n)}"), "Id": _folder_id(n), "Name": n}
                    for n in sorted(folders)
                ],
                "Id": _folder_id("root"),
                "Name": "root",
            }
        }
    if name not in folders:
        raise not_found("Kan inte hitta mappen.")
    return {
        "Folder": {
            "@url": ctx.url(f"/3/{area}/{_folder_id(name)}"),
            "Email": "",
            "Files": [_file_row(ctx, f, area) for f in sorted(folders[name], key=lambda f: f.name)],
            "Folders": [],
            "Id": _folder_id(name),
            "Name": name,
        }
    }


def _file_response(f: FileDoc) -> Response:
    return Response(
        f.content,
        media_type=f.content_type,
        headers={"Content-Disposition": f'inline; filename="{f.name}"'},
    )


def _find_file(ctx: Ctx, area: str, ident: str) -> FileDoc | None:
    ident = ident.lower()
    f = ctx.ledger.files.get(ident) or ctx.ledger.file_by_archive_id.get(ident)
    if f is None or (f.link_kind == "inbox") != (area == "inbox"):
        return None
    return f


async def _area_root(ctx: Ctx, area: str) -> Response:
    fileid = query_ci(ctx.request, "fileid")
    if fileid:
        f = _find_file(ctx, area, fileid)
        if f is None:
            raise not_found("Kan inte hitta filen.")
        return _file_response(f)
    path = query_ci(ctx.request, "path")
    return JSONResponse(_folder_body(ctx, area, path.strip("/") if path else None))


async def _area_item(ctx: Ctx, area: str) -> Response:
    ident = query_ci(ctx.request, "fileid") or ctx.request.path_params["id"]
    f = _find_file(ctx, area, ident)
    if f is not None:
        return _file_response(f)
    for name in _folders(ctx, area):
        if _folder_id(name) == ident.lower() or name == ident:
            return JSONResponse(_folder_body(ctx, area, name))
    raise not_found("Kan inte hitta filen.")


@endpoint("archive", binary=True)
async def archive_root(ctx: Ctx) -> Response:
    return await _area_root(ctx, "archive")


@endpoint("archive", binary=True)
async def archive_item(ctx: Ctx) -> Response:
    return await _area_item(ctx, "archive")


@endpoint("inbox", binary=True)
async def inbox_root(ctx: Ctx) -> Response:
    return await _area_root(ctx, "inbox")


@endpoint("inbox", binary=True)
async def inbox_item(ctx: Ctx) -> Response:
    return await _area_item(ctx, "inbox")


# ----------------------------------------------------------------------------- supplier invoices


def _si_vouchers(ctx: Ctx, si: SupplierInvoice) -> list[dict]:
    out = []
    for v, ref in ((si.voucher, "SUPPLIERINVOICE"), (si.payment, "SUPPLIERPAYMENT")):
        if v:
            out.append(
                {
                    "Number": v.number,
                    "ReferenceType": ref,
                    "Series": v.series,
                    "Year": _fy_id(ctx.ledger, v.year),
                }
            )
    return out


def _si_item(ctx: Ctx, si: SupplierInvoice) -> dict:
    return {
        "@url": ctx.url(f"/3/supplierinvoices/{si.given_number}"),
        "AuthorizerName": "",
        "Balance": decimal_str(si.balance),
        "Booked": True,
        "Cancel": False,
        "CostCenter": "",
        "Credit": False,
        "Currency": "SEK",
        "CurrencyRate": "1",
        "CurrencyUnit": 1,
        "DueDate": si.due.isoformat(),
        "ExternalInvoiceNumber": "",
        "ExternalInvoiceSeries": "",
        "FinalPayDate": si.payment.date.isoformat() if si.payment else "",
        "GivenNumber": str(si.given_number),
        "InvoiceDate": si.date.isoformat(),
        "InvoiceNumber": si.invoice_number,
        "Project": "",
        "SupplierName": si.supplier.name,
        "SupplierNumber": si.supplier.number,
        "Total": decimal_str(si.total),
        "Vouchers": _si_vouchers(ctx, si),
    }


def _si_full(ctx: Ctx, si: SupplierInvoice) -> dict:
    body = _si_item(ctx, si)
    del body["Cancel"]
    v = si.voucher
    rows = []
    if v:
        for r in v.rows:
            rows.append(
                {
                    "Account": r.account,
                    "AccountDescription": ACCOUNTS.get(r.account, ""),
                    "ArticleNumber": "",
                    "Code": {2440: "TOT", 2641: "VAT"}.get(r.account, ""),
                    "CostCenter": "",
                    "Credit": as_number(r.credit),
                    "CreditCurrency": as_number(r.credit),
                    "Debit": as_number(r.debit),
                    "DebitCurrency": as_number(r.debit),
                    "ItemDescription": "",
                    "Price": 0,
                    "Project": "",
                    "Quantity": 0,
                    "StockLocationCode": "",
                    "StockPointCode": "",
                    "Total": as_number(r.debit - r.credit),
                    "TransactionInformation": "",
                    "Unit": "",
                }
            )
    body.update(
        {
            "AccountingMethod": "ACCRUAL",
            "AdministrationFee": "0",
            "Cancelled": False,
            "Comments": "",
            "CreditReference": 0,
            "DisablePaymentFile": False,
            "Freight": "0",
            "OCR": si.ocr,
            "OurReference": "",
            "PaymentPending": False,
            "RoundOffValue": "0",
            "SalesType": "STOCK",
            "SupplierInvoiceRows": rows,
            "VAT": decimal_str(si.vat),
            "VATType": "NORMAL",
            "VoucherNumber": v.number if v else 0,
            "VoucherSeries": v.series if v else "",
            "VoucherYear": _fy_id(ctx.ledger, v.year) if v else 0,
            "YourReference": "",
        }
    )
    return body


def _status_filter(request: Request, items: list, today: date) -> list:
    flt = (query_ci(request, "filter") or "").lower()
    if not flt:
        return items
    if flt in ("cancelled", "unbooked", "pendingpayment", "authorizepending"):
        return []
    if flt == "fullypaid":
        return [i for i in items if i.payment]
    if flt == "unpaid":
        return [i for i in items if not i.payment]
    if flt == "unpaidoverdue":
        return [i for i in items if not i.payment and i.due < today]
    raise bad_param()


def _dated(ctx: Ctx, items: list) -> list:
    since = _lastmodified(ctx.request)
    fromdate = _date_param(ctx.request, "fromdate")
    todate = _date_param(ctx.request, "todate")
    fid = _int_param(ctx.request, "financialyear")
    if since:
        items = [i for i in items if i.modified >= since]
    if fromdate:
        items = [i for i in items if i.date >= fromdate]
    if todate:
        items = [i for i in items if i.date <= todate]
    if fid is not None:
        fy = ctx.ledger.year_by_fortnox_id(fid)
        items = [i for i in items if fy and fy.start <= i.date <= fy.end]
    return _status_filter(ctx.request, items, sandbox(ctx.request).clock.local_now().date())


@endpoint("supplierinvoice")
async def supplier_invoices(ctx: Ctx) -> Response:
    items = _dated(ctx, list(ctx.ledger.supplier_invoices))
    return _page(ctx, items, "SupplierInvoices", lambda s: _si_item(ctx, s))  # type: ignore[arg-type]


@endpoint("supplierinvoice")
async def supplier_invoice(ctx: Ctx) -> Response:
    try:
        si = ctx.ledger.si_by_given.get(int(ctx.request.path_params["number"]))
    except ValueError:
        si = None
    if si is None:
        raise not_found("Kan inte hitta leverantörsfakturan.")
    return JSONResponse({"SupplierInvoice": _si_full(ctx, si)})


# ----------------------------------------------------------------------------- customer invoices


def _inv_item(ctx: Ctx, inv: CustomerInvoice) -> dict:
    v = inv.voucher
    return {
        "@url": ctx.url(f"/3/invoices/{inv.number}"),
        "Balance": as_number(inv.balance),
        "Booked": True,
        "Cancelled": False,
        "CostCenter": "",
        "Currency": "SEK",
        "CurrencyRate": 1,
        "CurrencyUnit": 1,
        "CustomerName": inv.customer.name,
        "CustomerNumber": inv.customer.number,
        "DocumentNumber": str(inv.number),
        "DueDate": inv.due.isoformat(),
        "ExternalInvoiceReference1": "",
        "ExternalInvoiceReference2": "",
        "FinalPayDate": inv.payment.date.isoformat() if inv.payment else "",
        "InvoiceDate": inv.date.isoformat(),
        "InvoiceType": "INVOICE",
        "NoxFinans": False,
        "OCR": f"{inv.number}{inv.number % 10}",
        "Project": "",
        "Sent": True,
        "TermsOfPayment": "30",
        "Total": as_number(inv.total),
        "VoucherNumber": v.number if v else 0,
        "VoucherSeries": v.series if v else "",
        "VoucherYear": _fy_id(ctx.ledger, v.year) if v else 0,
        "WayOfDelivery": "",
    }


def _inv_full(ctx: Ctx, inv: CustomerInvoice) -> dict:
    body = _inv_item(ctx, inv)
    body.update(
        {
            "Address1": "",
            "City": "",
            "Country": "Sverige",
            "Credit": "false",
            "Gross": as_number(inv.total),
            "Net": as_number(inv.net),
            "OrganisationNumber": inv.customer.orgnr,
            "TotalVAT": as_number(inv.vat),
            "TotalToPay": as_number(inv.total),
            "VATIncluded": False,
            "InvoiceRows": [
                {
                    "AccountNumber": 3001,
                    "ArticleNumber": "",
                    "DeliveredQuantity": str(line.quantity),
                    "Description": line.text,
                    "Price": as_number(line.price),
                    "PriceExcludingVAT": as_number(line.price),
                    "RowId": i + 1,
                    "Total": as_number(line.total),
                    "TotalExcludingVAT": as_number(line.total),
                    "Unit": "st",
                    "VAT": 25,
                }
                for i, line in enumerate(inv.lines)
            ],
        }
    )
    return body


def _invoice(ctx: Ctx) -> CustomerInvoice:
    try:
        inv = ctx.ledger.invoice_by_number.get(int(ctx.request.path_params["number"]))
    except ValueError:
        inv = None
    if inv is None:
        raise not_found("Kan inte hitta fakturan.")
    return inv


@endpoint("invoice")
async def invoices(ctx: Ctx) -> Response:
    items = _dated(ctx, list(ctx.ledger.invoices))
    number = query_ci(ctx.request, "documentnumber")
    if number:
        items = [i for i in items if str(i.number) == number]
    return _page(ctx, items, "Invoices", lambda i: _inv_item(ctx, i))  # type: ignore[arg-type]


@endpoint("invoice")
async def invoice(ctx: Ctx) -> Response:
    return JSONResponse({"Invoice": _inv_full(ctx, _invoice(ctx))})


@endpoint("invoice")
async def invoice_preview(ctx: Ctx) -> Response:
    inv = _invoice(ctx)
    return Response(
        invoice_pdf(ctx.company, inv),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="Faktura_{inv.number}.pdf"'},
    )
