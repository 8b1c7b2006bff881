"""Sync benchmark: a full provider sync against the sandbox, then an immediate incremental resync.

    .venv/bin/python bench/sync.py [--provider fortnox|spiris|both] [--vouchers 5000] [--files 3000]

Starts the sandbox (`python -m sandbox`) on a free port, seeds the demo company (Fortnox
556036-0793 Exempelbolaget AB; Spiris 559141-9816 Nordljus Konsult AB) with N vouchers and M
files, and runs the product's sync (`sync_start` + `sync_execute`, as the worker does) of the
two latest fiscal years into a PostgreSQL database of its own (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_sync: dropped, created and migrated here) with a
private LEDGERPORT_VAR_DIR (fresh rate-limit buckets and files).

Printed per provider: wall time, requests, the lower bound set by the provider's documented
rate limit (Fortnox 25 per 5 s sliding window per grant; Spiris 600 per minute per endpoint:
the busiest key decides) — a sliding window admits a burst of `limit` at once, so n requests
need floor((n - 1) / limit) whole windows — wall ÷ bound (target <= 1.05), the 429 answers
(target 0), and the resync's requests and their share of the full sync's (target <= 5 %).
`--breakdown` adds where the time went (waiting for a permit, HTTP, local work) and the
requests per key. The limiter runs at the documented limits themselves (ratelimit.py).
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import platform
import pstats
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from sandbox import process  # noqa: E402 - after the path set-up

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_sync"

# provider -> (company org.nr, name, published limit: requests, per seconds, per what)
PROVIDERS = {
    "fortnox": ("556036-0793", "Exempelbolaget AB", 25, 5.0, "grant"),
    "spiris": ("559141-9816", "Nordljus Konsult AB", 600, 60.0, "endpoint"),
}


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, Python {platform.python_version()}"


def _admin(url: str, statement: str) -> None:
    import psycopg

    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(statement)


def setup_django(database_url: str, sandbox_url: str, var_dir: Path) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(database_url, f'CREATE DATABASE "{name}"')
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="ledgerport.settings",
        LEDGERPORT_VAR_DIR=str(var_dir),
        SANDBOX_URL=sandbox_url,
        # Never someone else's Redis: the broker (unused, tasks run inline) and the
        # rate-limit buckets live in the private var directory.
        CELERY_BROKER_URL=f"sqla+sqlite:///{var_dir / 'celery-broker.sqlite3'}",
        RATE_LIMIT_URL=f"sqlite:///{var_dir / 'ratelimit.sqlite3'}",
    )
    for name in ("FORTNOX_API_URL", "FORTNOX_AUTH_URL", "SPIRIS_API_URL", "SPIRIS_AUTH_URL", "MEDIA_ROOT"):
        os.environ.pop(name, None)
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Probe:
    """Counts requests per rate-limit key and where the sync's time goes (limiter, HTTP)."""

    def __init__(self) -> None:
        self.keys: Counter[str] = Counter()
        self.granted: dict[str, list[float]] = {}  # per key: when each permit was given (perf_counter)
        self.limiter_wait = 0.0
        self.http = 0.0
        self._lock = threading.Lock()

    def reset(self) -> None:
        self.keys.clear()
        self.granted.clear()
        self.limiter_wait = self.http = 0.0

    def install(self) -> None:
        import httpx

        from ledgerport.connectors import clients

        original_limiter = clients.limiter_for
        probe = self

        class Counting:
            def __init__(self, inner: Any) -> None:
                self.inner = inner

            @contextmanager
            def acquire(self, key: str, stop: threading.Event) -> Iterator[None]:
                started = time.perf_counter()
                with self.inner.acquire(key, stop):
                    now = time.perf_counter()
                    with probe._lock:
                        probe.limiter_wait += now - started
                        probe.keys[key] += 1
                        probe.granted.setdefault(key, []).append(now)
                    yield

        cache: dict[str, Counting] = {}
        clients.limiter_for = lambda name: cache.setdefault(name, Counting(original_limiter(name)))  # type: ignore[assignment]
        send = httpx.Client.send

        def timed_send(client: httpx.Client, *args: Any, **kwargs: Any) -> httpx.Response:
            started = time.perf_counter()
            try:
                return send(client, *args, **kwargs)
            finally:
                with probe._lock:
                    probe.http += time.perf_counter() - started

        httpx.Client.send = timed_send  # type: ignore[method-assign]


