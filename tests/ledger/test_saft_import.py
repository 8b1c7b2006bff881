"""SAF-T Financial files into the ledger: the examples' totals are the file's control totals, the VAT
codes are kept, broken files are refused naming line and element with nothing stored, and two
imports at once leave one ledger."""

from __future__ import annotations

import io
import re
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.models import Sum

from ledgerport import cli
from ledgerport.ledger.errors import ImportRefused, ReplaceNeeded
from ledgerport.ledger.models import (
    Account,
    Balance,
    FiscalYear,
    LedgerImport,
    LedgerObject,
    PeriodSum,
    VatCode,
    Voucher,
    VoucherRow,
)
from ledgerport.ledger.saft_import import import_saft
from ledgerport.tenancy.services import company_create
from tests.saft.saft_files import Variant, build, write
from tests.saft.test_reader import SKATTEETATEN, XMLSPY

pytestmark = pytest.mark.django_db


def _norwegian(world, orgnr: str, name: str = "Testselskap AS", start_month: int = 1):
    return company_create(
        firm=world.firm_a, name=name, orgnr=orgnr, country="NO", fiscal_year_start_month=start_month
    )


@pytest.fixture
def fjordlys(world):
    return _norwegian(world, "923609016", "Fjordlys Rådgivning AS")


def _import(company, data: bytes, **options):
    return import_saft(company=company, stream=io.BytesIO(data), file_name="saft.xml", **options)


def _stated(text: str, name: str) -> Decimal:
    return Decimal(re.search(rf"<n1:{name}>([^<]+)<", text).group(1))


def _nothing_stored(company) -> bool:
    return (
        not any(
            model.objects.filter(fiscal_year__company=company).exists()
            for model in (Voucher, VoucherRow, Account, VatCode, Balance, PeriodSum)
        )
        and not FiscalYear.all_objects.filter(company=company).exists()
    )


@pytest.mark.parametrize("path", SKATTEETATEN, ids=lambda p: p.name)
def test_skatteetatens_examples_import_and_match_their_control_totals(world, path):
    text = path.read_text(encoding="utf-8-sig")
    company = _norwegian(world, path.name.split("_")[3])
    result = _import(company, path.read_bytes())
    year = FiscalYear.objects.get(company=company)
    rows = VoucherRow.objects.filter(fiscal_year=year)
    assert result.vouchers == year.voucher_count == _stated(text, "NumberOfEntries")
    assert year.row_count == rows.count() == text.count("<n1:Line>")
    assert rows.filter(amount__gt=0).aggregate(s=Sum("amount"))["s"] == _stated(text, "TotalDebit")
    assert -rows.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"] == _stated(text, "TotalCredit")
    sums = PeriodSum.objects.filter(fiscal_year=year, dimension="", object="").aggregate(
        d=Sum("debit"), c=Sum("credit")
    )
    assert (sums["d"], -sums["c"]) == (_stated(text, "TotalDebit"), _stated(text, "TotalCredit"))
    # The VAT codes: every line's own code, and the tax table's meaning of each.
    assert rows.exclude(vat_code="").count() == text.count("<n1:TaxInformation>")
    codes = set(re.findall(r"<n1:TaxCodeDetails>\s*<n1:TaxCode>([^<]+)<", text))
    assert set(VatCode.objects.filter(fiscal_year=year).values_list("code", flat=True)) == codes
    assert (year.source, year.full_ledger, year.file_name) == ("saft", True, "saft.xml")


def test_the_888888888_example_in_the_ledger(world):
    path = next(p for p in SKATTEETATEN if "888888888" in p.name)
    company = _norwegian(world, "888888888", "Tøyen Lekefabrikk AS")
    _import(company, path.read_bytes())
    year = FiscalYear.objects.get(company=company)
    assert (str(year.start), str(year.end)) == ("2017-01-01", "2017-12-31")  # January–April fill 2017
    voucher = Voucher.objects.get(fiscal_year=year, series="123ABC", number="1001")
    assert (str(voucher.date), voucher.text) == ("2017-01-04", "Faktura 1155 - Stoff til kosebamser")
    rows = list(
        voucher.rows.order_by("position").values_list("account__number", "amount", "vat_code", "object_refs")
    )
    assert rows == [
        ("4000", Decimal(10000), "1", [["A", "102"], ["P", "202"]]),
        ("2400", Decimal(-12500), "", None),
        ("2710", Decimal(2500), "", None),
    ]
    code = VatCode.objects.get(fiscal_year=year, code="1R")
    assert (code.standard_code, code.percentage) == ("11", Decimal(15))
    assert VatCode.objects.get(fiscal_year=year, code="1").base_rates == ["100", "70"]
    assert VatCode.objects.get(fiscal_year=year, code="3").percentage == 15  # 14 % expired in 2007
    opening = Balance.objects.get(fiscal_year=year, kind="IB", account__number="1250")
    assert opening.amount == Decimal(132500)
    assert LedgerObject.objects.filter(fiscal_year=year, dimension__number="A").count() >= 3
    assert Account.objects.get(fiscal_year=year, number="1250").type == "T"


