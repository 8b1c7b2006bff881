"""Parse benchmark for ledgerport.sie: stream a generated SIE 4 file with N #TRANS rows.

    .venv/bin/python bench/sie_parse.py [--rows 1000000] [--shape-rows 200000] [--stages] [--profile]

The file is generated once (seeded, deterministic) with the library's writer
(CP437, CRLF) into the temp directory and reused. The timing runs in a child
process so that the generator's memory does not count in the peak RSS.

Then every named row shape of ledgerport.sie.shapes (quoted ids, empty quoted dates,
quantities, escapes, objects, #RTRANS ...), one file each, read by the C scanner and by
the pure-Python path (LEDGERPORT_SIE_PURE=1, a child process each): rows/s per shape, and
the pure path's slowdown against its own common case (target: at most 1.5x).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ledgerport.sie import (
    Account,
    Dimension,
    FiscalYear,
    Program,
    Row,
    SieHeader,
    SieObject,
    SieReader,
    Voucher,
    shapes,
)
from ledgerport.sie.encoding import LineDecoder
from ledgerport.sie.lexer import split_fields
from ledgerport.sie.problems import ProblemLog
from ledgerport.sie.writer import SieWriter

GENERATOR_VERSION = 2
ACCOUNTS = {
    "1910": "Kassa",
    "1930": "Företagskonto",
    "1510": "Kundfordringar",
    "2440": "Leverantörsskulder",
    "2611": "Utgående moms 25 %",
    "2641": "Ingående moms",
    "3041": "Försäljning tjänster",
    "4010": "Inköp material",
    "5010": "Lokalhyra",
    "6110": "Kontorsmateriel",
    "7690": "Övriga personalkostnader",
}
# Mostly plain texts; one with an escaped quote (\") as real files occasionally have.
TEXTS = ["Kaffebröd", "Hyra januari", "Överföring", "Inköp av pärmar", "Lön", "Återbetalning", "Porto"] * 3
TEXTS.append('Faktura "snabb"')
# Object numbers keep leading zeros; one needs quotes (it has a blank).
OBJECTS = [
    (("1", "Nord"),),
    (("1", "Syd"), ("6", "0001")),
    (("6", "0002"),),
    (("1", "Väst"), ("6", "0003")),
] * 2
OBJECTS.append((("1", "Nord"), ("6", "P 17")))


def generate(path: Path, rows: int, seed: int = 20240101) -> None:
    rng = random.Random(seed)
    header = SieHeader(
        flag=0,
        program=Program("ledgerport bench", str(GENERATOR_VERSION)),
        generated=date(2024, 12, 31),
        declared_type="4",
        company_name="Benchmark AB",
        orgnr="555555-5555",
    )
    header.fiscal_years[0] = FiscalYear(0, date(2024, 1, 1), date(2024, 12, 31))
    for number, name in ACCOUNTS.items():
        header.accounts[number] = Account(number, name)
    header.dimensions["1"] = Dimension("1", "Kostnadsställe")
    header.dimensions["6"] = Dimension("6", "Projekt")
    for pairs in OBJECTS:
        for dim, obj in pairs:
            header.objects[(dim, obj)] = SieObject(dim, obj, f"Objekt {obj}")
    numbers = list(ACCOUNTS)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as stream:
        writer = SieWriter(stream)
        writer.write_header(header, has_vouchers=True)
        written = 0
        serial = 0
        while written < rows:
            count = min(rng.randint(2, 6), rows - written)
            if count < 2:
                count = 2  # a voucher needs two rows to balance; may overshoot by one
            day = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
            amounts = [Decimal(rng.randint(-500_000, 500_000)).scaleb(-2) for _ in range(count - 1)]
            amounts.append(-sum(amounts, Decimal(0)))
            voucher_rows = []
            for amount in amounts:
                roll = rng.random()
                objects = rng.choice(OBJECTS) if roll < 0.25 else ()
                text = rng.choice(TEXTS) if roll > 0.6 else ""
                row_date = day if roll > 0.3 else None
                voucher_rows.append(Row(rng.choice(numbers), objects, amount, row_date, text))
            serial += 1
            writer.write_voucher(Voucher("A", str(serial), day, rng.choice(TEXTS), day, "", voucher_rows))
            written += count
        writer.finish()
    tmp.replace(path)


def measure(path: Path, runs: int) -> dict[str, float | int]:
    times = []
    cpu_times = []  # this process's CPU time: what a shared, loaded machine does not inflate
    rows = 0
    for _ in range(runs):
        start = time.perf_counter()
        cpu_start = time.process_time()
        with SieReader.open(path) as reader:
            for _voucher in reader.vouchers():
                pass  # each voucher arrives with its Row objects; the reader counts them
            rows = reader.stats.rows
            assert not reader.has_errors, reader.errors[:3]
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    median = statistics.median(times)
    return {
        "rows": rows,
        "seconds": median,
        "rows_per_s": rows / median,
        "rows_per_cpu_s": rows / statistics.median(cpu_times),
        "peak_rss_mb": peak_kib / 1024,
    }


def stages(path: Path) -> None:
    """Cumulative cost of the reader's stages, to see where the time goes."""
    log = ProblemLog(strict=False)
    start = time.perf_counter()
    with path.open("rb") as stream:
        with_lines = sum(len(lines) for lines in LineDecoder(stream, log).chunks())
    decode = time.perf_counter() - start
    start = time.perf_counter()
    with path.open("rb") as stream:
        for lines in LineDecoder(stream, log).chunks():
            for line in lines:
                line.split()
    split = time.perf_counter() - start
    start = time.perf_counter()
    with path.open("rb") as stream:
        sample = [line for lines in LineDecoder(stream, log).chunks() for line in lines[:20000]][:200_000]
    tokenized = time.perf_counter()
    for line in sample:
        split_fields(line)
    general = (time.perf_counter() - tokenized) / len(sample)
    start = time.perf_counter()
    with SieReader.open(path) as reader:
        for _ in reader.vouchers():
            pass
    full = time.perf_counter() - start
    print(f"lines: {with_lines}")
    print(f"read + decode + split into lines : {decode:6.2f} s")
    print(f"  + str.split() of every line      : {split:6.2f} s")
    print(f"full reader (model objects)        : {full:6.2f} s")
    print(f"general-path tokenizer (regex)     : {general * 1e9:6.0f} ns/line (for comparison)")


