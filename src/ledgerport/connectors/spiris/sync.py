"""Spiris → Ledgerport: vouchers become a SIE 4 document, attachments and invoice PDFs documents.

- Ledger: `/v2/vouchers/{fiscalyearId}` (paged, rows included) and `/v2/accounts/{id}` are
  written as a SIE 4 document (`ledgerport.sie`) and imported through the same path as an
  uploaded file, with source "spiris". An incremental sync asks for vouchers with
  `$filter=ModifiedUtc gt …` and rebuilds the year only when some changed.
- Attachments: a voucher's `Attachments.AttachmentIds`, plus the supplier invoice's
  `Attachments` for vouchers whose `SourceId` is that invoice. Each is downloaded through
  the temporary URL of `GET /v2/attachments/{id}`, fetched right before the download (or, when
  many are to be fetched, of the list `GET /v2/attachments?includeTemporaryUrl=true`, re-read
  every few minutes); an expired URL (403 from the blob store) is fetched again once.
- Customer invoices: the PDF (`/v2/customerinvoices/{id}/pdf` → URL) linked to the
  invoice's voucher (`VoucherId`).
"""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport import sie

from ..fetching import Later
from ..fiscal_years import ProviderYear
from ..sync_base import DocumentRef, Log, Target, VoucherKey, add_ref, optional_module
from .client import LinkExpired, SpirisClient

CENT = Decimal("0.01")
# From this many attachments to fetch, their temporary URLs come from `GET /v2/attachments`
# (1,000 a page) instead of one `GET /v2/attachments/{id}` each. The URLs live about 10
# minutes (an expired one answers 403 and is asked for again): the list is re-read after 5.
LIST_THRESHOLD = 20
LISTING_FRESH = 300.0


