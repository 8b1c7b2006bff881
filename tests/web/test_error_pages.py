"""Error pages in Ledgerport's layout and the user's language (DEBUG off), and the favicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def test_404_is_swedish_in_the_layout(client, world):
    client.force_login(world.admin_a)
    for url in ("/no-such-page/", f"/companies/{world.b1.pk}/"):  # unknown, and another firm's client
        response = client.get(url)
        assert response.status_code == 404
        body = response.content.decode()
        assert "Sidan hittades inte" in body and 'class="topbar"' in body and "favicon.svg" in body
        assert "Not Found" not in body and "The requested resource" not in body


def test_404_follows_the_chosen_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    body = client.get("/no-such-page/").content.decode()
    assert "Siden finnes ikke" in body and 'lang="nb"' in body


def test_400_for_a_malformed_request(client, world):
    client.force_login(world.admin_a)
    response = client.get("/companies/?q=%00")
    assert response.status_code == 400
    assert "Felaktig begäran" in response.content.decode()


def test_403_and_the_expired_form(world, rf: RequestFactory):
    request = rf.get("/")
    request.user = world.admin_a
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403 and "Inte tillåtet" in response.content.decode()
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/account/login/", {"username": "a@b.se", "password": "x"})
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()


def test_500_page_from_a_failing_view(settings, db):
    settings.ROOT_URLCONF = "tests.web.error_urls"
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Något gick fel" in body and "Server Error" not in body


def test_500_page_renders_without_database_or_request_context(rf):
    translation.activate("sv")  # as LocaleMiddleware leaves it for the request that failed
    # No `db` fixture: any database access here would fail the test.
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def test_favicon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    svg = finders.find("ledgerport/favicon.svg")  # collected as a static file
    assert svg and b"<svg" in Path(svg).read_bytes()
    page = client.get("/account/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
