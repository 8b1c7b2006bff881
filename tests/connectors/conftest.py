from __future__ import annotations

import pytest

from ledgerport.connectors import providers
from ledgerport.ledger import sources


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
