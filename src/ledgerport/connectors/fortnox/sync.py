"""Fortnox → Ledgerport: the ledger through the SIE 4 export, documents of three modules.

- Ledger: `GET /3/sie/4?financialyear=Id` — one request for a whole year, imported exactly
  like an uploaded SIE 4 file. An incremental sync first asks whether any voucher of the
  year changed (`/3/vouchers?lastmodified=…&limit=1`) and skips the export when none did.
- Bokföring: voucher file connections of the year → archive file → that voucher.
- Leverantörer: supplier invoice file connections → supplier invoice (`Vouchers[]` from the
  list, so no request per invoice) → each of its vouchers in the synced years.
- Fakturering: customer invoices of the year → their voucher → the invoice PDF (`/preview`).

A module the company has no licence or right for (403) is reported in the log and
skipped; the other modules are still fetched.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.utils.translation import gettext as _

from ..fiscal_years import ProviderYear
from ..sync_base import DocumentRef, Log, Target, VoucherKey, add_ref, optional_module
from .client import FortnoxClient


class FortnoxSync:
    source = "fortnox"

    def __init__(self, client: FortnoxClient, log: Log) -> None:
        self.client = client
        self.log = log

    def close(self) -> None:
        self.client.api.close()

    def provider_years(self) -> list[ProviderYear]:
        return list(self.client.financial_years())

    def ledger_changed(self, target: Target) -> bool:
        if target.since is None:
            return True
        return self.client.vouchers_modified_since(target.provider_year.id, target.since) > 0

    def ledger_sie(self, target: Target) -> bytes:
        return self.client.sie(target.provider_year.id, 4)

    def documents(self, targets: list[Target]) -> list[DocumentRef]:
        by_year = {t.provider_year.id: t for t in targets}
        refs: dict[str, DocumentRef] = {}
        for target in targets:
            for item in self.client.voucher_file_connections(target.provider_year.id, target.since):
                key = (target.fiscal_year, str(item["VoucherSeries"]), str(item["VoucherNumber"]))
                add_ref(refs, self._archive_ref(item), [key])
        optional_module(
            self.log,
            self.source,
            _("Supplier invoices"),
            lambda: self._supplier_invoices(targets, by_year, refs),
        )
        optional_module(
            self.log, self.source, _("Customer invoices"), lambda: self._invoices(targets, by_year, refs)
        )
        return list(refs.values())

    def prepare_fetch(self, refs: list[DocumentRef]) -> None:
        pass  # every file costs its one request whatever comes before

    # ------------------------------------------------------------------ modules

    def _archive_ref(self, item: dict) -> DocumentRef:
        file_id = str(item["FileId"])
        return DocumentRef(
            external_id=f"archive:{file_id}",
            file_name=str(item.get("Name") or file_id),
            fetch=lambda: self.client.archive_file(file_id),
        )

    def _supplier_invoices(
        self, targets: list[Target], by_year: dict[str, Target], refs: dict[str, DocumentRef]
    ) -> None:
        # The file connections are not per year: list them (changed ones only when every
        # target is incremental) and keep those whose invoice has a voucher in our years.
        since = _earliest(targets)
        connections = list(self.client.supplier_invoice_file_connections(since))
        if not connections:
            return
        vouchers: dict[str, list[VoucherKey]] = {}
        for invoice in self.client.supplier_invoices():
            keys = [
                (by_year[str(v["Year"])].fiscal_year, str(v["Series"]), str(v["Number"]))
                for v in invoice.get("Vouchers") or []
                if str(v.get("Year")) in by_year
            ]
            if keys:
                vouchers[str(invoice["GivenNumber"])] = keys
        for item in connections:
            if linked := vouchers.get(str(item["SupplierInvoiceNumber"])):
                add_ref(refs, self._archive_ref(item), linked)

    def _invoices(
        self, targets: list[Target], by_year: dict[str, Target], refs: dict[str, DocumentRef]
    ) -> None:
        for target in targets:
            for invoice in self.client.invoices(target.provider_year.id, target.since):
                year = by_year.get(str(invoice.get("VoucherYear")))
                if year is None or not invoice.get("VoucherNumber"):
                    continue  # not booked (yet), or booked in a year this sync does not cover
                number = str(invoice["DocumentNumber"])
                ref = DocumentRef(
                    external_id=f"invoice:{number}",
                    file_name=f"Faktura_{number}.pdf",
                    fetch=partial(self.client.invoice_pdf, number),
                )
                key = (year.fiscal_year, str(invoice["VoucherSeries"]), str(invoice["VoucherNumber"]))
                add_ref(refs, ref, [key])


def _earliest(targets: list[Target]) -> datetime | None:
    if any(t.since is None for t in targets):
        return None
    return min(t.since for t in targets if t.since is not None)
