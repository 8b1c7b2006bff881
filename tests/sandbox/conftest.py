"""Sandbox tests drive the sandbox over real HTTP (a subprocess started by tests/plugins/sandbox.py)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import sys
from typing import Any

import httpx
import pytest

from tests.plugins.provider_pages import Browser, form_action, hidden  # noqa: F401 (re-exported via helpers)


@pytest.fixture(autouse=True)
def _test_settings():
    """Overrides the Django settings fixture of tests/conftest.py: the sandbox needs no Django."""


REDIRECT_URI = "http://127.0.0.1:9999/callback"
FORTNOX_CLIENT = ("ledgerport-dev", "fortnox-dev-secret")
SPIRIS_CLIENT = ("ledgerport-dev", "spiris-dev-secret")
FORTNOX_SCOPES = "bookkeeping archive inbox connectfile supplierinvoice invoice companyinformation settings"
SPIRIS_SCOPES = "ea:api offline_access ea:accounting_readonly ea:purchase_readonly ea:sales_readonly"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@pytest.fixture
def browser(sandbox: Any):
    b = Browser(sandbox.url)
    yield b
    b.close()


@pytest.fixture
def api(sandbox: Any):
    client = httpx.Client(base_url=sandbox.url, timeout=30)
    yield client
    client.close()


def fortnox_tokens(
    sandbox: Any, api: httpx.Client, email: str = "admin@exempelbolaget.se", **params: Any
) -> dict:
    code = sandbox.authorize("fortnox", email, redirect_uri=REDIRECT_URI, **params)["code"]
    r = api.post(
        "/fortnox/oauth-v1/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        auth=FORTNOX_CLIENT,
    )
    assert r.status_code == 200, r.text
    return r.json()


def spiris_tokens(sandbox: Any, api: httpx.Client, email: str = "anna@nordljus.se", **params: Any) -> dict:
    code = sandbox.authorize("spiris", email, redirect_uri=REDIRECT_URI, **params)["code"]
    r = api.post(
        "/spiris/identity/connect/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        auth=SPIRIS_CLIENT,
    )
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def fortnox(sandbox: Any, api: httpx.Client):
    """An httpx client with a Bearer token for Exempelbolaget AB (all scopes the product needs)."""
    tokens = fortnox_tokens(sandbox, api)
    client = httpx.Client(
        base_url=f"{sandbox.url}/fortnox",
        headers={"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"},
        timeout=30,
    )
    client.tokens = tokens  # type: ignore[attr-defined]
    yield client
    client.close()


@pytest.fixture
def spiris(sandbox: Any, api: httpx.Client):
    """An httpx client with a Bearer token for Nordljus Konsult AB."""
    tokens = spiris_tokens(sandbox, api)
    client = httpx.Client(
        base_url=f"{sandbox.url}/spiris",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=30,
    )
    client.tokens = tokens  # type: ignore[attr-defined]
    yield client
    client.close()


@pytest.fixture
def helpers():
    return sys.modules[__name__]
