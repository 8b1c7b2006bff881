"""`python -m ledgerport.core.serve`: the web server of `make run` and of `make bench-load`.

One place decides how the product is served, so what a user tries is what is measured:
gunicorn with threaded workers (gthread), one worker per core and a few threads each. The
pages are short and mostly wait on PostgreSQL, so threads overlap those waits while the
worker count follows the cores that run Python (the GIL allows one per process). Each
thread keeps its database connection open between requests (CONN_MAX_AGE in settings).

WEB_PORT (default 8000), WEB_BIND (overrides host:port), WEB_WORKERS and WEB_THREADS
(override the sizing). Pure (no Django): it only builds gunicorn's command line and execs it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

THREADS_PER_WORKER = 4
# Longer than a person's pause between pages, so the next page reuses the connection (gunicorn's
# default, 2 s, closes it under them; a client then meets a connection closed as it sends).
KEEP_ALIVE_SECONDS = 5


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def sizing(environ: dict[str, str] | None = None) -> tuple[int, int]:
    """(workers, threads per worker)."""
    environ = dict(os.environ) if environ is None else environ
    workers = int(environ.get("WEB_WORKERS") or cores())
    threads = int(environ.get("WEB_THREADS") or THREADS_PER_WORKER)
    return max(1, workers), max(1, threads)


def command(environ: dict[str, str] | None = None) -> list[str]:
    environ = dict(os.environ) if environ is None else environ
    workers, threads = sizing(environ)
    bind = environ.get("WEB_BIND") or f"127.0.0.1:{environ.get('WEB_PORT') or '8000'}"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    return [
        gunicorn,
        "ledgerport.wsgi",
        "--bind",
        bind,
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--logger-class",
        "ledgerport.core.accesslog.ScrubbingLogger",
        "--graceful-timeout",
        "5",
        "--keep-alive",
        str(KEEP_ALIVE_SECONDS),
    ]


def main() -> None:
    argv = command()
    os.execv(argv[0], argv)  # noqa: S606 - our own fixed command line, no shell wanted


if __name__ == "__main__":
    main()
