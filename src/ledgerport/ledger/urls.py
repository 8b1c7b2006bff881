"""Full paths (not an include prefix), so the isolation matrix sees every URL argument."""

from django.urls import path

from . import views

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
    path(f"{C}/ledger/vouchers/<int:voucher_id>/", views.voucher_detail, name="voucher"),
    path(f"{C}/ledger/years/<int:fiscal_year_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{C}/ledger/years/<int:fiscal_year_id>/export.se", views.export_sie, name="export_sie"),
    path(
        f"{C}/analysis/years/<int:fiscal_year_id>/balance-sheet/", views.balance_sheet, name="balance_sheet"
    ),
    path(
        f"{C}/analysis/years/<int:fiscal_year_id>/income-statement/",
        views.income_statement,
        name="income_statement",
    ),
]
