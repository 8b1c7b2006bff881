"""Full paths (not an include prefix), so the isolation matrix sees every URL argument."""

from django.urls import path

from . import views

app_name = "employerreturns"

C = "companies/<int:company_id>/a-melding"
R = C + "/<int:employer_return_id>"

urlpatterns = [
    path(f"{C}/", views.months, name="months"),
    path(f"{R}/", views.detail, name="detail"),
    path(f"{R}/import/", views.import_csv, name="import"),
    path(f"{R}/lines/", views.line_add, name="line_add"),
    path(f"{R}/lines/remove/", views.employee_remove, name="employee_remove"),
    path(f"{R}/submit/", views.submit, name="submit"),
    path(f"{R}/refresh/", views.refresh, name="refresh"),
]
