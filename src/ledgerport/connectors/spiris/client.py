"""Spiris (Visma eAccounting API v2) client (pure: no Django)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import stamina

from ..http import ApiClient, ProviderError, ServerError

MAX_PAGE_SIZE = 1000


def odata_time(since: datetime) -> str:
    return since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def modified_filter(since: datetime | None) -> dict[str, str]:
    return {"$filter": f"ModifiedUtc gt {odata_time(since)}"} if since else {}


class LinkExpired(Exception):
    """A temporary (pre-signed) download URL has expired: fetch the metadata again for a new one."""


def parse_error(response: httpx.Response) -> tuple[str, str]:
    """`{"ErrorCode": 4010, "DeveloperErrorMessage": "...", "ErrorId": "..."}`."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:300] or response.reason_phrase
    if not isinstance(body, dict):
        return "", response.text[:300] or response.reason_phrase
    message = str(body.get("DeveloperErrorMessage") or body.get("Message") or response.reason_phrase)
    # A validation error names what is wrong per field: the provider's own words, all of them.
    details = [
        str(e["Message"]) for e in body.get("Errors") or [] if isinstance(e, dict) and e.get("Message")
    ]
    if details:
        message = f"{message} ({'; '.join(details)})"
    return str(body.get("ErrorCode", "")), message


@dataclass(frozen=True)
class CompanyInfo:
    name: str
    orgnr: str
    company_id: str


def id_token_claims(id_token: str) -> dict[str, Any]:
    """Claims of an ID token received directly from the token endpoint over TLS.

    OIDC Core §3.1.3.7 allows relying on TLS instead of the signature in that case; we only
    read who approved (name, e-mail) for the consent record.
    """
    try:
        payload = id_token.split(".")[1]
        return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))
    except (IndexError, ValueError):
        return {}


@dataclass(frozen=True)
class FiscalYear:
    id: str
    start: date
    end: date


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


class SpirisClient:
    def __init__(self, api: ApiClient) -> None:
        self.api = api
        self._blobs: httpx.Client | None = None
        self._blobs_lock = threading.Lock()  # fetch workers download at once

    def close(self) -> None:
        if self._blobs is not None:
            self._blobs.close()
        self.api.close()

    def company_settings(self) -> CompanyInfo:
        body = self.api.get_json("/v2/companysettings")
        return CompanyInfo(
            name=body.get("Name", ""),
            orgnr=body.get("CorporateIdentityNumber", ""),
            company_id=str(body.get("CompanyIdentifier") or body.get("Id") or ""),
        )

    def paged(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paginated endpoint (`Meta` / `Data`)."""
        page = 1
        while True:
            body = self.api.get_json(path, **{"$page": page, "$pagesize": MAX_PAGE_SIZE, **params})
            yield from body.get("Data", [])
            if page >= int(body.get("Meta", {}).get("TotalNumberOfPages", 1)):
                return
            page += 1

    def fiscal_years(self) -> list[FiscalYear]:
        return [
            FiscalYear(str(y["Id"]), _day(y["StartDate"]), _day(y["EndDate"]))
            for y in self.paged("/v2/fiscalyears")
        ]

    def accounts(self, fiscal_year_id: str) -> Iterator[dict[str, Any]]:
        return self.paged(f"/v2/accounts/{fiscal_year_id}")

    def vouchers(self, fiscal_year_id: str, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Vouchers with their rows and attachment links (`Attachments.AttachmentIds`)."""
        return self.paged(f"/v2/vouchers/{fiscal_year_id}", **modified_filter(since))

    def attachments(self) -> Iterator[dict[str, Any]]:
        """Every attachment (matched too) with a fresh temporary URL: download it right away."""
        return self.paged("/v2/attachments", includeMatched="true", includeTemporaryUrl="true")

    def attachment(self, attachment_id: str) -> dict[str, Any]:
        return dict(self.api.get_json(f"/v2/attachments/{attachment_id}"))

    def supplier_invoices(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        return self.paged("/v2/supplierinvoices", **modified_filter(since))

    def customer_invoices(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        params = {"modifiedSinceUtc": odata_time(since)} if since else {}
        return self.paged("/v2/customerinvoices", **params)

    def customer_invoice_pdf_url(self, invoice_id: str) -> str:
        return str(self.api.get_json(f"/v2/customerinvoices/{invoice_id}/pdf")["Url"])

    def download(self, url: str) -> bytes:
        """The bytes behind a temporary URL; raises LinkExpired when it is no longer valid."""
        with self._blobs_lock:
            if self._blobs is None:
                # Temporary URLs are pre-signed blob links: no bearer token, no API rate limit.
                self._blobs = httpx.Client(timeout=self.api.timeout, transport=self.api.transport)
            blobs = self._blobs
        for attempt in stamina.retry_context(
            on=(ServerError, httpx.TransportError), attempts=3, timeout=None
        ):
            with attempt:
                self.api.count_request()
                response = blobs.get(url)
                if response.status_code == 403:
                    raise LinkExpired(url)
                if response.status_code >= 500:
                    raise ServerError(response.status_code, response.reason_phrase)
                if not response.is_success:
                    raise ProviderError(response.status_code, response.text[:300] or response.reason_phrase)
        return response.content
