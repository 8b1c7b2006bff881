"""A real worker takes a task from the configured broker (Redis in CI, SQLite by default)."""

from __future__ import annotations

from celery.contrib.testing.worker import start_worker

from ledgerport.celery import app
from ledgerport.core.tasks import ping


def test_worker_runs_a_task_through_the_broker(settings):
    app.conf.task_ignore_result = False
    app.conf.result_backend = "cache+memory://"
    # Any task sent before this test (the sync tests send some) cached the disabled backend.
    app._backend_cache = None
    vars(app._local).pop("backend", None)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        assert ping.delay().get(timeout=30) == "pong"
