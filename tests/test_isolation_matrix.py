"""Tenant isolation over every URL of the project, for every role."""

from __future__ import annotations

from tests import isolation


def test_every_url_pattern_is_isolated_for_every_role(world):
    routes = list(isolation.iter_routes())
    assert len(routes) >= 10  # sanity: the walk found the project's routes
    assert isolation.check(world) == []


def test_the_matrix_catches_an_unscoped_view(world, settings):
    settings.ROOT_URLCONF = "tests.isolation_leaky_urls"
    problems = isolation.check(world, urlconf="tests.isolation_leaky_urls")
    assert any(p.startswith("leak as ") and "answered 200" in p for p in problems), problems


def test_an_unregistered_url_argument_fails_the_check(world, monkeypatch):
    monkeypatch.delitem(isolation.OBJECT_ARGUMENTS, "company_id")
    try:
        isolation.check(world)
    except AssertionError as exc:
        assert "register URL argument" in str(exc)
    else:
        raise AssertionError("an unregistered argument must fail the check")


def test_the_matrix_catches_an_action_open_to_a_client_role(world, settings, monkeypatch):
    """A scoped view is not enough: within their own company a signatory or member may not do
    the firm's work (create activation links, start syncs), nor be offered its buttons."""
    settings.ROOT_URLCONF = "tests.isolation_open_action_urls"
    monkeypatch.setitem(isolation.ROUTE_ACTIONS, "page_with_firm_buttons", "view")
    problems = isolation.check(world, urlconf="tests.isolation_open_action_urls")
    for role in ("signatory", "member"):
        assert any(
            p.startswith(f"open_activation as {role}: POST") and "may not 'work'" in p for p in problems
        ), problems
        assert any(
            p.startswith(f"page_with_firm_buttons as {role}: offers") and "/sync/start/" in p
            for p in problems
        ), problems
    assert not any(
        p.startswith(("open_activation as firm admin", "open_activation as accountant")) for p in problems
    )
