"""Full paths (not an include prefix), so the isolation matrix sees every URL argument."""

from datetime import date

from django.urls import path, register_converter

from . import views


class FiscalYearStart:
    """A fiscal year by its first day (unique per company, and it survives a re-import)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError (say, month 13): no match, 404

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


class VoucherPart:
    """A voucher series or number; SIE allows an empty one, which "-" stands for."""

    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return "" if value == "-" else value

    def to_url(self, value: str) -> str:
        return str(value) or "-"


register_converter(FiscalYearStart, "fiscal_year_start")
register_converter(VoucherPart, "voucher_part")

app_name = "ledger"

C = "companies/<int:company_id>"

urlpatterns = [
    path(f"{C}/collect/sie/", views.sie_upload, name="sie_upload"),
    path(f"{C}/collect/imports/<int:import_id>/", views.import_status, name="import_status"),
    path(f"{C}/collect/imports/<int:import_id>/confirm/", views.import_confirm, name="import_confirm"),
    path(f"{C}/collect/imports/<int:import_id>/cancel/", views.import_cancel, name="import_cancel"),
    path(f"{C}/collect/imports/<int:import_id>/retry/", views.import_retry, name="import_retry"),
    path(f"{C}/ledger/years/<int:fiscal_year_id>/accounts/", views.general_ledger, name="general_ledger"),
    path(f"{C}/ledger/accounts/<int:account_id>/", views.account_ledger, name="account"),
    # A voucher by its natural key, so bookmarks and links survive a replacing import.
    path(
        f"{C}/ledger/<fiscal_year_start:year>/vouchers/<voucher_part:series>/<voucher_part:number>/",
        views.voucher_detail,
        name="voucher",
    ),
    path(f"{C}/ledger/vouchers/<int:voucher_id>/", views.voucher_by_id, name="voucher_by_id"),
    path(f"{C}/ledger/years/<int:fiscal_year_id>/export.se", views.export_sie, name="export_sie"),
]
