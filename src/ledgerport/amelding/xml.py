"""The `melding` XML (a-melding v2.2, the XSD at hand) built from a summary and validated.

The REST API takes v2.3 JSON (`leveranse.py`); the XML is the schema check of the same content:
its elements in the XSD's order, `sumForskuddstrekk` for v2.3's per-date list. Fields a
delivery read from JSON kept in `extra` are not written here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from .model import Employee, Employment, Income, MonthSummary, Unit
from .problems import AmeldingError, Problem
from .sums import payment as payment_of

NS = "urn:ske:fastsetting:innsamling:a-meldingen:v2_2"
XSD = Path(__file__).with_name("xsd") / "amelding_v2_2.xsd"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _add(parent: etree._Element, name: str, value: object = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if value is not None:
        element.text = _text(value)
    return element


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _employment(parent: etree._Element, e: Employment) -> None:
    node = _add(parent, "arbeidsforhold")
    if e.employment_id:
        _add(node, "arbeidsforholdId", e.employment_id)
    _add(node, "typeArbeidsforhold", e.kind)
    for name, value in (
        ("startdato", e.start),
        ("sluttdato", e.end),
        ("antallTimerPerUkeSomEnFullStillingTilsvarer", e.hours_per_week),
        ("yrke", e.occupation or None),
        ("arbeidstidsordning", e.working_time or None),
        ("stillingsprosent", e.position_percent),
    ):
        if value is not None:
            _add(node, name, value)


def _income(parent: etree._Element, i: Income) -> None:
    node = _add(parent, "inntekt")
    _add(node, "fordel", i.benefit)
    _add(node, "utloeserArbeidsgiveravgift", i.triggers_contribution)
    _add(node, "inngaarIGrunnlagForTrekk", i.withholding_basis)
    _add(node, "beloep", i.amount)
    if i.employment_id:
        _add(node, "arbeidsforholdId", i.employment_id)
    _add(_add(node, i.category), "beskrivelse", i.description)


def _employee(parent: etree._Element, p: Employee) -> None:
    node = _add(parent, "inntektsmottaker")
    _add(node, "norskIdentifikator", p.person)
    for e in p.employments:
        _employment(node, e)
    for w in p.withholdings:
        trekk = _add(node, "forskuddstrekk")
        _add(trekk, "beskrivelse", w.description)
        _add(trekk, "beloep", -int(w.amount))
    for i in p.incomes:
        _income(node, i)


def _unit(parent: etree._Element, u: Unit) -> None:
    node = _add(parent, "virksomhet")
    _add(node, "norskIdentifikator", u.orgnr)
    for p in u.employees:
        _employee(node, p)
    if u.contributions:
        contribution = _add(node, "arbeidsgiveravgift")
        for c in u.contributions:
            line = _add(contribution, "loennOgGodtgjoerelse")
            _add(line, "beregningskodeForArbeidsgiveravgift", c.code)
            _add(line, "sone", c.zone)
            _add(line, "avgiftsgrunnlagBeloep", c.basis)
            _add(line, "prosentsatsForAvgiftsberegning", c.rate)


def build_xml(
    summary: MonthSummary, *, message_id: str, delivered_at: datetime.datetime, replaces: str = ""
) -> bytes:
    """The melding as UTF-8 bytes, validated: AmeldingError("schema") when it does not follow."""
    nsmap: Any = {None: NS}  # the stubs take no default namespace
    root = etree.Element(f"{{{NS}}}melding", nsmap=nsmap)
    leveranse = _add(root, "Leveranse")
    _add(leveranse, "leveringstidspunkt", delivered_at.astimezone(datetime.UTC).isoformat(timespec="seconds"))
    _add(leveranse, "kalendermaaned", summary.month)
    _add(leveranse, "kildesystem", summary.source_system)
    if replaces:
        _add(leveranse, "erstatterMeldingsId", replaces)
    _add(leveranse, "meldingsId", message_id)
    _add(_add(leveranse, "opplysningspliktig"), "norskIdentifikator", summary.orgnr)
    oppgave = _add(leveranse, "oppgave")
    paid = payment_of(summary)
    info = _add(oppgave, "betalingsinformasjon")
    _add(info, "sumForskuddstrekk", paid.withheld)
    _add(info, "sumArbeidsgiveravgift", paid.employer_contribution)
    for u in summary.units:
        _unit(oppgave, u)
    if summary.language:
        _add(leveranse, "spraakForTilbakemelding", summary.language)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(data)
    return data


def validate(data: bytes) -> None:
    """AmeldingError with one "schema" problem per schema error (its line in the XML)."""
    try:
        document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise AmeldingError([Problem("schema", params={"detail": str(exc)})]) from exc
    checker = schema()
    if not checker.validate(document):
        log: Any = checker.error_log  # the stubs know no iteration
        raise AmeldingError([Problem("schema", params={"detail": f"{e.line}: {e.message}"}) for e in log])
