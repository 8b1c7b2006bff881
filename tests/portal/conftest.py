from __future__ import annotations

import pytest

from ledgerport.celery import app as celery_app


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def eager_celery(settings):
    """Tasks run where they are queued (on commit), no worker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = celery_app.conf.get("task_always_eager", False)
    celery_app.conf.update(task_always_eager=True)
    yield
    celery_app.conf.update(task_always_eager=before)
