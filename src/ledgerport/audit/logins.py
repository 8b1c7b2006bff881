"""Every successful login is recorded (failures are django-axes' to count): the method
(BankID, password, password + one-time code) in `detail`, with address and user agent.

A client user's login is recorded once per client company they belong to, so each company's
log shows its own people's logins and no firm sees where else the person is a client; a login
of someone with no client company (the firm's staff) has no company."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from ledgerport.identity.logins import login_method
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import client_companies_of

from .models import Action
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="audit-login")
def login_record(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    method = login_method(request) or "other"
    companies: list[Company | None] = [*client_companies_of(user)] or [None]
    for company in companies:
        audit_record(request=request, action=Action.LOGIN, company=company, user=user, detail=method)
