"""Full paths (no include prefix), so the isolation matrix sees every URL argument."""

from django.urls import path

from . import difference_views, views

app_name = "cases"

C = "companies/<int:company_id>"
K = f"{C}/cases/<int:case_id>"

urlpatterns = [
    path(f"{C}/cases/new/", views.case_new, name="new"),
    path(f"{C}/cases/reminders/", views.reminder_policy, name="reminder_policy"),
    path(f"{K}/", views.case_detail, name="detail"),
    path(f"{K}/message/", views.case_message, name="message"),
    path(f"{K}/close/", views.case_close, name="close"),
    path(f"{K}/reopen/", views.case_reopen, name="reopen"),
    path(f"{K}/settings/", views.case_settings, name="settings"),
    path(
        f"{C}/analysis/years/<int:fiscal_year_id>/tax-differences/case/",
        difference_views.case_from_difference,
        name="from_difference",
    ),
]
