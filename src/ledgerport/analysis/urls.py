"""Full paths (not an include prefix), so the isolation matrix sees every URL argument.

The paths are the ones these pages had under `ledger:`, so bookmarks keep working.
"""

from django.urls import path

from . import views

app_name = "analysis"

C = "companies/<int:company_id>"

urlpatterns = [
    path(f"{C}/ledger/years/<int:fiscal_year_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(
        f"{C}/analysis/years/<int:fiscal_year_id>/balance-sheet/", views.balance_sheet, name="balance_sheet"
    ),
    path(
        f"{C}/analysis/years/<int:fiscal_year_id>/income-statement/",
        views.income_statement,
        name="income_statement",
    ),
    path(f"{C}/analysis/years/<int:fiscal_year_id>/tax-account/", views.tax_account, name="tax_account"),
    path(
        f"{C}/analysis/years/<int:fiscal_year_id>/tax-profile/",
        views.tax_profile_save,
        name="tax_profile_save",
    ),
    path(
        f"{C}/analysis/years/<int:fiscal_year_id>/tax-account.xlsx",
        views.tax_account_export,
        name="tax_account_export",
    ),
]
