"""What django-axes counts login failures by: the e-mail in one case, and the client's real
address as far as our own proxies vouch for it."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The e-mail as login compares it (case-insensitively): `Anna@…` counts as `anna@…`."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field) or getattr(request, "POST", {}).get(field) or ""
    return str(raw).strip().lower()


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n > 0 the address the outermost of our n
    proxies saw: X-Forwarded-For's n-th entry from the right (each proxy appends its peer).
    Entries further left are whatever the client sent and are never trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # not through all our proxies: only the peer is known
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
