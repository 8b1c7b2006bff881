"""`ledgerport saft inspect PATH [--json]` - pure, no Django. (`import` lives with the ledger.)"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import SaftError
from .reader import SaftReader
from .schema import check


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def summary(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The inspect summary and the problems found (warnings and errors). Raises SaftError when
    the file cannot be read at all (not XML, another namespace, against the schema)."""
    checked = check(path)
    reader = SaftReader(path, strict=False)
    header = reader.read_header()
    for _transaction in reader.transactions():
        pass
    start = header.period_start or checked.first_date
    end = header.period_end or checked.last_date
    result = {
        "orgnr": header.orgnr,
        "name": header.name,
        "period_start": start.isoformat() if start else None,
        "period_end": end.isoformat() if end else None,
        "accounts": len(reader.accounts),
        "transactions": reader.transaction_count,
        "lines": reader.line_count,
        "total_debit": _money(reader.debit),
        "total_credit": _money(reader.credit),
        "balances": [
            {"account": number, "opening": _money(opening), "closing": _money(closing)}
            for number, opening, closing in reader.balances()
        ],
    }
    problems = [
        {"severity": severity, "line": line, "element": element, "message": message}
        for line, element, _code, message, _params in checked.warnings
        for severity in ("warning",)
    ]
    problems += [{"severity": p.severity, **p.as_dict()} for p in reader.problems]
    return result, problems


def _text(result: dict[str, Any]) -> str:
    lines = [
        f"Organisasjonsnummer: {result['orgnr']}",
        f"Navn: {result['name']}",
        f"Periode: {result['period_start']} – {result['period_end']}",
        f"Kontoer: {result['accounts']}",
        f"Transaksjoner: {result['transactions']}",
        f"Linjer: {result['lines']}",
        f"Sum debet: {result['total_debit']}",
        f"Sum kredit: {result['total_credit']}",
    ]
    return "\n".join(lines)


def _inspect(path: Path, *, as_json: bool) -> int:
    try:
        result, problems = summary(path)
    except SaftError as exc:
        print(f"ledgerport saft: {path}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2) if as_json else _text(result))
    for problem in problems:
        where = ", ".join(
            part for part in (f"line {problem['line']}" if problem["line"] else "", f"<{problem['element']}>" if problem["element"] else "") if part
        )  # fmt: skip
        print(f"{problem['severity']}: {where}: {problem['message']}", file=sys.stderr)
    return 1 if any(p["severity"] == "error" for p in problems) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ledgerport saft", description="Read and check SAF-T Financial files."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="summary of a SAF-T Financial file")
    inspect.add_argument("path", type=Path)
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    path: Path = args.path
    if not path.is_file():
        print(f"ledgerport saft: {path}: no such file", file=sys.stderr)
        return 2
    try:
        return _inspect(path, as_json=args.json)
    except OSError as exc:
        print(f"ledgerport saft: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
