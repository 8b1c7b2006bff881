"""Writing the audit trail: one call per event, from the view that served it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.http import HttpRequest

from ledgerport.identity.throttling import client_ip

from .models import Action, AuditEntry

if TYPE_CHECKING:
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company


def audit_record(
    *,
    request: HttpRequest | None,
    action: Action | str,
    company: Company | None,
    target: models.Model | None = None,
    detail: str = "",
    user: User | None = None,
) -> AuditEntry:
    """Record `action` by the request's user (or `user`) on `target` of `company`.

    The address is the client's as our own proxies vouch for it (`client_ip`); the user
    agent is cut to the column's length. Nothing about the request's content is kept."""
    actor = user if user is not None else getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None  # the anonymous user
    ip = client_ip(request) if request is not None else ""
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return AuditEntry.objects.create(
        company=company,
        user=actor,
        user_label=getattr(actor, "email", "") or "",
        action=str(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        detail=detail[:255],
        ip=ip or None,
        user_agent=agent[:300],
    )
