"""Import benchmark: a generated SIE 4 file with N #TRANS rows into PostgreSQL, as the upload does.

    .venv/bin/python bench/ledger_import.py [--rows 1000000] [--runs 1] [--profile]

The file comes from bench/sie_parse.py's deterministic generator (cached in the temp
directory). The import runs against a throwaway database (`ledgerport_bench`, created and
dropped here) on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test);
the `test` database itself is only used to connect. Each run is a fresh child process, so
the peak RSS is the import's own (Django included). Target: >= 250,000 rows/s, <= 300 MB.
PostgreSQL's own share is measured exactly: the imported vouchers and rows COPY'd again, with
no Python in between, into the same tables (same indexes, constraints and deferred foreign
key, checked at the commit the floor includes) of a copy of the database whose ledger tables
were emptied; the import cannot be faster than that, and the ratio is printed (target
<= 1.10x). Then a resync: the same file with 1 % of the vouchers changed (edited, removed,
added) is imported over the year, which writes only those (ledger/reimport.py); its time
against the full import's is printed (target <= 10 %) with the share of parsing the file.
"""

from __future__ import annotations

import argparse
import contextlib
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
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.sie_parse import GENERATOR_VERSION, generate  # noqa: E402 - after the path set-up

BENCH_DB = os.environ.get("BENCH_IMPORT_DB", "ledgerport_bench")  # another name: benches side by side
FLOOR_DB = f"{BENCH_DB}_floor"
CHANGED_EVERY = 300  # of every 300 vouchers one is edited, one removed and one added: 1 %
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


def changed_copy(path: Path) -> Path:
    """The file with 1 % of its vouchers changed: edited (an amount moved between two rows),
    removed, or added (a new voucher in series B), spread over the whole year."""
    from dataclasses import replace

    from ledgerport.sie import SieReader
    from ledgerport.sie.writer import SieWriter

    out = path.with_name(f"{path.stem}-changed-{CHANGED_EVERY}.se")
    if out.exists():
        return out
    tmp = out.with_suffix(".tmp")
    with SieReader.open(path) as reader, tmp.open("wb") as stream:
        writer = SieWriter(stream)
        writer.write_header(reader.read_header(), has_vouchers=True)
        for index, voucher in enumerate(reader.vouchers()):
            step = index % CHANGED_EVERY
            if step == 1:
                continue  # removed
            if step == 0:  # edited
                first, last = voucher.rows[0], voucher.rows[-1]
                voucher.rows[0] = first._replace(amount=first.amount + 1)
                voucher.rows[-1] = last._replace(amount=last.amount - 1)
            writer.write_voucher(voucher)
            if step == 2:  # added
                writer.write_voucher(replace(voucher, series="B", text=f"{voucher.text} (ny)"))
        writer.finish()
    tmp.replace(out)
    return out


def parse_seconds(path: Path) -> float:
    from ledgerport.sie import SieReader

    start = time.perf_counter()
    with SieReader.open(path) as reader:
        for _voucher in reader.vouchers():
            pass
    return time.perf_counter() - start


def child_import(url: str, path: Path, profile: bool) -> dict[str, float | int]:
    _setup_django(url)
    from ledgerport.ledger import importer, period_sums
    from ledgerport.ledger.services import ledger_import_sie
    from ledgerport.tenancy.models import Company, Firm

    phases: dict[str, float] = {"sums": 0.0, "analyze": 0.0}

    def timed(name: str, function: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] += time.perf_counter() - began

        return run

    # Where the time beyond the COPY goes: the sums' INSERT … SELECT and the ANALYZE.
    period_sums.write = timed("sums", period_sums.write)  # type: ignore[method-assign]
    importer.analyze = timed("analyze", importer.analyze)  # type: ignore[method-assign]

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
        "rows_written": result.rows_written,
        "sums_seconds": phases["sums"],
        "analyze_seconds": phases["analyze"],
        "vouchers": result.vouchers,
        "seconds": seconds,
        "rows_per_s": result.rows / seconds,
        "peak_rss_mb": peak_kib / 1024,
    }


def server_floor(server_url: str, bench_url: str) -> dict[str, float]:
    """PostgreSQL's own share, exactly: the imported vouchers and rows COPY'd (rows first, as the
    import does) into the same tables of a copy of the benchmark database whose ledger tables
    were emptied, in one transaction with its commit (where the deferred foreign key is checked)."""
    import psycopg

    def connect(url: str) -> psycopg.Connection:
        return psycopg.connect(url.replace("postgres://", "postgresql://", 1))

    tables = ("ledger_voucherrow", "ledger_voucher")
    with contextlib.ExitStack() as stack:
        spools = {table: stack.enter_context(tempfile.TemporaryFile()) for table in tables}
        return _floor(server_url, bench_url, spools, connect)


def _floor(server_url: str, bench_url: str, spools: dict[str, Any], connect: Any) -> dict[str, float]:
    with connect(bench_url) as connection:
        for table, spool in spools.items():
            with connection.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    spool.write(chunk)
            spool.seek(0)
    _admin(server_url, f"DROP DATABASE IF EXISTS {FLOOR_DB}")
    _admin(server_url, f"CREATE DATABASE {FLOOR_DB} TEMPLATE {BENCH_DB}")
    floor_url = _with_db(server_url, FLOOR_DB)
    seconds: dict[str, float] = {}
    try:
        with connect(floor_url) as connection:
            connection.execute("TRUNCATE ledger_periodsum, ledger_voucherrow, ledger_voucher")
            connection.commit()
            connection.execute("CHECKPOINT")  # the import starts from clean buffers too
            start = time.perf_counter()
            for table, spool in spools.items():
                began = time.perf_counter()
                with connection.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                    while chunk := spool.read(1 << 20):
                        copy.write(chunk)
                seconds[table] = time.perf_counter() - began
            began = time.perf_counter()
            connection.commit()
            seconds["commit"] = time.perf_counter() - began
            seconds["total"] = time.perf_counter() - start
    finally:
        _admin(server_url, f"DROP DATABASE IF EXISTS {FLOOR_DB}")
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
        floor = server_floor(server_url, bench_url)
        changed = changed_copy(path)
        command = [*me[:-1], str(changed), "--child", "import", *(["--profile"] if args.profile else [])]
        output = subprocess.run(command, check=True, text=True, stdout=subprocess.PIPE)
        resync = json.loads(output.stdout.strip().splitlines()[-1])
        parsing = parse_seconds(changed)
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
    first = results[0]  # into an empty database, as the floor's COPY
    server = floor["total"]
    print(
        f"COPY floor : {server:.2f} s for PostgreSQL alone to COPY the same rows and vouchers into the "
        f"same tables (rows {floor['ledger_voucherrow']:.2f} s, vouchers {floor['ledger_voucher']:.2f} s, "
        f"commit {floor['commit']:.2f} s)"
    )
    print(
        f"import/COPY: {first['seconds'] / server:.2f}x  (run 1, {first['seconds']:.2f} s; target <= 1.10x)"
    )
    print(
        f"  of which : writing the sums {first['sums_seconds']:.2f} s, ANALYZE {first['analyze_seconds']:.2f} s"
    )
    print(
        f"resync     : {resync['seconds']:.2f} s for the file with 1 % of the vouchers changed "
        f"({resync['rows_written']:,} of {resync['rows']:,} rows written) = "
        f"{100 * resync['seconds'] / first['seconds']:.1f} % of the full import (target <= 10 %)"
    )
    print(
        f"  of which : reading the file alone takes {parsing:.2f} s "
        f"({100 * parsing / first['seconds']:.1f} % of the full import)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