def test_the_xmlspy_placeholder_is_refused_naming_line_and_element(world):
    company = _norwegian(world, "923609016")
    with pytest.raises(ImportRefused) as refused:
        _import(company, XMLSPY.read_bytes())
    assert "3" in refused.value.message and "<AuditFile>" in refused.value.message
    assert _nothing_stored(company)


VARIANTS = {
    "1.30": Variant(),
    "1.30 three journals, by dates, default namespace": Variant(
        journals=("GL", "AR", "AP"), by_dates=True, prefix=""
    ),
    "1.30 first year": Variant(opening=False),
    "1.20 without customers": Variant(version="1.20", parties=False),
    "1.10 some months": Variant(version="1.10", months=(3, 5)),
}


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_files_of_norwegian_programs_import(fjordlys, variant):
    result = _import(fjordlys, build(variant))
    year = FiscalYear.objects.get(company=fjordlys)
    assert (str(year.start), str(year.end)) == ("2025-01-01", "2025-12-31")
    assert result.vouchers == variant.transactions and result.rows == 3 * variant.transactions
    assert set(Voucher.objects.filter(fiscal_year=year).values_list("series", flat=True)) == set(
        variant.journals
    )
    rows = VoucherRow.objects.filter(fiscal_year=year)
    assert rows.aggregate(s=Sum("amount"))["s"] == 0
    assert set(rows.exclude(vat_code="").values_list("vat_code", flat=True)) == {"1", "3"}
    assert Account.objects.get(fiscal_year=year, number="3000").type == "I"
    has_opening = Balance.objects.filter(fiscal_year=year, kind="IB").exists()
    assert has_opening == variant.opening


def test_a_deviating_fiscal_year_is_the_companys(world):
    company = _norwegian(world, "923609016", start_month=7)
    _import(company, build(Variant(months=(3, 5))))
    year = FiscalYear.objects.get(company=company)
    assert (str(year.start), str(year.end)) == ("2024-07-01", "2025-06-30")


BROKEN = {
    "not XML": (b"#FLAGGA 0\n#SIETYP 4\n", "1"),
    "another namespace": (
        build(Variant(replace=[("Taxation-Financial:NO", "Taxation-Financial:PT")])),
        "<AuditFile>",
    ),
    "a missing element": (
        build(Variant(replace=[("<n1:TransactionDate>2025-02-02</n1:TransactionDate>", "")])),
        "<Description>",
    ),
    "debit is not credit": (
        build(Variant(replace=[("<n1:Amount>1250.00<", "<n1:Amount>1250.10<")])),
        "<Transaction>",
    ),
    "the totals do not match": (
        build(Variant(replace=[("<n1:TotalCredit>10068.93", "<n1:TotalCredit>10068.92")])),
        "<TotalCredit>",
    ),
    "the number of entries": (
        build(Variant(replace=[("<n1:NumberOfEntries>6", "<n1:NumberOfEntries>60")])),
        "<NumberOfEntries>",
    ),
    # Dated and posted in the next year (posted in the year alone would do: GLPostingDate).
    "a voucher outside the year": (
        build(Variant(replace=[(">2025-02-02<", ">2026-02-02<")] * 3)),
        "<TransactionDate>",
    ),
}


