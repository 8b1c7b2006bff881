from __future__ import annotations

import pytest


@pytest.fixture
def providers_at_sandbox(settings, sandbox):
    """Point every provider's base URLs at the test's sandbox process."""
    settings.PROVIDERS = {
        name: {**conf, "api_url": f"{sandbox.url}/{name}", "auth_url": f"{sandbox.url}{suffix}"}
        for name, conf in settings.PROVIDERS.items()
        for suffix in [{"fortnox": "/fortnox/oauth-v1", "spiris": "/spiris/identity"}.get(name, "")]
    }
    return sandbox