def run_sync(connection: Any) -> Any:
    from ledgerport.connectors import sync, sync_runs

    run = sync_runs.sync_start(connection=connection, enqueue=False)
    done = sync.sync_execute(run.pk)
    assert done is not None
    return done


def bench_provider(
    provider: str, sandbox_url: str, args: argparse.Namespace, firm: Any, probe: Probe
) -> dict[str, Any]:
    from tests.connectors.sync_helpers import connect
    from tests.plugins.sandbox import SandboxHelper

    from ledgerport.connectors.models import SyncStatus
    from ledgerport.documents.models import Document, VoucherDocument
    from ledgerport.ledger.models import FiscalYear
    from ledgerport.tenancy.models import Company

    orgnr, name, limit, per, unit = PROVIDERS[provider]
    helper = SandboxHelper(sandbox_url)
    helper.reset()
    seeded = helper.seed_company(orgnr, vouchers=args.vouchers, files=args.files)
    company = Company.objects.create(firm=firm, orgnr=orgnr.replace("-", ""), name=name, country="SE")
    connection = connect(helper, company, provider)

    helper.control("stats/reset")
    probe.reset()
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    full = run_sync(connection)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - started
    if full.status != SyncStatus.SUCCEEDED:
        raise RuntimeError(f"{provider} full sync {full.status}: {full.error}\n{full.log}")
    keys = dict(probe.keys)
    granted = {key: [t - started for t in times] for key, times in probe.granted.items()}
    limiter_wait, http = probe.limiter_wait, probe.http
    sandbox_full = helper.stats()[provider]
    documents = Document.objects.filter(company=company).count()
    links = VoucherDocument.objects.filter(fiscal_year__company=company).count()
    vouchers = sum(FiscalYear.objects.filter(company=company).values_list("voucher_count", flat=True))
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)

    helper.control("stats/reset")
    probe.reset()
    started = time.perf_counter()
    resync = run_sync(connection)
    resync_wall = time.perf_counter() - started
    if resync.status != SyncStatus.SUCCEEDED:
        raise RuntimeError(f"{provider} resync {resync.status}: {resync.error}\n{resync.log}")
    resync_keys = dict(probe.keys)
    sandbox_resync = helper.stats()[provider]
    helper.close()

    limited = sum(keys.values())  # requests that went through the rate limiter
    busiest = max(keys, key=keys.__getitem__)  # per grant: the one key
    most = keys[busiest]
    # A sliding window admits a burst of `limit` at once: the n-th request of a key can go
    # no earlier than floor((n - 1) / limit) windows after its first.
    bound = (most - 1) // limit * per if most else 0.0
    return {
        "provider": provider,
        "seeded": seeded,
        "wall": wall,
        "requests": full.requests,
        "limited": limited,
        "keys": keys,
        "busiest": busiest,
        "most": most,
        "bound": bound,
        "limit": f"{limit} per {per:g} s per {unit}",
        "granted": granted,
        "limiter_wait": limiter_wait,
        "http": http,
        "timings": full.timings,
        "rate_limited": sandbox_full.get("rate_limited", 0),
        "sandbox_api": sandbox_full.get("api", 0),
        "documents": documents,
        "links": links,
        "vouchers": vouchers,
        "handlers": {k: v for k, v in sandbox_full.items() if k.startswith("api:")},
        "resync_requests": resync.requests,
        "resync_wall": resync_wall,
        "resync_keys": resync_keys,
        "resync_sandbox": {k: v for k, v in sandbox_resync.items() if k.startswith("api:")},
        "resync_log": resync.log,
    }


