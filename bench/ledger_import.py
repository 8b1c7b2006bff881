"""Import benchmark: a generated SIE 4 file with N #TRANS rows into PostgreSQL, as the upload does.

    .venv/bin/python bench/ledger_import.py [--rows 1000000] [--rounds 3] [--shape quoted-ids] [--profile]

The file comes from bench/sie_parse.py's deterministic generator (cached in the temp
directory); --shape also measures a file of that row shape from ledgerport.sie.shapes
(quoted-ids: Fortnox's `#VER "A" "1"`). Everything runs in throwaway databases (`ledgerport_bench`
and `_floor`, `_template`; BENCH_IMPORT_DB names them) on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/test), which is only used to connect. Each import is a fresh
child process, so the peak RSS is the import's own (Django included). Targets: >= 250,000
rows/s, <= 300 MB.

PostgreSQL's own share is measured exactly: the imported vouchers and rows COPY'd again, with
no Python in between, into the same tables (same indexes, constraints and deferred foreign key,
checked at the commit the floor includes) of a database with the same accounts and years. The
import cannot be faster than that. Import and floor are measured interleaved, `--rounds`
times, their order alternating, each from a CHECKPOINT and with autovacuum off on the bench
databases (else the previous step's vacuum runs into the next measurement); each round's
ratio is printed with the load average, and the median (target <= 1.10x). Then resyncs: the
file with 1 % of the vouchers changed (edited, removed, added) imported over the year, then
the original over that (1 % again), which write only those vouchers (ledger/reimport.py); the
median against the median full import is printed (target <= 10 %) with the share of parsing.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import resource
import statistics
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
TEMPLATE_DB = f"{BENCH_DB}_template"  # migrated, empty, autovacuum off
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


def peak_rss_kib() -> int:
    """This process's peak RSS since its exec (VmHWM): getrusage's ru_maxrss keeps the forking
    parent's size through exec on Linux, which the bench's own spools would then inflate."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


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
    cpu = time.process_time()
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
    peak_kib = peak_rss_kib()
    return {
        "rows": result.rows,
        "rows_written": result.rows_written,
        "sums_seconds": phases["sums"],
        "analyze_seconds": phases["analyze"],
        "vouchers": result.vouchers,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,  # this process's: parsing, formatting, Django
        "rows_per_s": result.rows / seconds,
        "peak_rss_mb": peak_kib / 1024,
    }


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1))


LEDGER_TABLES = ("ledger_voucherrow", "ledger_voucher")  # rows first, as the import writes them
# Everything the rows and vouchers point at (the floor's database gets these as they are)
KEPT_TABLES = ("tenancy_firm", "tenancy_company", "ledger_fiscalyear", "ledger_account")


def spool(url: str, tables: tuple[str, ...], stack: contextlib.ExitStack) -> dict[str, Any]:
    """The tables' content as COPY text, in temporary files."""
    spools = {}
    with _connect(url) as connection:
        for table in tables:
            spools[table] = out = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
            with connection.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    out.write(chunk)
    return spools


def _copy_in(connection: Any, table: str, source: Any) -> None:
    source.seek(0)
    with connection.cursor().copy(f"COPY {table} FROM STDIN") as copy:
        while chunk := source.read(1 << 20):
            copy.write(chunk)


def server_floor(server_url: str, kept: dict[str, Any], ledger: dict[str, Any]) -> dict[str, float]:
    """PostgreSQL's own share, exactly: the imported vouchers and rows COPY'd (rows first, as the
    import does) into the same tables of an empty migrated database holding the same firm,
    company, years and accounts, in one transaction with its commit (where the deferred
    foreign key is checked)."""
    _admin(server_url, f"DROP DATABASE IF EXISTS {FLOOR_DB}")
    _admin(server_url, f"CREATE DATABASE {FLOOR_DB} TEMPLATE {TEMPLATE_DB}")
    seconds: dict[str, float] = {}
    try:
        with _connect(_with_db(server_url, FLOOR_DB)) as connection:
            for table, source in kept.items():
                _copy_in(connection, table, source)
            connection.commit()
            _checkpoint(connection)
            start = time.perf_counter()
            for table, source in ledger.items():
                began = time.perf_counter()
                _copy_in(connection, table, source)
                seconds[table] = time.perf_counter() - began
            began = time.perf_counter()
            connection.commit()
            seconds["commit"] = time.perf_counter() - began
            seconds["total"] = time.perf_counter() - start
    finally:
        _admin(server_url, f"DROP DATABASE IF EXISTS {FLOOR_DB}")
    return seconds


def _checkpoint(connection: Any) -> None:
    """Dirty buffers of the steps before written out now, not during the measurement."""
    autocommit = connection.autocommit
    connection.autocommit = True
    connection.execute("CHECKPOINT")
    connection.autocommit = autocommit


