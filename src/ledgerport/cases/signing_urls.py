"""The approval of a case and its BankID signing (namespace `case_signing`)."""

from django.urls import path

from . import signing_views as views

app_name = "case_signing"

_CASE = "companies/<int:company_id>/cases/<int:case_id>/approval/"

urlpatterns = [
    path(_CASE, views.approval, name="approval"),
    path(f"{_CASE}answer/", views.answer, name="answer"),
    path(f"{_CASE}attest/", views.attest, name="attest"),
    path(f"{_CASE}sign/", views.sign_start, name="sign_start"),
    path(f"{_CASE}sign/wait/", views.sign_wait, name="sign_wait"),
    path(f"{_CASE}sign/qr/", views.sign_qr, name="sign_qr"),
    path(f"{_CASE}sign/collect/", views.sign_collect, name="sign_collect"),
    path(f"{_CASE}sign/cancel/", views.sign_cancel, name="sign_cancel"),
]
