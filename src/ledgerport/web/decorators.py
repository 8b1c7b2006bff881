"""`company_view`: the one way a view gets its company — scoped, or 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from ledgerport.tenancy.selectors import company_get

View = Callable[..., HttpResponseBase]


def company_view(action: str = "view") -> Callable[[View], View]:
    """Resolve `company_id` through the tenancy scoping; the view receives `company`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, company_id: int, **kwargs: Any) -> HttpResponseBase:
            company = company_get(user=request.user, pk=company_id, action=action)
            return view(request, company=company, **kwargs)

        return wrapper

    return decorate