@pytest.mark.parametrize(("data", "named"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_files_are_refused_naming_line_and_element_with_nothing_stored(fjordlys, data, named):
    with pytest.raises(ImportRefused) as refused:
        _import(fjordlys, data)
    message = refused.value.message
    assert named in message
    assert re.search(r"\b\d+\b", message)  # the line
    assert refused.value.line > 0
    assert _nothing_stored(fjordlys)


def test_a_voucher_posted_in_the_year_is_dated_by_its_posting(fjordlys):
    _import(fjordlys, build(Variant(replace=[(">2025-02-02<", ">2024-12-30<")])))  # the document's date
    assert str(Voucher.objects.get(number="1001").date) == "2025-02-02"


def test_a_broken_file_leaves_the_existing_ledger_as_it_was(fjordlys):
    _import(fjordlys, build(Variant()))
    before = list(VoucherRow.objects.values_list("voucher__number", "amount", "vat_code"))
    with pytest.raises(ImportRefused):
        _import(fjordlys, BROKEN["the totals do not match"][0], replace=True)
    assert list(VoucherRow.objects.values_list("voucher__number", "amount", "vat_code")) == before
    assert FiscalYear.objects.get(company=fjordlys).voucher_count == 6


def test_a_year_with_a_ledger_is_replaced_only_when_confirmed(fjordlys):
    _import(fjordlys, build(Variant()))
    with pytest.raises(ReplaceNeeded):
        _import(fjordlys, build(Variant(transactions=4)))
    _import(fjordlys, build(Variant(transactions=4)), replace=True)
    year = FiscalYear.objects.get(company=fjordlys)
    assert Voucher.objects.filter(fiscal_year=year).count() == year.voucher_count == 4
    assert VatCode.objects.filter(fiscal_year=year).count() == 2  # not four: the old ones went


def test_another_companys_file_is_refused(world):
    company = _norwegian(world, "888888888")
    with pytest.raises(ImportRefused, match="923"):
        _import(company, build(Variant()))
    assert _nothing_stored(company)


def test_the_command_imports_and_asks_before_replacing(fjordlys, tmp_path, monkeypatch):
    path = write(tmp_path / "SAF-T Financial_923609016_2025.xml", Variant())
    out = io.StringIO()
    call_command("saft_import", "923 609 016", str(path), stdout=out)
    assert "6" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("saft_import", "923609016", str(path))
    assert "--replace" in str(refused.value)
    monkeypatch.setattr(connections, "close_all", lambda: None)  # as the SIE command's test
    assert cli.main(["saft", "import", "923609016", str(path), "--replace"]) == 0
    job = LedgerImport.objects.filter(company=fjordlys).order_by("-pk").first()
    assert (job.status, job.source, job.vouchers_done) == ("succeeded", "saft", 6)
    assert Voucher.objects.filter(fiscal_year__company=fjordlys).count() == 6


def test_the_command_says_what_is_wrong(fjordlys, tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(BROKEN["the totals do not match"][0])
    with pytest.raises(CommandError, match="<TotalCredit>"):
        call_command("saft_import", "923609016", str(path))
    assert _nothing_stored(fjordlys)


def _at_once(company, data, errors, replace):
    try:
        _import(company, data, replace=replace)
    except Exception as exc:  # reported to the test
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("replace", [False, True])
def test_two_imports_at_once_leave_one_ledger(world, replace):
    company = _norwegian(world, "923609016")
    data = build(Variant(transactions=1500))
    errors: list[Exception] = []
    threads = [threading.Thread(target=_at_once, args=(company, data, errors, replace)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [type(e) for e in errors] == ([] if replace else [ReplaceNeeded])
    year = FiscalYear.objects.get(company=company)
    assert Voucher.objects.filter(fiscal_year__company=company).count() == year.voucher_count == 1500
    assert VoucherRow.objects.filter(fiscal_year=year).count() == 4500
    assert Account.objects.filter(fiscal_year=year, number="1500").count() == 1


def test_clearing_a_year_takes_its_vat_codes_too(fjordlys):
    """A SIE import replacing a SAF-T year clears it with `importer.clear`: no VAT code is left."""
    from ledgerport.ledger.importer import clear

    _import(fjordlys, build(Variant()))
    year = FiscalYear.objects.get(company=fjordlys)
    clear(year)
    assert not VatCode.objects.filter(fiscal_year=year).exists()
    assert not VoucherRow.objects.filter(fiscal_year=year).exists()


def test_a_year_overlapping_the_files_is_refused(fjordlys):
    FiscalYear.objects.create(company=fjordlys, start="2024-07-01", end="2025-06-30")
    with pytest.raises(ImportRefused, match="2024-07-01"):
        _import(fjordlys, build(Variant()))
    assert not Voucher.objects.filter(fiscal_year__company=fjordlys).exists()


@pytest.mark.parametrize(
    "variant", [Variant(), Variant(version="1.20", opening=False)], ids=["opening", "first year"]
)
def test_the_ledgers_figures_are_the_files_balances(fjordlys, variant):
    """What the statements read (opening + the months' movements) is the closing the file states."""
    from ledgerport.ledger.selectors import year_figures
    from ledgerport.saft import SaftReader

    data = build(variant)
    _import(fjordlys, data)
    figures = year_figures(FiscalYear.objects.get(company=fjordlys))
    reader = SaftReader(io.BytesIO(data))
    reader.read_all()
    for number, opening, closing in reader.balances():
        computed = figures.opening.get(number, 0) + sum(figures.movements.get(number, {}).values())
        assert (figures.opening.get(number, 0), computed) == (opening, closing), number
        assert figures.declared_closing[number] == closing