def shape_path(rows: int, shape: shapes.Shape) -> Path:
    directory = Path(tempfile.gettempdir()) / "ledgerport-bench" / f"shapes-{rows}-v{GENERATOR_VERSION}"
    return directory / f"{shape.name}.se"


def measure_shapes(rows: int, runs: int) -> dict[str, tuple[float, float]]:
    """(rows/s, rows per CPU second) per named shape (medians of runs), on this process's path."""
    out = {}
    for shape in shapes.NAMED:
        result = measure(shape_path(rows, shape), runs)
        out[shape.name] = (result["rows_per_s"], result["rows_per_cpu_s"])
    return out


def shapes_table(rows: int, runs: int) -> None:
    for shape in shapes.NAMED:
        path = shape_path(rows, shape)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.with_suffix(".tmp").write_bytes(shapes.render(shape, shapes.vouchers(shape, rows)))
            path.with_suffix(".tmp").replace(path)
    results = {}
    for name, pure in (("c", ""), ("pure", "1")):
        child = [sys.executable, __file__, "--child-shapes", "--shape-rows", str(rows), "--runs", str(runs)]
        env = {**os.environ, "LEDGERPORT_SIE_PURE": pure}
        done = subprocess.run(child, check=True, capture_output=True, text=True, env=env)
        results[name] = json.loads(done.stdout)
    c, pure = results["c"], results["pure"]
    common = pure[shapes.COMMON.name]
    ratios = {name: (common[0] / wall, common[1] / cpu) for name, (wall, cpu) in pure.items()}
    print(f"\nrow shapes ({rows:,} rows each, median of {runs}; load {os.getloadavg()[0]:.2f}):")
    print("  rows/s by the clock, and by this process's CPU time (what a loaded machine leaves alone)")
    print(
        f"{'shape':24} {'C rows/s':>11} {'C CPU':>11} {'pure rows/s':>12} {'pure CPU':>11} {'pure vs common':>15}"
    )
    for shape in shapes.NAMED:
        name = shape.name
        print(
            f"{name:24} {c[name][0]:11,.0f} {c[name][1]:11,.0f} {pure[name][0]:12,.0f} {pure[name][1]:11,.0f}"
            f" {ratios[name][0]:6.2f}x {ratios[name][1]:5.2f}x"
        )
    slowest_c = min(c, key=lambda name: c[name][1])
    worst = max(ratios, key=lambda name: ratios[name][1])
    over = sum(1 for wall, cpu in ratios.values() if cpu > 1.5)
    print(
        f"slowest C    : {slowest_c} {c[slowest_c][0]:,.0f} rows/s, {c[slowest_c][1]:,.0f} per CPU s"
        " (target >= 1,000,000)"
    )
    print(
        f"slowest pure : {worst} {ratios[worst][1]:.2f}x its common case by CPU time"
        f" ({ratios[worst][0]:.2f}x by the clock); {over} of {len(ratios)} shapes over 1.5x (target: none)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", type=Path, default=None, help="where to cache the generated file")
    parser.add_argument("--stages", action="store_true", help="per-stage breakdown")
    parser.add_argument("--profile", action="store_true", help="cProfile one run")
    parser.add_argument("--shape-rows", type=int, default=200_000, help="rows per shape file (0: skip)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-shapes", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = (
        args.path
        or Path(tempfile.gettempdir()) / "ledgerport-bench" / f"sie-{args.rows}-v{GENERATOR_VERSION}.se"
    )
    if args.child:
        print(json.dumps(measure(path, args.runs)))
        return 0
    if args.child_shapes:
        print(json.dumps(measure_shapes(args.shape_rows, args.runs)))
        return 0
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        with SieReader.open(path) as reader:
            for _ in reader.vouchers():
                pass
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)
        return 0
    if args.stages:
        stages(path)
        return 0
    child = [
        sys.executable,
        __file__,
        "--child",
        "--rows",
        str(args.rows),
        "--runs",
        str(args.runs),
        "--path",
        str(path),
    ]
    result = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
    print(f"file       : {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"rows       : {result['rows']}")
    print(f"seconds    : {result['seconds']:.3f} (median of {args.runs})")
    print(f"rows/s     : {result['rows_per_s']:,.0f}")
    print(f"peak RSS   : {result['peak_rss_mb']:.1f} MB")
    if args.shape_rows:
        shapes_table(args.shape_rows, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
