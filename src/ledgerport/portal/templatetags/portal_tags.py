"""The portal's blocks on lower apps' pages (the company is already scoped by the page's view).

{% load portal_tags %}
{% notification_bell %}       the bell in the top bar (base layout), for the signed-in user
{% archive_root company %}    the archive's root "Dokument" on the company's Documents tab
"""

from __future__ import annotations

from typing import Any

from django import template

from ledgerport.portal.archive_views import folder_context
from ledgerport.portal.notification_selectors import inbox

register = template.Library()


@register.inclusion_tag("portal/_bell.html", takes_context=True)
def notification_bell(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user": user}
    unread, notifications = inbox(user=user)
    return {"user": user, "unread": unread, "notifications": notifications}


@register.inclusion_tag("portal/_archive_browser.html", takes_context=True)
def archive_root(context: Any, company: Any) -> dict[str, Any]:
    return folder_context(context["request"], company, None)