def _amount(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def voucher_number(voucher: dict[str, Any]) -> tuple[str, str]:
    """("A", "123") from NumberSeries "A" and NumberAndNumberSeries "A123"."""
    series = str(voucher.get("NumberSeries") or "")
    combined = str(voucher.get("NumberAndNumberSeries") or "")
    return series, combined[len(series) :] if combined.startswith(series) else combined


def sie_document(
    *, year: ProviderYear, vouchers: list[dict[str, Any]], accounts: dict[str, str], name: str, orgnr: str
) -> sie.SieDocument:
    """The year's vouchers as a SIE 4 document (no opening balances: the API has none here)."""
    names = dict(accounts)
    converted = []
    for item in vouchers:
        series, number = voucher_number(item)
        rows = []
        for row in item.get("Rows") or []:
            account = str(row["AccountNumber"])
            names.setdefault(account, str(row.get("AccountDescription") or ""))
            amount = (_amount(row.get("DebitAmount")) - _amount(row.get("CreditAmount"))).quantize(CENT)
            rows.append(sie.Row(account, (), amount, None, str(row.get("TransactionText") or "")))
        converted.append(
            sie.Voucher(
                series,
                number,
                date.fromisoformat(item["VoucherDate"][:10]),
                str(item.get("VoucherText") or ""),
                rows=rows,
            )
        )
    converted.sort(key=lambda v: (v.series, int(v.number) if v.number.isdigit() else 0, v.number))
    header = sie.SieHeader(
        flag=0,
        program=sie.Program("Ledgerport", "Spiris"),
        generated=timezone.localdate(),
        declared_type="4",
        orgnr=orgnr,
        company_name=name,
        fiscal_years={0: sie.FiscalYear(0, year.start, year.end)},
        accounts={n: sie.Account(n, names[n]) for n in sorted(names)},
    )
    return sie.SieDocument(header=header, vouchers=converted)


class SpirisSync:
    source = "spiris"
    # Attachments come from temporary URLs read from the listing (a few requests in all):
    # one worker keeps up with them. The invoice PDFs' lane only asks for each PDF's URL (the
    # download is `Later`): 8 requests in flight make its bursts go fastest. Other lanes:
    # fetching.WORKERS.
    fetch_workers = {"attachments": 1, "customerinvoices": 8}
    free_lanes: set[str] = set()  # lanes that spend no limited budget (`prepare_fetch`)

    def __init__(self, client: SpirisClient, log: Log, *, company_name: str, orgnr: str) -> None:
        self.client = client
        self.log = log
        self.company_name = company_name
        self.orgnr = orgnr
        self._all: dict[str, list[dict[str, Any]]] = {}  # the year's every voucher, once listed
        self._changed: dict[str, list[dict[str, Any]]] = {}
        # Attachment ids whose URL is read from the attachment list (`prepare_fetch`).
        self._listing_wanted: set[str] = set()
        self._listing: dict[str, dict[str, Any]] | None = None
        self._listed_at = 0.0
        self._listing_lock = threading.Lock()  # fetch workers ask at once: one listing

    def close(self) -> None:
        self.client.close()

    def provider_years(self) -> list[ProviderYear]:
        return list(self.client.fiscal_years())

    def _vouchers(self, target: Target, *, full: bool) -> list[dict[str, Any]]:
        year = target.provider_year.id
        if year in self._all:
            return self._all[year]
        if full or target.since is None:
            self._all[year] = list(self.client.vouchers(year))
            return self._all[year]
        if year not in self._changed:
            self._changed[year] = list(self.client.vouchers(year, target.since))
        return self._changed[year]

    def ledger_changed(self, target: Target) -> bool:
        return target.since is None or bool(self._vouchers(target, full=False))

    def ledger_sie(self, target: Target) -> Later:
        vouchers = self._vouchers(target, full=True)
        accounts = {
            str(a["Number"]): str(a.get("Name") or "") for a in self.client.accounts(target.provider_year.id)
        }
        # Converting is local work: done at the import, after the documents' first burst.
        return Later(
            lambda: sie.dumps(
                sie_document(
                    year=target.provider_year,
                    vouchers=vouchers,
                    accounts=accounts,
                    name=self.company_name,
                    orgnr=self.orgnr,
                )
            )
        )

    def documents(self, targets: list[Target]) -> list[DocumentRef]:
        refs: dict[str, DocumentRef] = {}
        by_source: dict[str, list[VoucherKey]] = {}  # SourceId (an invoice's id) -> its vouchers
        by_id: dict[str, VoucherKey] = {}
        for target in targets:
            for voucher in self._vouchers(target, full=False):
                series, number = voucher_number(voucher)
                key = (target.fiscal_year, series, number)
                by_id[str(voucher["Id"])] = key
                if voucher.get("SourceId"):
                    by_source.setdefault(str(voucher["SourceId"]), []).append(key)
                for attachment_id in (voucher.get("Attachments") or {}).get("AttachmentIds") or []:
                    add_ref(refs, self._attachment(str(attachment_id)), [key])
        since = None if any(t.since is None for t in targets) else min(t.since for t in targets if t.since)

        def supplier_invoices() -> None:
            for invoice in self.client.supplier_invoices(since):
                keys = by_source.get(str(invoice["Id"]))
                if not keys:
                    continue  # no voucher of the synced years
                for attachment_id in invoice.get("Attachments") or []:
                    add_ref(refs, self._attachment(str(attachment_id)), keys)

        def customer_invoices() -> None:
            for invoice in self.client.customer_invoices(since):
                key = by_id.get(str(invoice.get("VoucherId")))
                if key is not None:
                    add_ref(refs, self._invoice(invoice), [key])

        optional_module(self.log, self.source, _("Supplier invoices"), supplier_invoices)
        optional_module(self.log, self.source, _("Customer invoices"), customer_invoices)
        return list(refs.values())

    # ------------------------------------------------------------------ documents

    def _attachment(self, attachment_id: str) -> DocumentRef:
        ref = DocumentRef(
            external_id=f"attachment:{attachment_id}",
            file_name=attachment_id,
            fetch=bytes,
            lane="attachments",
        )

        def fetch() -> Later:
            meta = self._attachment_meta(attachment_id)
            ref.file_name = str(meta.get("FileName") or attachment_id)
            return Later(lambda: download(str(meta["TemporaryUrl"])))

        def download(url: str) -> bytes:
            try:
                return self.client.download(url)
            except LinkExpired:  # the URL outlived its minutes: ask for a fresh one
                return self.client.download(str(self.client.attachment(attachment_id)["TemporaryUrl"]))

        ref.fetch = fetch
        return ref

    def prepare_fetch(self, refs: list[DocumentRef]) -> None:
        """Many attachments to fetch: read their temporary URLs from the list, 1,000 a request."""
        wanted = {
            ref.external_id.removeprefix("attachment:").lower() for ref in refs if ref.lane == "attachments"
        }
        self._listing_wanted = wanted if len(wanted) >= LIST_THRESHOLD else set()
        # Downloads from the listing's URLs (a few listing pages aside): they wait for bursts.
        self.free_lanes = {"attachments"} if self._listing_wanted else set()
        self._listing = None

    def _attachment_meta(self, attachment_id: str) -> dict[str, Any]:
        """FileName and a fresh TemporaryUrl: from the listing when in use, else one request."""
        key = attachment_id.lower()
        if key in self._listing_wanted:
            with self._listing_lock:
                if self._listing is None or time.monotonic() - self._listed_at > LISTING_FRESH:
                    self._listed_at = time.monotonic()  # the URLs' clock starts with the first page
                    self._listing = {
                        str(item["Id"]).lower(): {"FileName": item.get("FileName"), "TemporaryUrl": url}
                        for item in self.client.attachments()
                        if str(item["Id"]).lower() in self._listing_wanted
                        and (url := item.get("TemporaryUrl"))
                    }
                listing = self._listing
            if key in listing:
                return listing[key]
        return self.client.attachment(attachment_id)

    def _invoice(self, invoice: dict[str, Any]) -> DocumentRef:
        invoice_id = str(invoice["Id"])

        def fetch() -> Later:
            url = self.client.customer_invoice_pdf_url(invoice_id)  # the budgeted request
            return Later(lambda: download(url))

        def download(url: str) -> bytes:
            try:
                return self.client.download(url)
            except LinkExpired:
                return self.client.download(self.client.customer_invoice_pdf_url(invoice_id))

        return DocumentRef(
            external_id=f"customerinvoice:{invoice_id}",
            file_name=f"Faktura_{invoice.get('InvoiceNumber') or invoice_id}.pdf",
            fetch=fetch,
            lane="customerinvoices",
        )