def report(r: dict[str, Any], breakdown: bool) -> None:
    ratio = r["wall"] / r["bound"] if r["bound"] else float("inf")
    share = r["resync_requests"] / r["requests"] if r["requests"] else 0.0
    print(
        f"--- {r['provider']}: {r['seeded'].get('company')} ({r['seeded'].get('vouchers')} vouchers, "
        f"{r['seeded'].get('files')} files seeded)"
    )
    print(f"synced         : {r['vouchers']} vouchers, {r['documents']} documents, {r['links']} links")
    print(f"wall           : {r['wall']:.1f} s")
    print(
        f"requests       : {r['requests']} ({r['limited']} through the rate limiter; "
        f"sandbox saw {r['sandbox_api']} API requests, {r['rate_limited']} answered 429)"
    )
    print(
        f"bound          : {r['bound']:.1f} s = floor(({r['most']} - 1) / limit) windows at the "
        f"documented {r['limit']} (busiest key {r['busiest']}: {r['most']} requests)"
    )
    print(f"wall / bound   : {ratio:.3f}  (target <= 1.05) {'OK' if ratio <= 1.05 else 'MISSED'}")
    print(f"429 answers    : {r['rate_limited']}  (target 0) {'OK' if r['rate_limited'] == 0 else 'MISSED'}")
    print(
        f"resync         : {r['resync_requests']} requests in {r['resync_wall']:.1f} s = "
        f"{share:.2%} of the full sync's  (target <= 5 %) {'OK' if share <= 0.05 else 'MISSED'}"
    )
    resync_api = sum(r["resync_keys"].values())
    if resync_api != r["resync_requests"] or r["limited"] != r["requests"]:
        print(
            f"resync (API)   : {resync_api} of {r['limited']} rate-limited requests = "
            f"{resync_api / r['limited'] if r['limited'] else 0.0:.2%}"
        )
    if breakdown:
        print(
            f"time           : waiting for permits {r['limiter_wait']:.1f} s, HTTP {r['http']:.1f} s "
            f"(each summed over the fetch threads); phases {r['timings']}"
        )
        times = r["granted"].get(r["busiest"], [])
        if times:
            limit = int(r["limit"].split()[0])
            # The last permit waits for the window of permit #(n - limit): how fast the first
            # burst went decides how long the last one takes.
            n = len(times)
            marks = [(1, 0), (n - limit, n - limit - 1), (limit, limit - 1), (limit + 1, limit), (n, n - 1)]
            print(
                "busiest key    : permits "
                + ", ".join(f"#{k} at {times[i]:.2f} s" for k, i in marks if 0 <= i < n)
                + f"; the sync ended at {r['wall']:.2f} s"
            )
        print(f"per key        : {r['keys']}")
        print(f"handlers       : {r['handlers']}")
        print(f"resync per key : {r['resync_keys']}")
        print(f"resync handlers: {r['resync_sandbox']}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--provider", choices=["fortnox", "spiris", "both"], default="both")
    parser.add_argument("--vouchers", type=int, default=5000)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--breakdown", action="store_true", help="time per stage and requests per endpoint")
    parser.add_argument("--profile", action="store_true", help="cProfile the full sync (stderr)")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point at PostgreSQL", file=sys.stderr)
        return 2
    if "bench" not in urlsplit(database_url).path:
        # The database is dropped and re-created: never someone's real or test database.
        print("DATABASE_URL must name a benchmark database (its name containing 'bench')", file=sys.stderr)
        return 2
    print(f"machine        : {machine()}")
    print(f"database       : {urlsplit(database_url).path.lstrip('/')} on {urlsplit(database_url).hostname}")
    proc, sandbox_url = process.start()
    try:
        with tempfile.TemporaryDirectory(
            prefix="ledgerport-bench-sync-", ignore_cleanup_errors=True
        ) as var_dir:
            setup_django(database_url, sandbox_url, Path(var_dir))
            from ledgerport.tenancy.models import Firm

            probe = Probe()
            probe.install()
            firm = Firm.objects.create(name="Benchmark Redovisning AB")
            providers = ["fortnox", "spiris"] if args.provider == "both" else [args.provider]
            for provider in providers:
                report(bench_provider(provider, sandbox_url, args, firm, probe), args.breakdown)
                sys.stdout.flush()
            from django.db import connections

            connections.close_all()
    finally:
        process.stop(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
