"""Pytest plugin: Celery tasks run in the calling thread (fixture ``eager_tasks``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def eager_tasks(settings):
    """Celery tasks run in the calling thread (Celery reads its settings once, so set both)."""
    from ledgerport.celery import app as celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = celery_app.conf.get("task_always_eager", False)
    celery_app.conf.update(task_always_eager=True)
    yield
    celery_app.conf.update(task_always_eager=before)
