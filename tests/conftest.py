"""Shared fixtures: the tenancy world every test builds on, fast hashing, plain static files."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.plugins.sandbox", "tests.plugins.smtp", "tests.plugins.tasks"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: serve from the app folders without a manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test's ids come round again (SQLite),
    and a page part cached by one test must not answer another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    from tests.factories import build_world

    return build_world()
