"""The client list (the firm's cockpit) for a firm of 500 clients with connections, sync runs and
tax-check summaries: the server time per request (median, in-process through Django's test
client, so no network) and the number of queries.

    .venv/bin/python bench/client_list.py [--clients 500] [--requests 30]

Uses a PostgreSQL database of its own (BENCH_CLIENT_LIST_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_client_list), dropped and re-created each run.
`populate` is also what tests/web/test_client_list.py counts the queries on.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_client_list"
PROVIDERS = ("fortnox", "spiris", "skatteverket")
STATUSES = ("active", "active", "active", "needs_reauthorisation", "pending", "error")


def orgnr(serial: int) -> str:
    """A valid Swedish organisation number (Luhn), distinct per serial."""
    digits = f"55{serial:07d}"
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def populate(firm: Any, count: int, *, first: int = 1000) -> list[Any]:
    """`count` clients of `firm`, most with one to three connections, three sync runs each (the
    latest of some failed), two fiscal years and their tax-check summaries (some with
    differences); a few with nothing at all. Bulk-inserted: seconds, not minutes."""
    from ledgerport.analysis.models import TaxCheckSummary
    from ledgerport.connectors.models import Connection, SyncRun
    from ledgerport.ledger.models import FiscalYear
    from ledgerport.tenancy.models import Company

    companies = Company.objects.bulk_create(
        [Company(firm=firm, name=f"Klient {n:04d} AB", orgnr=orgnr(first + n)) for n in range(count)]
    )
    connections = Connection.objects.bulk_create(
        [
            Connection(company=c, provider=provider, status=STATUSES[(n + p) % len(STATUSES)])
            for n, c in enumerate(companies)
            if n % 10  # every tenth client has no connection
            for p, provider in enumerate(PROVIDERS[: 1 + n % 3])
        ]
    )
    base = datetime(2026, 12, 1, tzinfo=UTC)
    SyncRun.objects.bulk_create(
        [
            SyncRun(
                connection=conn,
                status="failed" if (i == 2 and n % 4 == 0) else "succeeded",
                created_at=base - timedelta(days=3 - i, minutes=n),
                finished_at=base - timedelta(days=3 - i, minutes=n - 1),
            )
            for n, conn in enumerate(connections)
            if n % 7  # some connections never synced
            for i in range(3)
        ]
    )
    years = FiscalYear.objects.bulk_create(
        [
            FiscalYear(company=c, start=date(year, 1, 1), end=date(year, 12, 31))
            for n, c in enumerate(companies)
            if n % 5
            for year in (2025, 2026)
        ]
    )
    TaxCheckSummary.objects.bulk_create(
        [
            TaxCheckSummary(
                company_id=y.company_id, fiscal_year=y, findings=(y.company_id % 3) * (y.start.year % 2)
            )
            for y in years
        ]
    )
    return companies


def _counter(queries: list[str]) -> Any:
    """A database execute wrapper that notes each statement in `queries`."""

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _recreate(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = _with_db(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("BENCH_CLIENT_LIST_DATABASE_URL", DEFAULT_URL)
    _recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["LEDGERPORT_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-client-list-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ledgerport.identity.models import User
    from ledgerport.tenancy import services as tenancy
    from ledgerport.tenancy.roles import FirmRole

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    firm = tenancy.firm_create(name="Cockpit Redovisning AB")
    populate(firm, args.clients)
    user = User.objects.create_user(email="cockpit@bench.invalid", password="bench-client-list")
    tenancy.firm_member_add(firm=firm, user=user, role=FirmRole.ACCOUNTANT)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    client = Client()
    client.force_login(user)
    pages = {
        "client list": "/companies/",
        "sorted by last sync": "/companies/?sort=-synced",
        "with differences": "/companies/?show=differences",
    }
    load = os.getloadavg()
    print(f"client list, {args.clients} clients, {args.requests} requests per page, PostgreSQL")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    if os.environ.get("BENCH_PROFILE"):  # "cumulative" or "tottime": where the time goes
        import cProfile
        import pstats

        client.get("/companies/")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            client.get("/companies/")
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(40)
    for name, path in pages.items():
        client.get(path)  # warm: templates, translations, the session
        queries: list[str] = []
        with connection.execute_wrapper(_counter(queries)):
            response = client.get(path)
        rows = response.content.decode().count('data-testid="company-row"')
        wall, cpu = [], []
        for _ in range(args.requests):
            w0, c0 = time.perf_counter(), time.process_time()
            client.get(path)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
        print(
            f"{name:22s} rows {rows:4d}  queries {len(queries):2d}  "
            f"median {statistics.median(wall) * 1000:6.1f} ms  (CPU {statistics.median(cpu) * 1000:5.1f} ms)"
            f"  p90 {sorted(wall)[int(len(wall) * 0.9) - 1] * 1000:6.1f} ms"
        )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
