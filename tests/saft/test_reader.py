"""The SAF-T library on Skatteetaten's examples, on files as Norwegian programs write them, and on
broken files: every refusal names the line and the element."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerport import saft
from tests.saft.saft_files import Variant, build, movements

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "specs" / "no-saft" / "examples"
SKATTEETATEN = sorted(EXAMPLES.glob("ExampleFile_*.xml"))
XMLSPY = EXAMPLES / "Eksempelfil_fra_xmlSpy_v1.30.xml"


def _stated(text: str, name: str) -> str:
    return re.search(rf"<(?:n1:)?{name}>([^<]+)<", text).group(1)


def _read(data: bytes, *, strict: bool = True) -> saft.SaftReader:
    saft.check(io.BytesIO(data))
    reader = saft.SaftReader(io.BytesIO(data), strict=strict)
    reader.read_all()
    return reader


@pytest.mark.parametrize("path", SKATTEETATEN, ids=lambda p: p.name)
def test_skatteetatens_examples_validate_and_add_up_to_their_control_totals(path):
    text = path.read_text(encoding="utf-8-sig")
    checked = saft.check(path)
    assert (checked.declared, checked.schema) == ("1.0", "1.20")
    reader = saft.SaftReader(path)
    transactions = reader.read_all()
    assert len(transactions) == int(_stated(text, "NumberOfEntries")) == reader.totals.entries
    assert reader.debit == Decimal(_stated(text, "TotalDebit")) == reader.totals.debit
    assert reader.credit == Decimal(_stated(text, "TotalCredit")) == reader.totals.credit
    assert reader.line_count == text.count("<n1:Line>")
    assert len(reader.accounts) == text.count("<n1:Account>")
    assert reader.header.orgnr == path.name.split("_")[3]
    assert all(t.debit == t.credit for t in transactions)


def test_the_888888888_example_in_detail():
    path = next(p for p in SKATTEETATEN if "888888888" in p.name)
    reader = saft.SaftReader(path)
    header = reader.read_header()
    assert (header.name, str(header.period_start), str(header.period_end)) == (
        "Tøyen Lekefabrikk AS",
        "2017-01-01",
        "2017-04-30",
    )
    first = next(reader.transactions())
    assert (first.journal, first.id, str(first.date)) == ("123ABC", "1001", "2017-01-04")
    assert [(ln.account, ln.amount, ln.tax_code) for ln in first.lines] == [
        ("4000", Decimal(10000), "1"),
        ("2400", Decimal(-12500), ""),
        ("2710", Decimal(2500), ""),
    ]
    assert first.lines[0].analysis == (("A", "102"), ("P", "202"))
    assert first.lines[0].tax_amount == Decimal(2500)
    code = reader.tax_codes["1R"]
    assert (code.standard_code, code.percentage) == ("11", Decimal(15))
    assert reader.tax_codes["1"].base_rates == (Decimal(100), Decimal(70))
    assert reader.accounts["1250"].opening == Decimal(132500)


def test_the_xmlspy_placeholder_is_refused_for_its_missing_namespace():
    """Its elements are in no namespace and its values are placeholders ("a"): not importable."""
    with pytest.raises(saft.SaftError) as caught:
        saft.check(XMLSPY)
    assert (caught.value.code, caught.value.line, caught.value.element) == ("namespace", 3, "AuditFile")
    assert "no namespace" in str(caught.value)


VARIANTS = {
    "1.30 prefixed, opening balances, customers": Variant(),
    "1.30 default namespace, dates, three journals": Variant(
        prefix="", by_dates=True, journals=("GL", "AR", "AP")
    ),
    "1.30 first year without opening balances": Variant(opening=False),
    "1.20 as Skatteetaten's examples": Variant(version="1.20"),
    "1.10 without customers or suppliers": Variant(version="1.10", parties=False, prefix=""),
    "1.0 some months, one journal per series": Variant(version="1.0", months=(3, 5), journals=("1", "2")),
    "1.3 written short": Variant(version="1.3"),
}


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_files_as_norwegian_programs_write_them(variant):
    reader = _read(build(variant))
    assert reader.problems == []
    assert reader.transaction_count == reader.totals.entries == variant.transactions
    assert reader.debit == reader.credit == reader.totals.debit
    assert [j.id for j in reader.journals] == list(variant.journals)
    assert bool(reader.parties) == variant.parties
    assert reader.header.period_start.month == variant.months[0]
    moved = movements(variant)
    for number, opening, closing in reader.balances():
        assert closing == opening + moved.get(number, 0)
        if not variant.opening:
            assert opening == 0


def test_balances_are_computed_where_the_file_states_none():
    reader = saft.SaftReader(io.BytesIO(build(Variant(version="1.20"))))
    reader.read_master()
    for account in reader.accounts.values():
        account.opening = account.closing = None  # as a lenient reader meets them
    reader.read_all()
    balances = {number: (opening, closing) for number, opening, closing in reader.balances()}
    assert balances["1500"][0] == 0
    assert balances["1500"][1] == reader.movements["1500"]


def test_content_of_the_other_version_is_accepted_with_a_warning():
    checked = saft.check(
        io.BytesIO(
            build(
                Variant(version="1.20", replace=[("<n1:AuditFileVersion>1.20", "<n1:AuditFileVersion>1.20")])
            )
        )
    )
    assert checked.warnings == []
    data = build(Variant(version="1.30", replace=[(">1.30<", ">1.20<")]))
    checked = saft.check(io.BytesIO(data))
    assert checked.schema == "1.30"
    assert checked.warnings[0][2] == "schema-other"


def _refusal(data: bytes) -> saft.SaftError:
    with pytest.raises(saft.SaftError) as caught:
        _read(data)
    return caught.value


def _line_of(data: bytes, needle: str) -> int:
    return data.decode()[: data.decode().index(needle)].count("\n") + 1


def test_not_xml_is_refused_with_the_parsers_line():
    error = _refusal(b"Ver 1\n#FLAGGA 0\n")
    assert (error.code, error.line) == ("not-xml", 1)
    truncated = build(Variant())[:-40]
    error = _refusal(truncated)
    assert error.code == "not-xml" and error.line > 1


def test_an_empty_file_is_refused():
    assert _refusal(b"").code == "not-xml"


def test_another_namespace_is_refused():
    data = build(Variant(prefix="", replace=[("Taxation-Financial:NO", "Taxation-Financial:DK")]))
    error = _refusal(data)
    assert (error.code, error.element, error.line) == ("namespace", "AuditFile", 2)
    assert "Taxation-Financial:DK" in error.message


def test_another_xml_file_is_refused():
    error = _refusal(b'<?xml version="1.0"?>\n<Sie xmlns="http://www.sie.se/sie5"></Sie>')
    assert (error.code, error.element) == ("not-saft", "Sie")


def test_an_unknown_version_is_refused():
    error = _refusal(build(Variant(replace=[(">1.30<", ">2.00<")])))
    assert (error.code, error.element, error.line) == ("version", "AuditFileVersion", 4)


def test_a_missing_element_is_refused_naming_it_and_its_line():
    data = build(Variant(replace=[("<n1:TransactionDate>2025-02-02</n1:TransactionDate>", "")]))
    error = _refusal(data)
    assert error.code == "schema"
    assert error.element == "Description"  # found where TransactionDate was expected
    assert "Expected is ( TransactionDate )" in error.message
    assert error.line == _line_of(data, "<n1:TransactionID>1001<")


def test_a_wrong_value_is_refused_naming_the_element():
    data = build(Variant(replace=[("<n1:Amount>1250.00</n1:Amount>", "<n1:Amount>12,50</n1:Amount>")]))
    error = _refusal(data)
    assert (error.code, error.element) == ("schema", "Amount")
    assert error.line == _line_of(data, "<n1:Amount>12,50")


def test_an_unbalanced_transaction_is_refused_at_its_line():
    data = build(Variant(replace=[("<n1:Amount>1250.00</n1:Amount>", "<n1:Amount>1250.01</n1:Amount>")]))
    error = _refusal(data)
    assert (error.code, error.element) == ("unbalanced", "Transaction")
    assert error.line == _line_of(data, "<n1:Transaction><n1:TransactionID>1000<")
    assert error.params == {"transaction": "GL/1000", "debit": "1250.01", "credit": "1250.00"}


@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        ("<n1:TotalDebit>10068.93", "<n1:TotalDebit>10068.94", "TotalDebit"),
        ("<n1:TotalCredit>10068.93", "<n1:TotalCredit>9068.93", "TotalCredit"),
        ("<n1:NumberOfEntries>6", "<n1:NumberOfEntries>7", "NumberOfEntries"),
    ],
)
def test_control_totals_that_do_not_match_are_refused(old, new, element):
    data = build(Variant(replace=[(old, new)]))
    error = _refusal(data)
    assert (error.code, error.element) == ("totals", element)
    assert error.line == _line_of(data, "<n1:NumberOfEntries>")


def test_a_lenient_reader_lists_every_problem():
    data = build(
        Variant(
            replace=[
                ("<n1:TotalDebit>10068.93", "<n1:TotalDebit>1.00"),
                ("<n1:Amount>1250.00<", "<n1:Amount>1250.01<"),
            ]
        )
    )
    reader = _read(data, strict=False)
    assert [(p.code, p.element) for p in reader.errors] == [
        ("unbalanced", "Transaction"),
        ("totals", "TotalDebit"),
    ]


def test_a_latin1_file_with_crlf_line_ends_reads_its_letters():
    """Older Norwegian programs write ISO-8859-1 and Windows line ends."""
    text = build(Variant(version="1.20")).decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    data = text.replace("\n", "\r\n").encode("latin-1")
    assert "Rådgivning".encode("latin-1") in data
    reader = _read(data)
    assert reader.header.name == "Fjordlys Rådgivning AS"
    assert reader.accounts["2400"].description == "Leverandørgjeld"
    assert reader.transaction_count == 6