def make_template(server_url: str, me: list[str]) -> None:
    _admin(server_url, f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
    _admin(server_url, f"CREATE DATABASE {TEMPLATE_DB}")
    template_url = _with_db(server_url, TEMPLATE_DB)
    subprocess.run([*me[:2], "--url", template_url, "--child", "migrate"], check=True)
    with _connect(template_url) as connection:
        tables = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        for (table,) in tables:
            connection.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")


def run_import(me: list[str], url: str, path: Path, profile: bool) -> dict[str, Any]:
    command = [
        *me,
        "--url",
        url,
        "--path",
        str(path),
        "--child",
        "import",
        *(["--profile"] if profile else []),
    ]
    output = subprocess.run(command, check=True, text=True, stdout=subprocess.PIPE)
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    result["load"] = os.getloadavg()[0]
    return result


def fresh_import(server_url: str, me: list[str], path: Path, profile: bool) -> dict[str, Any]:
    """The file into an empty migrated database (the benchmark's), from a CHECKPOINT."""
    _admin(server_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin(server_url, f"CREATE DATABASE {BENCH_DB} TEMPLATE {TEMPLATE_DB}")
    _admin(server_url, "CHECKPOINT")
    return run_import(me, _with_db(server_url, BENCH_DB), path, profile)


def measure_file(server_url: str, me: list[str], path: Path, rounds: int, profile: bool) -> dict[str, Any]:
    """Rounds of a full import and the COPY floor, interleaved, then the resyncs."""
    bench_url = _with_db(server_url, BENCH_DB)
    imports: list[dict[str, Any]] = []
    floors: list[dict[str, float]] = []
    with contextlib.ExitStack() as stack:
        imports.append(fresh_import(server_url, me, path, profile))
        kept = spool(bench_url, KEPT_TABLES, stack)
        ledger = spool(bench_url, LEDGER_TABLES, stack)
        for index in range(rounds):
            # The order alternates (round 1: import then floor, round 2: floor then import ...),
            # so that neither always runs after the other's leftovers.
            import_first = index % 2 == 0
            if import_first and index:
                imports.append(fresh_import(server_url, me, path, profile))
            floors.append(server_floor(server_url, kept, ledger))
            floors[-1]["load"] = os.getloadavg()[0]
            if not import_first:
                imports.append(fresh_import(server_url, me, path, profile))
    changed = changed_copy(path)
    resyncs = [run_import(me, bench_url, file, profile) for file in (changed, path, changed)]
    return {"imports": imports, "floors": floors, "resyncs": resyncs, "parse": parse_seconds(changed)}


def report(path: Path, measured: dict[str, Any]) -> None:
    imports, floors, resyncs = measured["imports"], measured["floors"], measured["resyncs"]
    first = imports[0]
    print(
        f"file       : {path} ({path.stat().st_size / 1e6:.1f} MB), {first['vouchers']} vouchers, "
        f"{first['rows']} rows"
    )
    ratios = []
    for index, (run, floor) in enumerate(zip(imports, floors, strict=False)):
        ratio = run["seconds"] / floor["total"]
        ratios.append(ratio)
        print(
            f"  round {index + 1}  : import {run['seconds']:6.2f} s (its CPU {run['cpu_seconds']:.2f}, "
            f"sums {run['sums_seconds']:.2f}, "
            f"ANALYZE {run['analyze_seconds']:.2f}; load {run['load']:.1f})  COPY floor {floor['total']:6.2f} s "
            f"(rows {floor['ledger_voucherrow']:.2f}, vouchers {floor['ledger_voucher']:.2f}, "
            f"commit {floor['commit']:.2f}; load {floor['load']:.1f})  = {ratio:.2f}x; RSS {run['peak_rss_mb']:.0f} MB"
        )
    full = statistics.median(run["seconds"] for run in imports)
    print(f"import     : median {full:.2f} s, {first['rows'] / full:,.0f} rows/s  (target >= 250,000)")
    print(f"peak RSS   : {max(r['peak_rss_mb'] for r in imports):.1f} MB  (target <= 300 MB)")
    print(f"import/COPY: median {statistics.median(ratios):.2f}x of {len(ratios)} rounds  (target <= 1.10x)")
    for run in resyncs:
        print(
            f"  resync   : {run['seconds']:5.2f} s (its CPU {run['cpu_seconds']:.2f}), "
            f"{run['rows_written']:,} of {run['rows']:,} rows written "
            f"(load {run['load']:.1f})"
        )
    resync = statistics.median(run["seconds"] for run in resyncs)
    print(
        f"resync     : median {resync:.2f} s for a 1 %-changed file = {100 * resync / full:.1f} % of the "
        f"median full import (target <= 10 %); reading the file alone takes {measured['parse']:.2f} s "
        f"({100 * measured['parse'] / full:.1f} %)"
    )


def shape_file(rows: int, name: str) -> Path:
    """A file of the named row shape (ledgerport.sie.shapes), `rows` rows, cached like the other."""
    from ledgerport.sie import shapes

    shape = next((s for s in shapes.NAMED if s.name == name), None)
    if shape is None:
        raise SystemExit(f"no shape {name!r}; the shapes: {', '.join(s.name for s in shapes.NAMED)}")
    path = Path(tempfile.gettempdir()) / "ledgerport-bench" / f"shape-{name}-{rows}-v{GENERATOR_VERSION}.se"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".tmp").write_bytes(shapes.render(shape, shapes.vouchers(shape, rows)))
        path.with_suffix(".tmp").replace(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="full imports and floors, interleaved")
    parser.add_argument("--shape", action="append", default=[], help="also a file of this row shape")
    parser.add_argument("--shapes-only", action="store_true", help="only the --shape files")
    parser.add_argument("--profile", action="store_true", help="cProfile the imports (slower)")
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
    files = [*([] if args.shapes_only else [path]), *(shape_file(args.rows, name) for name in args.shape)]
    me = [sys.executable, __file__]
    print(
        f"database   : {BENCH_DB} on {urlsplit(server_url).hostname} (PostgreSQL, COPY); "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at the start"
    )
    try:
        make_template(server_url, me)
        for file in files:
            report(file, measure_file(server_url, me, file, args.rounds, args.profile))
    finally:
        for name in (TEMPLATE_DB, FLOOR_DB, *(() if args.keep else (BENCH_DB,))):
            _admin(server_url, f"DROP DATABASE IF EXISTS {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
