"""`ledgerport sie inspect|balances|write` - pure, no Django. (`import` lives with the Django app.)"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .balances import BalanceCalculator
from .model import Problem
from .problems import SieError
from .reader import SieReader, read
from .writer import write

_CHECKSUM_SV = {"ok": "ok", "absent": "saknas", "mismatch": "stämmer inte"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ledgerport sie", description="Read, check and rewrite SIE files.")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="summary of a SIE file")
    inspect.add_argument("path", type=Path)
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    inspect.add_argument("--strict", action="store_true", help="stop at the first error")
    balances = commands.add_parser("balances", help="opening, movement and closing per account")
    balances.add_argument("path", type=Path)
    balances.add_argument(
        "--year", type=int, default=0, help="fiscal year index (0 = current, -1 = previous)"
    )
    balances.add_argument("--json", action="store_true", help="machine-readable output")
    writer = commands.add_parser("write", help="re-emit a file as canonical SIE 4 (CP437, CRLF)")
    writer.add_argument("path", type=Path)
    writer.add_argument("-o", "--output", type=Path, required=True)
    writer.add_argument("--checksum", action="store_true", help="add #KSUMMA")
    return parser


def _problems(problems: Sequence[Problem], severity: str) -> list[dict[str, int | str]]:
    return [p.as_dict() for p in problems if p.severity == severity]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _inspect(path: Path, *, as_json: bool, strict: bool) -> int:
    with SieReader.open(path, strict=strict) as reader:
        try:
            for _ in reader.vouchers():
                pass
        except SieError:
            pass  # strict mode: the error is already in reader.problems
        header = reader.header
        program = header.program
        summary: dict[str, Any] = {
            "program": {
                "name": program.name if program else None,
                "version": program.version if program else None,
            },
            "sie_type": header.sie_type,
            "encoding": reader.encoding,
            "company_name": header.company_name,
            "orgnr": header.orgnr,
            "fiscal_years": [
                {
                    "index": year.index,
                    "start": year.start.isoformat() if year.start else None,
                    "end": year.end.isoformat() if year.end else None,
                }
                for year in sorted(header.fiscal_years.values(), key=lambda y: -y.index)
            ],
            "accounts": len(header.accounts),
            "vouchers": reader.stats.vouchers,
            "rows": reader.stats.rows,
            "unbalanced_vouchers": reader.stats.unbalanced,
            "checksum": reader.checksum,
            "warnings": _problems(reader.problems, "warning"),
            "errors": _problems(reader.problems, "error"),
        }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(_swedish(summary))
    return 1 if summary["errors"] else 0


def _swedish(summary: dict[str, Any]) -> str:
    program = summary["program"]
    lines = [
        f"Program: {program['name'] or '–'} {program['version'] or ''}".rstrip(),
        f"SIE-typ: {summary['sie_type']}",
        f"Teckenkodning: {summary['encoding']}",
        f"Företag: {summary['company_name'] or '–'}",
        f"Organisationsnummer: {summary['orgnr'] or '–'}",
    ]
    for year in summary["fiscal_years"]:
        lines.append(f"Räkenskapsår {year['index']}: {year['start'] or '?'} – {year['end'] or '?'}")
    lines += [
        f"Konton: {summary['accounts']}",
        f"Verifikationer: {summary['vouchers']}",
        f"Rader: {summary['rows']}",
        f"Obalanserade verifikationer: {summary['unbalanced_vouchers']}",
        f"Kontrollsumma: {_CHECKSUM_SV[summary['checksum']]}",
        f"Varningar: {len(summary['warnings'])}",
    ]
    lines += [f"  rad {p['line']}: {p['message']}" for p in summary["warnings"]]
    lines.append(f"Fel: {len(summary['errors'])}")
    lines += [f"  rad {p['line']}: {p['message']}" for p in summary["errors"]]
    return "\n".join(lines)


def _balances(path: Path, *, year: int, as_json: bool) -> int:
    with SieReader.open(path) as reader:
        calculator = BalanceCalculator(reader.header, year)
        calculator.add_all(reader.vouchers())
        result = calculator.result()
        has_errors = reader.has_errors
    accounts = {
        number: {
            "opening": _money(b.opening),
            "movement": _money(b.movement),
            "closing": _money(b.closing),
            "declared_closing": _money(b.declared_closing),
        }
        for number, b in result.items()
    }
    if as_json:
        print(json.dumps({"year": year, "accounts": accounts}, indent=2))
    else:
        print(f"Räkenskapsår {year}")
        print(f"{'Konto':<8}{'IB':>16}{'Förändring':>16}{'UB':>16}{'UB enligt filen':>18}")
        for number, values in accounts.items():
            declared = values["declared_closing"] or "–"
            print(
                f"{number:<8}{values['opening']:>16}{values['movement']:>16}{values['closing']:>16}{declared:>18}"
            )
    return 1 if has_errors else 0


def _write(path: Path, output: Path, *, checksum: bool) -> int:
    document = read(path)
    warnings = write(document, output, checksum=checksum)
    for problem in [*document.problems, *warnings]:
        where = f"rad {problem.line}: " if problem.line else ""
        print(f"{problem.severity}: {where}{problem.message}", file=sys.stderr)
    return 1 if document.errors else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path: Path = args.path
    if not path.is_file():
        print(f"ledgerport sie: {path}: filen finns inte", file=sys.stderr)
        return 2
    try:
        if args.command == "inspect":
            return _inspect(path, as_json=args.json, strict=args.strict)
        if args.command == "balances":
            return _balances(path, year=args.year, as_json=args.json)
        return _write(path, args.output, checksum=args.checksum)
    except OSError as exc:
        print(f"ledgerport sie: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
