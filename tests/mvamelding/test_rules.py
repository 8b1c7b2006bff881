"""Each local rule names the line, the element and the reason; safe parsing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledgerport.mvamelding import Line, Melding, build_melding, validate


def melding(*lines: Line, total: Decimal | None = None) -> bytes:
    m = Melding(
        orgnr="923609016",
        year=2026,
        period=("skattleggingsperiodeToMaaneder", "mars-april"),
        lines=lines,
        reference="t-1",
    )
    xml = build_melding(m)
    if total is not None:
        xml = xml.replace(
            f"<fastsattMerverdiavgift>{m.total}</fastsattMerverdiavgift>".encode(),
            f"<fastsattMerverdiavgift>{total}</fastsattMerverdiavgift>".encode(),
        )
    return xml


SALE = Line("3", Decimal(2500), Decimal(10000), "25", "3")
PURCHASE = Line("1", Decimal(-1000), own_code="1")


def rules(xml: bytes) -> list[tuple[str, str]]:
    return [(p.rule, p.path) for p in validate(xml)]


def test_a_good_melding_is_valid():
    assert validate(melding(SALE, PURCHASE)) == []


def test_whole_kroner_r082():
    problems = validate(melding(Line("3", Decimal("2500.50"), Decimal(10002), "25")))
    assert [(p.rule, p.path) for p in problems if p.rule == "R082"] == [
        ("R082", "/mvaMeldingDto/skattegrunnlagOgBeregnetSkatt/fastsattMerverdiavgift"),
        ("R082", "/mvaMeldingDto/skattegrunnlagOgBeregnetSkatt/mvaSpesifikasjonslinje/merverdiavgift"),
    ]
    assert all(p.line > 1 and "hele kroner" in p.reason for p in problems if p.rule == "R082")


def test_total_is_the_sum_of_the_lines():
    problems = validate(melding(SALE, PURCHASE, total=Decimal(2500)))
    assert [p.rule for p in problems] == ["sum"]
    assert "1500" in problems[0].reason and problems[0].line == 17


@pytest.mark.parametrize("code", ["0", "7", "20", "21", "22"])
def test_saft_only_codes_are_not_reported(code):
    assert ("code", "/mvaMeldingDto/skattegrunnlagOgBeregnetSkatt/mvaSpesifikasjonslinje/mvaKode") in rules(
        melding(Line(code, Decimal(0), Decimal(100), "0"))
    )


def test_unknown_code_and_rate():
    assert [r for r, _ in rules(melding(Line("99", Decimal(25), Decimal(100), "25")))] == ["code"]
    found = validate(melding(Line("3", Decimal(2400), Decimal(10000), "24")))
    assert (
        [p.rule for p in found] == ["rate"]
        and "sats 24" in found[0].reason
        and found[0].path.endswith("/sats")
    )
    assert rules(melding(Line("33", Decimal(1200), Decimal(10000), "12"))) == []
    assert rules(melding(Line("32", Decimal(1111), Decimal(10000), "11,11"))) == []
    assert [r for r, _ in rules(melding(Line("33", Decimal(2500), Decimal(10000), "25")))] == ["rate"]


def test_lines_allowed_per_code():
    # deduction codes carry no base and rate; output codes need them; both go together
    assert [r for r, _ in rules(melding(Line("1", Decimal(-250), Decimal(-1000), "25")))] == ["shape"]
    assert [r for r, _ in rules(melding(Line("3", Decimal(2500))))] == ["shape"]
    assert [r for r, _ in rules(melding(Line("3", Decimal(2500), Decimal(10000))))] == ["shape"]
    assert [r for r, _ in rules(melding(Line("5", Decimal(10), Decimal(10000), "0")))] == ["shape"]
    # reverse charge with deduction: an output line and a deduction line with the same code
    both = (Line("86", Decimal(2500), Decimal(10000), "25"), Line("86", Decimal(-2500)))
    assert rules(melding(*both)) == []


def test_specification_allowed_per_code():
    assert rules(melding(Line("3", Decimal(2500), Decimal(10000), "25", specification="uttak"))) == []
    bad = rules(melding(Line("6", Decimal(0), Decimal(100), "0", specification="uttak")))
    assert [r for r, _ in bad] == ["spec"]
    assert [r for r, _ in rules(melding(Line("1", Decimal(-5), specification="tull")))] == ["spec"]


def test_xsd_problems_name_line_and_path():
    xml = melding(SALE).replace(b"<aar>2026</aar>", b"<aar>twenty</aar>")
    problems = validate(xml)
    assert [(p.rule, p.path) for p in problems] == [
        ("xsd", "/mvaMeldingDto/skattegrunnlagOgBeregnetSkatt/skattleggingsperiode/aar")
    ]
    assert problems[0].line == 15 and "twenty" in problems[0].reason


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><mvaMeldingDto>&x;</mvaMeldingDto>',
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><mvaMeldingDto>&b;</mvaMeldingDto>',
        b"<mvaMeldingDto><unclosed></mvaMeldingDto>",
        b"<somethingElse/>",
        b"",
    ],
)
def test_unsafe_or_broken_documents_are_refused_with_a_reason(xml):
    problems = validate(xml)
    assert len(problems) == 1 and problems[0].rule == "xml" and problems[0].reason
    assert b"root:" not in problems[0].reason.encode()
