"""Build -> validate -> read gives back what was built, for random line sets (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerport.mvamelding import (
    Envelope,
    Line,
    Melding,
    build_envelope,
    build_melding,
    read_melding,
    terms_of_year,
    validate,
)
from ledgerport.mvamelding.codes import allowed_rates, code_list

KRONER = st.integers(min_value=-(10**12), max_value=10**12).map(Decimal)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@st.composite
def lines(draw) -> Line:
    code = code_list()[draw(st.sampled_from(sorted(code_list())))]
    own = draw(TEXT)
    if code.direction == "input" or (code.two_lines and draw(st.booleans())):
        return Line(code.code, draw(KRONER), own_code=own)
    rate = draw(st.sampled_from(sorted(allowed_rates(code))))
    vat = Decimal(0) if code.zero_rated else draw(KRONER)
    return Line(code.code, vat, draw(KRONER), rate, own)


@st.composite
def meldinger(draw) -> Melding:
    year = draw(st.integers(2017, 2030))
    term = draw(st.sampled_from(terms_of_year(year) + terms_of_year(year, annual=True)))
    return Melding(
        orgnr=draw(st.from_regex(r"[0-9]{9}", fullmatch=True)),
        year=year,
        period=term.period,
        lines=tuple(draw(st.lists(lines(), max_size=12))),
        reference=draw(st.from_regex(r"[A-Za-z0-9-]{1,30}", fullmatch=True)),
        kid=draw(st.from_regex(r"[0-9]{0,25}", fullmatch=True)),
        remark=draw(TEXT),
    )


@settings(max_examples=150, deadline=None)
@given(meldinger())
def test_build_validate_read_round_trips(melding):
    xml = build_melding(melding)
    assert validate(xml) == []
    assert read_melding(xml) == melding


@settings(max_examples=40, deadline=None)
@given(meldinger(), TEXT.filter(bool))
def test_envelope_validates(melding, who):
    envelope = Envelope(
        orgnr=melding.orgnr,
        year=melding.year,
        period=melding.period,
        created_by=who,
        created_at=dt.datetime(2026, 5, 2, 8, 30, tzinfo=dt.UTC),
    )
    assert validate(build_envelope(envelope)) == []


@settings(max_examples=60, deadline=None)
@given(meldinger(), st.integers(1, 99))
def test_an_amount_in_oere_is_named(melding, oere):
    if not melding.lines:
        return
    first = melding.lines[0]
    broken = Line(first.code, first.vat + Decimal(oere) / 100, first.base, first.rate, first.own_code)
    xml = build_melding(Melding(**{**melding.__dict__, "lines": (broken, *melding.lines[1:])}))
    found = {p.rule for p in validate(xml)}
    assert "R082" in found
