"""`ledgerport payments summary PATH --json`: the operators' view of a payment file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ledgerport import cli

FILES = Path(__file__).with_name("files")
LEDGERPORT = Path(sys.executable).with_name("ledgerport")


def test_summary_json_has_exactly_the_operators_shape(capsys):
    assert cli.main(["payments", "summary", str(FILES / "realistic.xml"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {"control_sum", "number_of_transactions", "payments"}
    assert summary["control_sum"] == "93013.15"
    assert summary["number_of_transactions"] == len(summary["payments"]) == 8
    assert summary["payments"][0] == {
        "creditor": "Skatteverket",
        "account": "5050-1055",
        "reference": "1655603607938",
        "date": "2026-03-12",
        "amount": "48215.00",
    }
    assert all(set(p) == {"creditor", "account", "reference", "date", "amount"} for p in summary["payments"])
    assert sum(float(p["amount"]) * 100 for p in summary["payments"]) == 9301315


def test_summary_text(capsys):
    assert cli.main(["payments", "summary", str(FILES / "realistic.xml")]) == 0
    out = capsys.readouterr().out
    assert "8 payments, 93013.15" in out and "Hyresvärden i Umeå AB  6000 123456789" in out


def test_a_refused_file_exits_non_zero_with_the_element_on_stderr_and_no_traceback():
    result = subprocess.run(
        [str(LEDGERPORT), "payments", "summary", str(FILES / "bad-bankgiro.xml"), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "PmtInf[1]/CdtTrfTxInf[2]/CdtrAcct/Id/Othr/Id (line" in result.stderr
    assert "wrong check digit" in result.stderr and "Traceback" not in result.stderr


def test_every_malformed_file_is_refused(capsys, tmp_path):
    for path in sorted(FILES.glob("bad-*.xml")):
        assert cli.main(["payments", "summary", str(path), "--json"]) == 1, path
        captured = capsys.readouterr()
        assert captured.out == "" and "refused" in captured.err and "/Document" in captured.err
    assert cli.main(["payments", "summary", str(tmp_path / "missing.xml")]) == 1
    assert "No such file" in capsys.readouterr().err


def test_summary_of_an_lb_file(capsys, tmp_path):
    from .lb_builder import realistic_lb

    path = tmp_path / "lb.txt"
    path.write_bytes(realistic_lb())
    assert cli.main(["payments", "summary", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["control_sum"], summary["number_of_transactions"]) == ("71964.50", 3)
    assert summary["payments"][2]["account"] == "5000 1234560"
