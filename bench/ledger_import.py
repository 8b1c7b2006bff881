"""Import benchmark: a generated SIE 4 file with N #TRANS rows into PostgreSQL, as the upload does.

    .venv/bin/python bench/ledger_import.py [--rows 1000000] [--runs 1] [--profile]

The file comes from bench/sie_parse.py's deterministic generator (cached in the temp
directory). The import runs against a throwaway database (`ledgerport_bench`, created and
dropped here) on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test);
the `test` database itself is only used to connect. Each run is a fresh child process, so
the peak RSS is the import's own (Django included). Target: >= 250,000 rows/s, <= 300 MB.
The last line is PostgreSQL's own share, measured by COPYing the imported data again with
no Python in between: the import cannot be faster than that on the same server.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.sie_parse import GENERATOR_VERSION, generate  # noqa: E402 - after the path set-up

BENCH_DB = "ledgerport_bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(statement)


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")
    os.environ.setdefault("LEDGERPORT_VAR_DIR", str(Path(tempfile.gettempdir()) / "ledgerport-bench" / "var"))
    import django

    django.setup()


def child_migrate(url: str) -> None:
    _setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def child_import(url: str, path: Path, profile: bool) -> dict[str, float | int]:
    _setup_django(url)
    from ledgerport.ledger.services import ledger_import_sie
    from ledgerport.tenancy.models import Company, Firm

    firm, _ = Firm.objects.get_or_create(name="Benchmark Redovisning AB")
    company, _ = Company.objects.get_or_create(
        firm=firm, orgnr="5555555555", defaults={"name": "Benchmark AB"}
    )
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    with path.open("rb") as stream:
        result = ledger_import_sie(company=company, stream=stream, file_name=path.name, replace=True)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": result.rows,
        "vouchers": result.vouchers,
        "seconds": seconds,
        "rows_per_s": result.rows / seconds,
        "peak_rss_mb": peak_kib / 1024,
    }


def server_floor(url: str) -> dict[str, float]:
    """PostgreSQL's own share: the imported rows and vouchers, COPY'd again into scratch copies
    of their tables (same columns, indexes and constraints) with no Python work in between.
    The import cannot be faster than this on the same server; rolled back afterwards."""
    import psycopg

    seconds = {}
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        for table in ("ledger_voucherrow", "ledger_voucher"):  # every column is one the import fills
            with tempfile.TemporaryFile() as spool:
                with connection.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                    for chunk in copy:
                        spool.write(chunk)
                spool.seek(0)
                # A plain table, not TEMP: temporary tables skip the write-ahead log the import pays.
                connection.execute(f"CREATE TABLE scratch (LIKE {table} INCLUDING ALL)")
                start = time.perf_counter()
                with connection.cursor().copy("COPY scratch FROM STDIN") as copy:
                    while chunk := spool.read(1 << 20):
                        copy.write(chunk)
                seconds[table] = time.perf_counter() - start
                connection.execute("DROP TABLE scratch")
        connection.rollback()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile the import (slower)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--child", choices=["migrate", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, default=None)
    args = parser.parse_args()
    path = (
        args.path
        or Path(tempfile.gettempdir()) / "ledgerport-bench" / f"sie-{args.rows}-v{GENERATOR_VERSION}.se"
    )
    if args.child == "migrate":
        child_migrate(args.url)
        return 0
    if args.child == "import":
        print(json.dumps(child_import(args.url, path, args.profile)))
        return 0

    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point at PostgreSQL", file=sys.stderr)
        return 2
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    bench_url = _with_db(server_url, BENCH_DB)
    _admin(server_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin(server_url, f"CREATE DATABASE {BENCH_DB}")
    try:
        me = [sys.executable, __file__, "--url", bench_url, "--rows", str(args.rows), "--path", str(path)]
        subprocess.run([*me, "--child", "migrate"], check=True)
        results = []
        for _ in range(args.runs):
            command = [*me, "--child", "import", *(["--profile"] if args.profile else [])]
            output = subprocess.run(command, check=True, text=True, stdout=subprocess.PIPE)
            results.append(json.loads(output.stdout.strip().splitlines()[-1]))
        floor = server_floor(bench_url)
    finally:
        if not args.keep:
            _admin(server_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    best = min(results, key=lambda r: r["seconds"])
    print(f"file       : {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"database   : {BENCH_DB} on {urlsplit(server_url).hostname} (PostgreSQL, COPY)")
    print(f"vouchers   : {best['vouchers']}")
    print(f"rows       : {best['rows']}")
    print(f"seconds    : {best['seconds']:.2f} (best of {len(results)})")
    if len(results) > 1:  # the first run loads an empty database; the others replace that year
        each = ", ".join(f"{r['seconds']:.2f}" for r in results)
        print(f"runs       : {each} s (run 1 into an empty year, the others replacing it)")
    print(f"rows/s     : {best['rows_per_s']:,.0f}  (target >= 250,000)")
    print(f"peak RSS   : {max(r['peak_rss_mb'] for r in results):.1f} MB  (target <= 300 MB)")
    server = sum(floor.values())
    print(
        f"server     : {server:.2f} s for PostgreSQL alone to COPY the same rows and vouchers into copies "
        f"of their tables (rows {floor['ledger_voucherrow']:.2f} s, vouchers {floor['ledger_voucher']:.2f} s): "
        f"a ceiling of {best['rows'] / server:,.0f} rows/s on this server; the import took "
        f"{best['seconds'] / server:.2f}x that"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
