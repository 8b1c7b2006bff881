"""The SIE import: atomic, refuses other companies' files, asks before replacing, names broken lines."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest

from ledgerport.ledger import loaders, services
from ledgerport.ledger.errors import BrokenFile, ImportRefused, ReplaceNeeded
from ledgerport.ledger.models import Account, Balance, FiscalYear, Voucher, VoucherRow
from ledgerport.tenancy.models import Company
from tests.ledger.conftest import SIE_DIR, VISMA, declared_balances


def import_visma(company, **kwargs):
    with VISMA.open("rb") as stream:
        return services.ledger_import_sie(company=company, stream=stream, file_name=VISMA.name, **kwargs)


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (FiscalYear, Account, Voucher, VoucherRow, Balance)
    }


def test_the_sample_file_becomes_the_ledger_of_its_years(visma_company):
    result = import_visma(visma_company)
    assert (result.vouchers, result.rows) == (295, 1330)
    current = FiscalYear.objects.get(company=visma_company, start="2021-01-01")
    previous = FiscalYear.objects.get(company=visma_company, start="2020-01-01")
    assert (current.source, current.full_ledger, current.voucher_count, current.row_count) == (
        "sie",
        True,
        295,
        1330,
    )
    assert (previous.source, previous.full_ledger, previous.voucher_count) == ("sie", False, 0)
    assert current.file_sha256 == hashlib.sha256(VISMA.read_bytes()).hexdigest()
    assert current.file_name == VISMA.name
    assert current.imported_at is not None
    assert any(w["line"] == 7 for w in current.warnings)  # the reader's encoding warning, with its line
    # Every voucher balances, and rows keep amounts exactly.
    assert VoucherRow.objects.filter(fiscal_year=current).values_list("amount", flat=True).count() == 1330
    first = Voucher.objects.filter(fiscal_year=current).order_by("id").first()
    assert (first.series, first.number, str(first.date), first.source_line) == (
        "A",
        "1",
        "2021-01-05",
        first.source_line,
    )
    amounts = sorted(first.rows.values_list("amount", flat=True))
    assert amounts == [Decimal("-195.00"), Decimal("20.88"), Decimal("174.12")]
    # Balances of both years, mapped by #RAR index.
    assert Balance.objects.filter(fiscal_year=current, kind="UB").count() == len(
        declared_balances(VISMA, "UB", 0)
    )
    assert Balance.objects.filter(fiscal_year=previous, kind="UB").count() == len(
        declared_balances(VISMA, "UB", -1)
    )


def test_a_file_of_another_company_is_refused_and_nothing_is_written(world):
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        import_visma(world.a1)  # a1 is 556036-0793; the file says 555555-5555
    assert "555555-5555" in refused.value.message
    assert "Nothing was imported" in refused.value.message or "Ingenting" in refused.value.message
    assert snapshot() == before


def test_a_year_with_a_ledger_is_replaced_only_when_confirmed(visma_company):
    import_visma(visma_company)
    before = snapshot()
    with pytest.raises(ReplaceNeeded) as asked:
        import_visma(visma_company)
    assert asked.value.message == (
        "Räkenskapsåret 2021-01-01 – 2021-12-31 har redan en huvudbok (källa: SIE-fil). Vill du ersätta den?"
    )
    assert snapshot() == before
    result = import_visma(visma_company, replace=True)
    assert result.vouchers == 295
    assert Voucher.objects.filter(fiscal_year__company=visma_company).count() == 295  # replaced, not doubled
    assert VoucherRow.objects.filter(fiscal_year__company=visma_company).count() == 1330


def test_a_provider_sync_replaces_its_own_ledger_but_asks_before_replacing_an_upload(visma_company):
    import_visma(visma_company, source="fortnox")
    import_visma(visma_company, source="fortnox", replace_sources={"fortnox"})  # its own: no question
    assert FiscalYear.objects.get(company=visma_company, start="2021-01-01").source == "fortnox"
    import_visma(visma_company, replace=True)  # an uploaded file takes over
    with pytest.raises(ReplaceNeeded, match="källa: SIE-fil"):
        import_visma(visma_company, source="fortnox", replace_sources={"fortnox"})


@pytest.mark.parametrize("with_existing_ledger", [False, True])
def test_a_failure_mid_import_leaves_nothing_behind(visma_company, monkeypatch, with_existing_ledger):
    if with_existing_ledger:
        import_visma(visma_company)
    before = snapshot()
    calls = {"n": 0}
    for loader in (loaders.OrmLoader, loaders.CopyLoader):
        original = loader.write
        monkeypatch.setattr(loader, "batch_vouchers", 40)

        def failing(self, batch, original=original):
            calls["n"] += 1
            if calls["n"] == 3:  # after two batches are in the database
                raise RuntimeError("disk full")
            return original(self, batch)

        monkeypatch.setattr(loader, "write", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_visma(visma_company, replace=True)
    assert calls["n"] == 3
    assert snapshot() == before


def broken_copy(tmp_path, line_number: int, replacement: str):
    lines = VISMA.read_bytes().split(b"\n")
    lines[line_number - 1] = replacement.encode("cp437")
    path = tmp_path / "broken.se"
    path.write_bytes(b"\n".join(lines))
    return path


def test_a_broken_file_names_the_line_and_leaves_the_ledger_untouched(visma_company, tmp_path):
    import_visma(visma_company)
    before = snapshot()
    text = VISMA.read_bytes().split(b"\n")
    # A #TRANS deep in the vouchers, so earlier batches were already written.
    line = max(i for i, raw in enumerate(text, start=1) if raw.strip().startswith(b"#TRANS")) - 3
    path = broken_copy(tmp_path, line, "   #TRANS 1910 {} 12,50")
    with path.open("rb") as stream, pytest.raises(BrokenFile) as error:
        services.ledger_import_sie(company=visma_company, stream=stream, replace=True)
    assert error.value.line == line
    assert error.value.message.startswith(f"Rad {line}: ogiltigt belopp")
    assert snapshot() == before


def test_more_than_two_decimals_is_refused(visma_company, tmp_path):
    text = VISMA.read_bytes().split(b"\n")
    line = next(i for i, raw in enumerate(text, start=1) if raw.strip().startswith(b"#TRANS"))
    path = broken_copy(tmp_path, line, "   #TRANS 1910 {} -195.001")
    with path.open("rb") as stream, pytest.raises(BrokenFile, match="fler än två decimaler"):
        services.ledger_import_sie(company=visma_company, stream=stream)
    assert not FiscalYear.objects.filter(company=visma_company).exists()


def test_a_file_without_a_dated_current_year_is_refused(world):
    company = Company.objects.create(firm=world.firm_a, name="Kassa AB", orgnr="5555555555")
    path = SIE_DIR / "es-kassasystem-7_typ4I_Transaktioner-per-Z-rapport.se"
    with path.open("rb") as stream, pytest.raises(ImportRefused, match="RAR 0"):
        services.ledger_import_sie(company=company, stream=stream)


def test_a_voucher_outside_the_files_years_is_refused(visma_company, tmp_path):
    text = VISMA.read_bytes().split(b"\n")
    line = next(i for i, raw in enumerate(text, start=1) if raw.startswith(b"#VER"))
    path = broken_copy(tmp_path, line, "#VER A 1 20190105 Kaffebröd 20210310")
    with path.open("rb") as stream, pytest.raises(BrokenFile) as error:
        services.ledger_import_sie(company=visma_company, stream=stream)
    assert error.value.line == line
    assert "2019-01-05" in error.value.message


def test_an_earlier_year_with_its_own_ledger_is_left_unchanged(visma_company):
    fiscal_year = FiscalYear.objects.create(
        company=visma_company,
        start="2020-01-01",
        end="2020-12-31",
        source="fortnox",
        full_ledger=True,
        voucher_count=7,
    )
    result = import_visma(visma_company)
    fiscal_year.refresh_from_db()
    assert (fiscal_year.source, fiscal_year.voucher_count) == ("fortnox", 7)
    assert [str(y) for y in result.years] == ["2021-01-01 – 2021-12-31"]
    assert any("lämnades orört" in w["message"] or "left unchanged" in w["message"] for w in result.warnings)


def _sample_files():
    return sorted(p for p in SIE_DIR.iterdir() if p.suffix.lower() in {".se", ".si", ".sie"})


@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: p.name)
def test_every_sample_file_imports_or_is_refused_cleanly(world, path):
    """Real files from many programs: each imports, or is refused with a message (never a crash)."""
    from ledgerport.sie import read

    document = read(path)
    digits = "".join(ch for ch in document.header.orgnr or "" if ch.isdigit()) or "0000000000"
    company = Company.objects.create(firm=world.firm_a, name="Prov AB", orgnr=digits)
    try:
        with path.open("rb") as stream:
            result = services.ledger_import_sie(company=company, stream=stream)
    except ImportRefused as refused:
        assert refused.message
        assert not FiscalYear.objects.filter(company=company).exists()
        return
    assert result.vouchers == len(document.vouchers)
    assert result.rows == sum(len(v.rows) for v in document.vouchers)


def test_progress_is_reported_while_importing(visma_company, monkeypatch):
    monkeypatch.setattr(loaders.OrmLoader, "batch_vouchers", 50)
    monkeypatch.setattr(loaders.CopyLoader, "batch_vouchers", 50)
    seen = []
    import_visma(visma_company, progress=lambda b, v, r: seen.append((b, v, r)))
    assert len(seen) >= 5
    assert seen[-1][1:] == (295, 1330)
    assert [v for _b, v, _r in seen] == sorted(v for _b, v, _r in seen)


def test_a_byte_stream_imports_like_a_file(visma_company):
    result = services.ledger_import_sie(
        company=visma_company, stream=io.BytesIO(VISMA.read_bytes()), source="fortnox", file_name="fortnox.se"
    )
    assert result.vouchers == 295
    assert Voucher.objects.filter(fiscal_year__company=visma_company, source="fortnox").count() == 295
