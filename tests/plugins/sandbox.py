"""Pytest plugin: run the provider sandbox in a subprocess for the whole test session.

Fixtures:

* ``sandbox_url`` (session): starts ``python -m sandbox --port <free port>`` on 127.0.0.1, waits for
  ``/health`` and yields the base URL, e.g. ``http://127.0.0.1:53211``. Set ``SANDBOX_URL`` to use an
  already running sandbox instead.
* ``sandbox`` (function): resets the sandbox state (``POST /_control/reset``) and returns a
  :class:`SandboxHelper` with the URLs and the control calls.
* ``providers_at_sandbox`` (function): ``sandbox``, with every provider's base URLs pointed at it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox import process


class SandboxHelper:
    """URLs of the simulated providers plus the ``/_control`` knobs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fortnox_api_url = f"{url}/fortnox"
        self.fortnox_auth_url = f"{url}/fortnox/oauth-v1"
        self.spiris_api_url = f"{url}/spiris"
        self.spiris_auth_url = f"{url}/spiris/identity"
        self.client = httpx.Client(base_url=url, timeout=30)

    def control(self, name: str, **payload: Any) -> dict[str, Any]:
        response = self.client.post(f"/_control/{name}", json=payload)
        response.raise_for_status()
        return response.json()

    def reset(self, seed: int | None = None) -> dict[str, Any]:
        return self.control("reset", **({"seed": seed} if seed is not None else {}))

    def stats(self) -> dict[str, Any]:
        response = self.client.get("/_control/stats")
        response.raise_for_status()
        return response.json()["providers"]

    def grants(self, provider: str) -> list[dict[str, Any]]:
        response = self.client.get("/_control/grants", params={"provider": provider})
        response.raise_for_status()
        return response.json()["grants"][provider]

    def expire(self, provider: str, **match: Any) -> dict[str, Any]:
        return self.control("expire", provider=provider, **match)

    def revoke(self, provider: str, **match: Any) -> dict[str, Any]:
        return self.control("revoke", provider=provider, **match)

    def fail(
        self, count: int = 1, *, provider: str | None = None, status: int = 500, target: str = "api"
    ) -> dict[str, Any]:
        """The next ``count`` API requests (target="api") or token requests (target="token") fail."""
        return self.control("fail", provider=provider, count=count, status=status, target=target)

    def latency(self, seconds: float, *, provider: str | None = None) -> dict[str, Any]:
        return self.control("latency", provider=provider, seconds=seconds)

    def ratelimit(self, provider: str, **settings: Any) -> dict[str, Any]:
        return self.control("ratelimit", provider=provider, **settings)

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self.control("clock", advance=seconds)

    def seed_company(self, company: str, vouchers: int, files: int) -> dict[str, Any]:
        return self.control("seed", company=company, vouchers=vouchers, files=files)

    def add_activity(self, company: str, count: int = 1) -> dict[str, Any]:
        return self.control("activity", company=company, count=count)

    def authorize(self, provider: str, email: str, **params: Any) -> dict[str, Any]:
        """An authorization code without the HTML pages (as if the user approved)."""
        return self.control("authorize", provider=provider, email=email, **params)

    def close(self) -> None:
        self.client.close()


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    external = os.environ.get("SANDBOX_URL")
    if external:
        process.wait_healthy(external.rstrip("/"))
        yield external.rstrip("/")
        return
    proc, url = process.start()
    try:
        yield url
    finally:
        process.stop(proc)


@pytest.fixture
def sandbox(sandbox_url: str) -> Iterator[SandboxHelper]:
    helper = SandboxHelper(sandbox_url)
    helper.reset()
    try:
        yield helper
    finally:
        helper.close()


@pytest.fixture
def providers_at_sandbox(settings, sandbox: SandboxHelper) -> SandboxHelper:
    """Point every provider's base URLs at the test's sandbox process."""
    from ledgerport.connectors import providers  # Django is set up by now, not at plugin import

    settings.PROVIDERS = {
        spec.name: {
            "api_url": sandbox.url + spec.sandbox_api_path,
            "auth_url": sandbox.url + spec.sandbox_auth_path if spec.sandbox_auth_path else "",
        }
        for spec in providers.all()
    }
    return sandbox
