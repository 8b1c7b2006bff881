"""Full paths (not an include prefix), so the isolation matrix sees every URL argument."""

from django.urls import path

from . import views

app_name = "taxpayments"

C = "companies/<int:company_id>"

urlpatterns = [
    path(f"{C}/tax-payments/", views.page, name="page"),
    path(f"{C}/tax-payments/publish/", views.tax_payment_publish, name="publish"),
    path(f"{C}/reports/publish/", views.report_publish, name="report_publish"),
]
