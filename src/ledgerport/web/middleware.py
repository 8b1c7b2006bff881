"""Request checks that hold for every view."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RejectNulQueryMiddleware:
    """A NUL character in a query parameter is never meaningful and PostgreSQL refuses it in
    text: answer 400 here instead of a database error in whichever view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
                raise BadRequest("NUL in a query parameter")
        return self.get_response(request)
