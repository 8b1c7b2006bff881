from __future__ import annotations

import pytest

from ledgerport.connectors import providers
from ledgerport.ledger import sources


@pytest.fixture
def providers_at_sandbox(settings, sandbox):
    """Point every provider's base URLs at the test's sandbox process."""
    settings.PROVIDERS = {
        spec.name: {
            "api_url": sandbox.url + spec.sandbox_api_path,
            "auth_url": sandbox.url + spec.sandbox_auth_path if spec.sandbox_auth_path else "",
        }
        for spec in providers.all()
    }
    return sandbox


@pytest.fixture
def acme():
    """The test-only provider package, discovered like the real ones; removed afterwards."""
    before = dict(providers._registry)
    found = providers.autodiscover("tests.connectors.extra_providers")
    for spec in found:
        sources.register(spec.name, spec.display_name)
    yield providers.get("acme")
    for spec in found:
        sources.unregister(spec.name)
    providers._registry.clear()
    providers._registry.update(before)
