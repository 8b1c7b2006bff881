"""`company_view`: the one way a view gets its company — scoped, or 404; `in_company_language`
for the pages a company's own country's people read."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation

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


# The language a country's company pages are written in whatever the user chose: a Norwegian
# company's returns are read in bokmål, the authority's own language for them.
COUNTRY_PAGE_LANGUAGE = {"NO": "nb"}


def in_company_language(view: View) -> View:
    """Render the view (below `company_view`) in the company's country's page language, if any."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, company: Any, **kwargs: Any) -> HttpResponseBase:
        language = COUNTRY_PAGE_LANGUAGE.get(company.country)
        if language is None:
            return view(request, *args, company=company, **kwargs)
        with translation.override(language):
            return view(request, *args, company=company, **kwargs)

    return wrapper
