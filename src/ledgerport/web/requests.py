"""The request a signed-in page's view receives, as the type checker should see it.

Types only: django-htmx's middleware adds `htmx`, and `LoginRequiredMiddleware` lets no
anonymous user reach a view that is not `login_not_required`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from ledgerport.identity.models import User


class AppRequest(HttpRequest):
    htmx: HtmxDetails
    user: User  # narrowed: the login middleware lets only users in
