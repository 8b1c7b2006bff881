"""The mva-melding draft: §3's rules on plain rows, and the demo ledger's terms through the SAF-T
import: each validates (XSD and local rules) and equals the VAT accounts' movement."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerport.analysis.mva import CodeInfo, RowSum, compute, kroner, term_draft
from ledgerport.demo import norway_demo
from ledgerport.ledger.saft_import import import_saft
from ledgerport.mvamelding import ANNUAL, Melding, Term, build_melding, terms_of_year, validate
from tests.factories import CompanyFactory

D = Decimal
TERM = Term(2026, 2)
TABLE = {
    "U25": CodeInfo("3", D(25)),
    "I25": CodeInfo("1", D(25)),
    "OT86": CodeInfo("86", D(25)),
    "OT87": CodeInfo("87", D(25)),
    "EKS": CodeInfo("5", D(0)),
    "NONE": CodeInfo("0", D(0)),
    "NA": CodeInfo("", None),
}


def row(code, account, amount):
    amount = D(amount)
    return RowSum(code, account, amount, amount > 0)


def lines(draft):
    return [(x.code, x.own_code, x.kind, x.base, x.rate, x.vat) for x in draft.lines]


def test_sales_purchases_and_zero_rated():
    draft = compute(
        TERM,
        [
            row("U25", "3000", "-1000.40"), row("U25", "2700", "-250.10"),
            row("I25", "6300", "400"), row("I25", "2710", "100"),
            row("EKS", "3100", "-5000"),
        ],
        TABLE,
    )  # fmt: skip
    assert lines(draft) == [
        ("1", "I25", "deduction", None, None, D(-100)),
        ("3", "U25", "output", D(1000), "25", D(250)),
        ("5", "EKS", "zero", D(5000), "0", D(0)),
    ]
    assert draft.total == D(150)


def test_reverse_charge_with_deduction_is_two_lines_without_is_one():
    draft = compute(
        TERM,
        [
            row("OT86", "6700", "8000"), row("OT86", "2703", "-2000"), row("OT86", "2713", "2000"),
            row("OT87", "6701", "1000"), row("OT87", "2703", "-250"),
        ],
        TABLE,
    )  # fmt: skip
    assert lines(draft) == [
        ("86", "OT86", "output", D(8000), "25", D(2000)),
        ("86", "OT86", "deduction", None, None, D(-2000)),
        ("87", "OT87", "output", D(1000), "25", D(250)),
    ]
    assert draft.total == D(250)


def test_saft_only_codes_are_left_out_and_unmapped_codes_named():
    draft = compute(
        TERM, [row("NONE", "4300", "900"), row("NA", "3000", "-10"), row("??", "3000", "-5")], TABLE
    )
    assert draft.lines == []
    assert draft.unmapped == [("??", D(-5)), ("NA", D(-10))]


def test_a_ledger_in_standard_codes_needs_no_table():
    draft = compute(TERM, [row("3", "3000", "-100"), row("3", "2700", "-25")], {})
    assert lines(draft) == [("3", "3", "output", D(100), "25", D(25))]


def test_vat_computed_when_the_program_wrote_no_vat_row():
    draft = compute(TERM, [row("U25", "3000", "-1001")], TABLE)
    (line,) = draft.lines
    assert line.vat_computed and line.vat == D(250) and line.exact_vat == D("250.25")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["U25", "I25", "OT86", "EKS"]), st.integers(-(10**9), 10**9)), max_size=30
    )
)
def test_rounding_is_per_line_and_the_total_their_sum(entries):
    rows = [row(code, "2700" if code != "EKS" else "3100", D(oere) / 100) for code, oere in entries]
    draft = compute(TERM, rows, TABLE)
    assert all(x.vat == kroner(x.exact_vat) and x.vat == x.vat.to_integral() for x in draft.lines)
    assert draft.total == sum((x.vat for x in draft.lines), D(0))
    assert abs(draft.total - draft.exact_total) <= D("0.5") * len(draft.lines)


def test_terms_of_a_year():
    terms = terms_of_year(2026)
    assert [t.period[1] for t in terms] == [
        "januar-februar", "mars-april", "mai-juni", "juli-august", "september-oktober", "november-desember",
    ]  # fmt: skip
    assert terms[1].months == (202603, 202604) and str(terms[5].end) == "2026-12-31"
    assert Term(2026, ANNUAL).months == tuple(202600 + m for m in range(1, 13))
    with pytest.raises(ValueError):
        Term(2026, 7)


@pytest.fixture
def fjordlys(db):
    company = CompanyFactory(name=norway_demo.NAME, country="NO", orgnr=norway_demo.ORGNR)
    result = import_saft(company=company, stream=io.BytesIO(norway_demo.saft_file(2026)), file_name="f.xml")
    assert result is not None
    return company


def _expected_vat(term: Term) -> Decimal:
    """The generator's own VAT rows in the term (melding sign), settlements left out."""
    total = D(0)
    for voucher in norway_demo.vouchers(2026):
        if voucher.day.year * 100 + voucher.day.month not in term.months:
            continue
        if any(account == "2740" for account, _a, _c in voucher.rows):
            continue
        total -= sum((a for account, a, _c in voucher.rows if account.startswith("27")), D(0))
    return total


@pytest.mark.django_db
@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6, ANNUAL])
def test_demo_ledger_term_validates_and_equals_the_vat_accounts(fjordlys, number):
    term = Term(2026, number)
    draft = term_draft(fjordlys, term)
    codes = {line.code for line in draft.lines}
    assert {"1", "3", "31", "33", "11", "13", "86", "14"} <= codes
    assert "0" not in codes and draft.unmapped == []
    assert [x.kind for x in draft.lines if x.code == "86"] == ["output", "deduction"]
    melding = Melding(
        orgnr=fjordlys.orgnr,
        year=2026,
        period=term.period,
        lines=draft.melding_lines(),
        reference=f"t-{number}",
    )
    assert validate(build_melding(melding)) == []
    assert draft.total == draft.ledger_total == _expected_vat(term)
    assert draft.difference == 0
    assert {a.account for a in draft.accounts} >= {"2700", "2701", "2702", "2703", "2710", "2713", "2714"}


@pytest.mark.django_db
def test_an_uncoded_vat_posting_shows_as_a_difference(fjordlys):
    from ledgerport.ledger.models import VoucherRow

    row = VoucherRow.objects.filter(
        fiscal_year__company=fjordlys, account__number="2700", period=202603
    ).first()
    VoucherRow.objects.filter(pk=row.pk).update(vat_code="")
    draft = term_draft(fjordlys, Term(2026, 2))
    assert draft.difference == kroner(row.amount)  # the row's VAT left the draft, not the account
    assert next(a for a in draft.accounts if a.account == "2700").uncoded == row.amount


@pytest.mark.django_db
def test_another_company_s_rows_never_count(fjordlys):
    other = CompanyFactory(country="NO", orgnr="974760673")
    assert term_draft(other, Term(2026, 2)).lines == []


@pytest.mark.django_db
def test_a_ledger_of_many_years_over_still_reconciles_to_the_ore(db):
    """The demo year written four times over (the timing is bench/mva_draft.py's)."""
    company = CompanyFactory(country="NO", orgnr=norway_demo.ORGNR)
    import_saft(company=company, stream=io.BytesIO(norway_demo.saft_file(2026, scale=4)), file_name="big.xml")
    assert term_draft(company, Term(2026, 3)).difference == 0
    assert term_draft(company, Term(2026, ANNUAL)).difference == 0
