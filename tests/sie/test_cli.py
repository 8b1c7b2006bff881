"""`ledgerport sie` command line: called through main(argv), output parsed from capsys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledgerport.sie import read
from ledgerport.sie.cli import main

SIE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sie"
EXEMPEL = SIE_DIR / "visma-administration-2000_typ4_SIE4-Exempelfil.SE"
pytestmark = pytest.mark.skipif(not SIE_DIR.is_dir(), reason="shared/data/sie not present")


def test_inspect_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(EXEMPEL), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == [
        "program", "sie_type", "encoding", "company_name", "orgnr", "fiscal_years", "accounts",
        "vouchers", "rows", "unbalanced_vouchers", "checksum", "warnings", "errors",
    ]  # fmt: skip
    assert out["program"] == {"name": "Visma Administration 2000 med Visma Integration", "version": "2022.2"}
    assert out["sie_type"] == "4E"
    assert out["encoding"] == "cp437"
    assert out["company_name"] == "Övningsbolaget AB"
    assert out["orgnr"] == "555555-5555"
    assert out["fiscal_years"] == [
        {"index": 0, "start": "2021-01-01", "end": "2021-12-31"},
        {"index": -1, "start": "2020-01-01", "end": "2020-12-31"},
    ]
    # grep -c '^#KONTO' = 530, '^\s*#VER' = 295, '^\s*#TRANS' = 1330
    assert (out["accounts"], out["vouchers"], out["rows"], out["unbalanced_vouchers"]) == (530, 295, 1330, 0)
    assert out["checksum"] == "absent"
    assert out["errors"] == []
    assert out["warnings"][0]["line"] == 7


def test_inspect_checksum_and_rar_without_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(SIE_DIR / "visma-compact-6.00_typ1_ksumma_Sie1.se"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["checksum"] == "ok"
    assert main(["inspect", str(SIE_DIR / "bl-administration-2011_typ4I_BL0001_typ4I.SI"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fiscal_years"] == [{"index": 0, "start": None, "end": None}]
    assert out["sie_type"] == "4I"


def test_inspect_swedish_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(EXEMPEL)]) == 0
    out = capsys.readouterr().out
    assert "Företag: Övningsbolaget AB" in out
    assert "Räkenskapsår 0: 2021-01-01 – 2021-12-31" in out
    assert "Verifikationer: 295" in out
    assert "Kontrollsumma: saknas" in out


def test_inspect_errors_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.se"
    bad.write_bytes(b"#FLAGGA 0\n#FORMAT PC8\n#VER A 1 2024\n{\n#TRANS 1930 {} x\n#TRANS 1930 {} y\n}\n")
    assert main(["inspect", str(bad), "--json"]) == 1
    assert [e["line"] for e in json.loads(capsys.readouterr().out)["errors"]] == [3, 5, 6]
    assert main(["inspect", str(bad), "--json", "--strict"]) == 1
    assert [e["line"] for e in json.loads(capsys.readouterr().out)["errors"]] == [3]


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(tmp_path / "missing.se")]) == 2
    assert "missing.se" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate"])
    assert raised.value.code == 2


def test_balances(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["balances", str(EXEMPEL), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["year"] == 0
    bank = out["accounts"]["1930"]
    assert set(bank) == {"opening", "movement", "closing", "declared_closing"}
    assert bank["closing"] == bank["declared_closing"]
    assert all(len(v.split(".")[1]) == 2 for v in bank.values())
    # a result account: no #IB, closing = movement = #RES
    sales = out["accounts"]["3041"]
    assert sales["opening"] == "0.00"
    assert sales["closing"] == sales["declared_closing"] == sales["movement"]


def test_balances_previous_year_has_no_vouchers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["balances", str(EXEMPEL), "--year", "-1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["year"] == -1
    assert all(v["movement"] == "0.00" for v in out["accounts"].values())


def test_write_normalises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = SIE_DIR / "avendo-5.10_typ4_sie4.SE"
    target = tmp_path / "out.se"
    assert main(["write", str(source), "-o", str(target), "--checksum"]) == 0
    data = target.read_bytes()
    assert data.startswith(b"#FLAGGA 0\r\n#KSUMMA\r\n")
    assert b"#FORMAT PC8\r\n" in data
    again = read(target)
    assert again.checksum == "ok"
    assert again == read(source)
