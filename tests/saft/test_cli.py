"""`ledgerport saft inspect PATH --json`: exactly the agreed keys, amounts as decimal strings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal

from ledgerport.saft.cli import main
from tests.saft.saft_files import Variant, movements, write
from tests.saft.test_reader import SKATTEETATEN, XMLSPY

KEYS = [
    "orgnr",
    "name",
    "period_start",
    "period_end",
    "accounts",
    "transactions",
    "lines",
    "total_debit",
    "total_credit",
    "balances",
]


def _inspect(capsys, path) -> tuple[int, dict, str]:
    code = main(["inspect", str(path), "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def test_inspect_a_skatteetaten_example(capsys):
    path = next(p for p in SKATTEETATEN if "888888888" in p.name)
    text = path.read_text(encoding="utf-8-sig")
    code, result, err = _inspect(capsys, path)
    assert code == 0
    assert list(result) == KEYS
    assert result["orgnr"] == "888888888"
    assert (result["period_start"], result["period_end"]) == ("2017-01-01", "2017-04-30")
    assert result["transactions"] == 53 == text.count("<n1:Transaction>")
    assert result["lines"] == text.count("<n1:Line>")
    assert result["total_debit"] == result["total_credit"] == "9487049.35"
    first = result["balances"][0]
    assert first == {"account": "1250", "opening": "132500.00", "closing": "145500.00"}
    assert "account-balance" not in err  # the message, not the code, is shown
    assert "warning: line" in err  # the example's balances do not add up: said, not hidden


def test_inspect_computes_what_the_file_leaves_out(tmp_path, capsys):
    variant = Variant(opening=False)
    code, result, _err = _inspect(capsys, write(tmp_path / "first-year.xml", variant))
    assert code == 0
    moved = movements(variant)
    for entry in result["balances"]:
        assert Decimal(entry["opening"]) == 0
        assert Decimal(entry["closing"]) == moved.get(entry["account"], 0)
        assert re.fullmatch(r"-?\d+\.\d\d", entry["closing"])


def test_inspect_reports_a_totals_mismatch(tmp_path, capsys):
    path = write(
        tmp_path / "bad.xml", Variant(replace=[("<n1:TotalDebit>10068.93", "<n1:TotalDebit>10068.95")])
    )
    code, result, err = _inspect(capsys, path)
    assert code == 1
    assert result["total_debit"] == "10068.93"  # what the lines add up to
    assert "<TotalDebit>" in err and "10068.95" in err


def test_inspect_refuses_the_placeholder_and_a_missing_file(capsys, tmp_path):
    code, result, err = _inspect(capsys, XMLSPY)
    assert (code, result) == (1, {})
    assert "line 3, <AuditFile>" in err
    assert main(["inspect", str(tmp_path / "none.xml")]) == 2


def test_the_console_command_runs_it_without_django(tmp_path):
    path = write(tmp_path / "ok.xml", Variant())
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ledgerport.cli import main; sys.exit(main())",
            "saft",
            "inspect",
            str(path),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["transactions"] == 6
