"""Fortnox API v3 client (pure: no Django). Paths and fields as in Fortnox's OpenAPI spec."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from ..http import ApiClient, NotFound

MAX_LIMIT = 500
# Fortnox reads `lastmodified` as Swedish local time.
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def lastmodified(since: datetime) -> str:
    """`lastmodified=YYYY-MM-DD HH:MM` in Stockholm time (floored to the minute: never misses one)."""
    return since.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def parse_error(response: httpx.Response) -> tuple[str, str]:
    """`{"ErrorInformation": {"error": 1, "message": "...", "code": 2000311}}`; casing varies."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:300] or response.reason_phrase
    info = body.get("ErrorInformation") or body.get("errorInformation") or {}
    lowered = {key.lower(): value for key, value in info.items()}
    message = lowered.get("message") or body.get("message") or response.reason_phrase
    return str(lowered.get("code", "")), str(message)


@dataclass(frozen=True)
class CompanyInfo:
    name: str
    orgnr: str
    tenant_id: str


@dataclass(frozen=True)
class Me:
    name: str
    email: str
    sysadmin: bool


@dataclass(frozen=True)
class FinancialYear:
    id: str
    start: date
    end: date


class FortnoxClient:
    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def company_information(self) -> CompanyInfo:
        info = self.api.get_json("/3/companyinformation")["CompanyInformation"]
        return CompanyInfo(
            name=info.get("CompanyName", ""),
            orgnr=info.get("OrganizationNumber", ""),
            tenant_id=str(info.get("DatabaseNumber", "")),
        )

    def me(self) -> Me:
        me = self.api.get_json("/3/me")["Me"]
        return Me(name=me.get("Name", ""), email=me.get("Email", ""), sysadmin=bool(me.get("SysAdmin")))

    def paged(self, path: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint, page by page (`MetaInformation`)."""
        page = 1
        while True:
            body = self.api.get_json(path, page=page, limit=MAX_LIMIT, **params)
            yield from body.get(key, [])
            meta = body.get("MetaInformation", {})
            if page >= int(meta.get("@TotalPages", 1)):
                return
            page += 1

    def financial_years(self) -> list[FinancialYear]:
        return [
            FinancialYear(str(y["Id"]), date.fromisoformat(y["FromDate"]), date.fromisoformat(y["ToDate"]))
            for y in self.paged("/3/financialyears", "FinancialYears")
        ]

    def sie(self, financial_year_id: int | str, sie_type: int = 4) -> bytes:
        """The whole year as a SIE file: one request instead of one per voucher."""
        return self.api.request(
            "GET", f"/3/sie/{sie_type}", params={"financialyear": financial_year_id}
        ).content

    def count(self, path: str, **params: Any) -> int:
        """How many items a list would return, in one small request (`@TotalResources`)."""
        body = self.api.get_json(path, limit=1, page=1, **params)
        return int(body.get("MetaInformation", {}).get("@TotalResources", 0))

    def vouchers_modified_since(self, financial_year_id: int | str, since: datetime) -> int:
        return self.count("/3/vouchers", financialyear=financial_year_id, lastmodified=lastmodified(since))

    @staticmethod
    def _since(since: datetime | None) -> dict[str, str]:
        return {"lastmodified": lastmodified(since)} if since else {}

    def voucher_file_connections(
        self, financial_year_id: int | str, since: datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        return self.paged(
            "/3/voucherfileconnections",
            "VoucherFileConnections",
            voucheryear=financial_year_id,
            **self._since(since),
        )

    def supplier_invoice_file_connections(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        return self.paged(
            "/3/supplierinvoicefileconnections", "SupplierInvoiceFileConnections", **self._since(since)
        )

    def supplier_invoices(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """List items carry `Vouchers[]` ({Number, Series, Year}): no request per invoice."""
        return self.paged("/3/supplierinvoices", "SupplierInvoices", **self._since(since))

    def invoices(
        self, financial_year_id: int | str, since: datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        return self.paged("/3/invoices", "Invoices", financialyear=financial_year_id, **self._since(since))

    def archive_file(self, file_id: str) -> bytes:
        """A file's bytes. Some files answer only to `?fileid=` (softwerkab issue #99)."""
        try:
            return self.api.request("GET", f"/3/archive/{file_id}", headers={"Accept": "*/*"}).content
        except NotFound:
            return self.api.request(
                "GET", "/3/archive", params={"fileid": file_id}, headers={"Accept": "*/*"}
            ).content

    def invoice_pdf(self, document_number: int | str) -> bytes:
        """The customer invoice as PDF. `/preview`, not `/print`: printing may mark it as sent."""
        return self.api.request("GET", f"/3/invoices/{document_number}/preview").content
