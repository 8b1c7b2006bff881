"""Full paths (not an include prefix), so the isolation matrix sees every URL argument."""

from django.urls import path

from . import views

app_name = "vatreturns"

C = "companies/<int:company_id>/vat-returns"

urlpatterns = [
    path(f"{C}/", views.terms, name="terms"),
    path(f"{C}/compute/", views.compute, name="compute"),
    path(f"{C}/<int:return_id>/", views.detail, name="detail"),
    path(f"{C}/<int:return_id>/validate/", views.authority_validate, name="validate"),
    path(f"{C}/<int:return_id>/submit/", views.submit, name="submit"),
    path(f"{C}/<int:return_id>/feedback/", views.feedback, name="feedback"),
    path(f"{C}/<int:return_id>/receipt.pdf", views.receipt, name="receipt"),
]
