"""The JSON leveranse (v2.3) and the XML melding (v2.2 XSD): Skatteetaten's example reads and
is written back unchanged; a summary's message validates; the sums are the authority's."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from ledgerport.amelding import (
    AmeldingError,
    Contribution,
    MonthSummary,
    build_leveranse,
    build_xml,
    check,
    jsonio,
    read_csv,
    read_leveranse,
    sums,
)
from ledgerport.amelding.xml import NS, validate

EXAMPLE = Path("/work/shared/specs/no-a-melding/examples/filopplasting-leveranse-eksempel.json")
VENDORED = Path(__file__).parent / "files" / "filopplasting-leveranse-eksempel.json"
CSV = Path(__file__).parent / "files" / "fjordlys-2026-11.csv"
WHEN = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)


def example() -> dict:
    return jsonio.loads((EXAMPLE if EXAMPLE.exists() else VENDORED).read_bytes())


def summary() -> MonthSummary:
    return read_csv(CSV.read_bytes(), accept_synthetic=True)


def test_the_example_reads_and_is_written_back_unchanged():
    document = example()
    read, envelope = read_leveranse(document)
    assert read.orgnr == "210465472" and read.month == "2025-12"
    employee = read.units[0].employees[0]
    assert employee.withheld == Decimal(17022)  # stated -17022
    assert employee.incomes[0].amount == Decimal("23989.5")
    assert employee.incomes[1].category == "pensjonEllerTrygd"
    again = build_leveranse(
        read,
        message_id=envelope["meldingsId"],
        delivered_at=envelope["leveringstidspunkt"],
        replaces=envelope["erstatterMeldingsId"],
    )
    assert again == document
    assert jsonio.loads(jsonio.dumps(again)) == document


def test_the_examples_contribution_is_grunnlag_times_sats_without_oere():
    read, _ = read_leveranse(example())
    # 245428.0 × 14.1 % = 34605.348 -> 34605, as the example states
    assert sums.whole_kroner(sums.employer_contribution(read)) == 34605
    assert read.payment is not None and read.payment.employer_contribution == 34605


def test_a_summary_builds_the_v23_shape():
    built = build_leveranse(summary(), message_id="m-1", delivered_at=WHEN)["leveranse"]
    assert built["kalendermaaned"] == "2026-11"
    assert built["leveringstidspunkt"] == "2026-12-03T09:30:00.000+00:00"
    assert built["oppgave"]["betalingsinformasjon"] == {
        "sumArbeidsgiveravgift": 14590,
        "sumForskuddstrekkPerLoennsutbetalingsdato": [
            {"loennsutbetalingsdato": "2026-11-20", "beloep": 31383}
        ],
    }
    person = built["oppgave"]["virksomhet"][0]["inntektsmottaker"][0]
    assert person["forskuddstrekk"] == [{"beskrivelse": "ordinaert", "beloep": -19744}]
    assert person["inntekt"][0]["loennsinntekt"] == {"beskrivelse": "fastloenn"}
    assert person["arbeidsforhold"][0]["stillingsprosent"] == Decimal(100)
    assert "erstatterMeldingsId" not in built
    replacing = build_leveranse(summary(), message_id="m-2", delivered_at=WHEN, replaces="m-1")
    assert replacing["leveranse"]["erstatterMeldingsId"] == "m-1"


def test_amounts_are_written_exactly():
    text = jsonio.dumps({"a": Decimal("3412.50"), "b": Decimal("1E+3"), "c": [True, None, "Ø"]})
    assert text == '{"a":3412.50,"b":1000,"c":[true,null,"Ø"]}'
    with pytest.raises(TypeError):
        jsonio.dumps({"a": 0.1})


def test_the_xml_validates_against_the_xsd():
    data = build_xml(summary(), message_id="m-1", delivered_at=WHEN, replaces="m-0")
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS}}}melding"
    ns = {"a": NS}
    assert (
        root.findtext("a:Leveranse/a:oppgave/a:betalingsinformasjon/a:sumForskuddstrekk", namespaces=ns)
        == "31383"
    )
    assert root.findtext("a:Leveranse/a:erstatterMeldingsId", namespaces=ns) == "m-0"
    assert root.findtext(".//a:forskuddstrekk/a:beloep", namespaces=ns) == "-19744"


def test_an_xml_against_the_schema_is_refused_with_the_reason():
    data = build_xml(summary(), message_id="m-1", delivered_at=WHEN)
    broken = data.replace(
        b"<kalendermaaned>2026-11</kalendermaaned>", b"<kalendermaaned>2026-13</kalendermaaned>"
    )
    with pytest.raises(AmeldingError) as caught:
        validate(broken)
    assert caught.value.problems[0].code == "schema"
    assert "kalendermaaned" in caught.value.problems[0].message()
    with pytest.raises(AmeldingError):
        build_xml(summary(), message_id="not allowed!", delivered_at=WHEN)  # Identifikator pattern


def test_checks_on_a_built_summary():
    good = summary()
    assert check(good, accept_synthetic=True) == []
    unit = good.units[0]
    bad_unit = type(unit)(
        unit.orgnr, unit.employees, (Contribution("generelleNaeringer", "1", Decimal(1), Decimal("15")),)
    )
    bad = MonthSummary(good.orgnr, "2026-11", good.payout_date, (bad_unit,))
    assert [p.code for p in check(bad, accept_synthetic=True)] == ["rate"]
    main = MonthSummary(
        good.orgnr, "2026-11", good.payout_date, (type(unit)(good.orgnr, unit.employees, unit.contributions),)
    )
    assert [p.code for p in check(main, accept_synthetic=True)] == ["main_unit"]
    assert [p.code for p in check(MonthSummary(good.orgnr, "2013-12", datetime.date(2013, 12, 1)))] == [
        "month_range",
        "no_units",
    ]
