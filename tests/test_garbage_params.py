"""No GET parameter, however malformed, makes any page answer 5xx.

Every URL pattern (enumerated as the isolation matrix does, arguments filled with a firm
admin's own objects) is requested with garbage in every GET parameter the product reads
(found by scanning the source for `GET.get("…")`-style reads) plus common names.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import isolation
from tests.ledger.factories import ledger_objects

SRC = Path(__file__).resolve().parents[1] / "src" / "ledgerport"
# `request.GET.get("x")`, `query.get("x")`, `"x" in request.GET`, `int_param(request.GET, "x")`.
READS = re.compile(
    r"""(?:GET|query)\.get\(\s*["'](\w+)["']|["'](\w+)["']\s+in\s+request\.GET|_param\(\s*[\w.]+,\s*["'](\w+)["']"""
)
COMMON = {"page", "q", "next", "year", "period", "account", "sort", "order", "id", "series", "number"}
GARBAGE = [
    "abc",
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1e999999",
    "NaN",
    "Infinity",
    "2024-13-45",
    "202413",
    "999999",
    "ü🙂ø",
    "١٢٣",
    "\x00",
    "%",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "x" * 5000,
]
SKIP = {"identity:logout"}  # would end the session the other requests need


def parameters() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        for match in READS.finditer(path.read_text()):
            found.add(next(group for group in match.groups() if group))
    return found


def route_url(route: isolation.Route, world) -> str:
    public = {"uidb64": "MQ", "token": isolation._activation_link(world.a1).token, "provider": "fortnox"}
    kwargs = {
        arg: public[arg] if arg in public and route.name in isolation.PUBLIC else None
        for arg in route.arguments
    }
    if any(value is None for value in kwargs.values()):
        return isolation.url_for(route, world.a1, None)
    return reverse(route.name, kwargs=kwargs)


def test_the_scan_finds_the_parameters_views_read():
    assert {
        "q",
        "period",
        "page",
        "after",
        "before",
        "at",
        "account",
        "state",
        "code",
        "min_amount",
    } <= parameters()


@pytest.mark.timeout(600)
def test_no_garbage_parameter_answers_5xx(world):
    ledger_objects(world.a1)
    names = sorted(parameters() | COMMON)
    client = Client()
    client.force_login(world.admin_a)
    problems: list[str] = []

    def get(url: str, query: list[tuple[str, str]]) -> None:
        target = f"{url}?{urlencode(query)}"
        try:
            with transaction.atomic():  # a database error must not poison the next requests
                status = client.get(target).status_code
        except Exception as exc:  # the test client re-raises what would be a 500
            problems.append(f"GET {target[:160]!r} raised {exc.__class__.__name__}: {str(exc)[:120]}")
            return
        if status >= 500:
            problems.append(f"GET {target[:160]!r} answered {status}")

    routes = [route for route in isolation.iter_routes() if route.name not in SKIP]
    for route in routes:
        url = route_url(route, world)
        for value in GARBAGE:
            get(url, [(name, value) for name in names])
        for name in names:
            # One parameter at a time (a 400 for one must not hide another's 500), and repeated keys.
            for value in ("abc", "99999999999999999999"):
                get(url, [(name, value)])
            get(url, [(name, "1"), (name, "abc"), (name, "")])
    assert problems == [], "\n".join(dict.fromkeys(problems))
