"""Views hold no queries: every read goes through a selector (the company and the fiscal year of
a URL through the two tenancy selectors), so scoping lives in one place that can be checked.

An AST scan of every views module; a query written in a view fails here with its line."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "ledgerport"
VIEWS = sorted(p for p in SRC.rglob("*views.py") if "migrations" not in p.parts)

# Methods only querysets and managers have (dicts, lists and strings have none of these).
QUERY_METHODS = {
    "filter", "exclude", "annotate", "aggregate", "alias", "select_related", "prefetch_related",
    "order_by", "distinct", "values", "values_list", "only", "defer", "using", "exists", "first",
    "last", "all", "none", "in_bulk", "iterator", "earliest", "latest", "for_user", "raw", "extra",
    "select_for_update", "get_or_create", "update_or_create", "bulk_create", "bulk_update",
}  # fmt: skip
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
SQL_NAMES = {"cursor", "execute", "executemany", "RawSQL"}


def _queries(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append((node.lineno, ".objects"))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SHORTCUTS or name in SQL_NAMES:
                found.append((node.lineno, name))
            elif isinstance(func, ast.Attribute) and name in QUERY_METHODS:
                found.append((node.lineno, f".{name}()"))
            elif isinstance(func, ast.Attribute) and name == "get" and _is_queryset_get(node):
                found.append((node.lineno, ".get() on a queryset"))
        elif isinstance(node, ast.ImportFrom) and node.module in ("django.db", "django.db.models"):
            names = {alias.name for alias in node.names}
            if names & {"connection", "connections", "RawSQL"}:
                found.append((node.lineno, f"import of {sorted(names)} from {node.module}"))
    return sorted(found)


def _is_queryset_get(call: ast.Call) -> bool:
    """dict.get takes no keywords and is never called on a query chain; QuerySet.get is."""
    receiver = call.func.value  # type: ignore[attr-defined]
    chained = (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Attribute)
        and receiver.func.attr in QUERY_METHODS
    )
    return bool(call.keywords) or chained


def queries_in(source: str) -> list[tuple[int, str]]:
    return _queries(ast.parse(source))


def test_there_are_views_to_scan():
    names = {p.relative_to(SRC).as_posix() for p in VIEWS}
    assert {"web/views.py", "ledger/views.py", "analysis/views.py", "review/views.py"} <= names


def test_no_views_module_holds_a_query():
    offences = [
        f"{path.relative_to(SRC)}:{line}: {what}"
        for path in VIEWS
        for line, what in _queries(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert offences == [], "move these reads into a selector:\n" + "\n".join(offences)


def test_the_scan_catches_each_kind_of_query():
    view = """
from django.db import connection
from django.shortcuts import get_object_or_404

def view(request, company):
    a = Company.objects.all()
    b = company.fiscal_years.filter(start__year=2025)
    c = selectors.fiscal_year_list(company=company).order_by("start").get(pk=1)
    d = company.vouchers.get(number="1")
    e = get_object_or_404(Voucher, pk=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    f = year.vouchers.first()
"""
    found = queries_in(view)
    kinds = {what for _, what in found}
    assert {".objects", ".filter()", ".order_by()", ".get() on a queryset", "get_object_or_404"} <= kinds
    assert {"cursor", "execute", ".first()"} <= kinds
    assert any(what.startswith("import of") for what in kinds)
    lines = {line for line, _ in found}
    assert {6, 7, 8, 9, 10, 11, 12, 13} <= lines


def test_the_scan_leaves_dicts_and_selectors_alone():
    view = """
def view(request, company):
    page = request.GET.get("page", "1")
    review = selectors.reviews_by_key(year, request.user).get((voucher.series, voucher.number))
    fiscal_year = tenancy.fiscal_year_get(company=company, pk=1)
    return render(request, "x.html", {"page": page, "year": fiscal_year, "review": review})
"""
    assert queries_in(view) == []
