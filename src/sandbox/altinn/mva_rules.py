"""Skatteetaten's validation of an mva-melding, as far as the sandbox simulates it: the XSD, then a
handful of the real rules (Skatteetaten/mva-meldingen, "Valideringsregler") with their numbers:

- R018 the lines' merverdiavgift add up to fastsattMerverdiavgift (avvikende skattemelding)
- R019 merverdiavgift is grunnlag × sats, rounded down to whole kroner (avvikende)
- R053/R054 only the mva codes valid for the melding's category (ugyldig)
- R082 amounts in whole kroner (ugyldig)

The answer is a `valideringsresultat` (its XSD: avvikVedMeldingslevering, then one `avvik` per
deviation with its path, line and `avviksinformasjon`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

MELDING_NS = "no:skatteetaten:fastsetting:avgift:mva:skattemeldingformerverdiavgift:v1.0"
RESULT_NS = "no:skatteetaten:fastsetting:avgift:mva:valideringsresultat:v1"
XSD_DIR = Path(__file__).with_name("xsd")
MELDING_XSD = "no.skatteetaten.fastsetting.avgift.mva.skattemeldingformerverdiavgift.v1.0.xsd"
RESULT_XSD = "no.skatteetaten.fastsetting.avgift.mva.valideringsresultat.v1.xsd"

NONE = "ingen avvik"
DEVIATING = "avvikende skattemelding"
INVALID = "ugyldig skattemelding"
SEVERITY = {NONE: 0, DEVIATING: 1, "mangelfull skattemelding": 2, INVALID: 3}

ORDINARY_CODES = frozenset(
    [
        "1",
        "11",
        "12",
        "13",
        "14",
        "15",
        "3",
        "31",
        "32",
        "33",
        "5",
        "51",
        "52",
        "6",
        "81",
        "82",
        "83",
        "84",
        "85",
        "86",
        "87",
        "88",
        "89",
        "91",
        "92",
    ]
)
CODES_BY_CATEGORY = {
    "kompensasjon": frozenset(["1", "11", "12", "13", "14", "15"]),
    "omvendtAvgiftsplikt": frozenset(["86", "87", "88", "89", "91", "92"]),
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / name)))


@dataclass(frozen=True)
class Deviation:
    path: str
    severity: str
    code: str
    rule: str
    reason: str
    details: str = ""
    mva_code: str = ""
    line: int | None = None


def _q(name: str) -> str:
    return f"{{{MELDING_NS}}}{name}"


def _amount(element: etree._Element | None) -> Decimal | None:
    if element is None or element.text is None:
        return None
    try:
        return Decimal(element.text.strip())
    except InvalidOperation:
        return None


def _path(element: etree._Element) -> str:
    return element.getroottree().getpath(element).replace("*", "")


def _xsd_deviations(document: etree._ElementTree) -> list[Deviation]:
    checker = schema(MELDING_XSD)
    if checker.validate(document):
        return []
    return [
        Deviation(
            path=error.path or "/",
            severity=INVALID,
            code="XSD",
            rule="MVA_MELDING_XSD",
            reason="Mva-meldingen er ikke gyldig i henhold til XSD",
            details=error.message,
            line=error.line,
        )
        for error in checker.error_log
    ]


def _rules(root: etree._Element) -> list[Deviation]:
    found: list[Deviation] = []
    base = root.find(_q("skattegrunnlagOgBeregnetSkatt"))
    if base is None:
        return found
    category = (root.findtext(_q("meldingskategori")) or "").strip()
    allowed = CODES_BY_CATEGORY.get(category, ORDINARY_CODES)
    amounts = [base.find(_q("fastsattMerverdiavgift"))]
    total = Decimal(0)
    for line in base.findall(_q("mvaSpesifikasjonslinje")):
        code = (line.findtext(_q("mvaKode")) or "").strip()
        basis, tax = line.find(_q("grunnlag")), line.find(_q("merverdiavgift"))
        amounts += [basis, tax]
        total += _amount(tax) or 0
        if code not in allowed:
            found.append(
                Deviation(
                    _path(line),
                    INVALID,
                    "R054" if category == "primaernaering" else "R053",
                    "MVA_MELDINGSINNHOLD_UGYLDIG_MVA_KODE_FOR_OPPGITT_MELDINGSKATEGORI",
                    f"Kun gyldige mva-koder til meldingskategori '{category}' kan sendes inn",
                    f"mvaKode {code}",
                    code,
                    line.sourceline,
                )
            )
        rate = _amount(line.find(_q("sats")))
        basis_amount, tax_amount = _amount(basis), _amount(tax)
        if basis_amount is not None and rate is not None and tax_amount is not None:
            expected = (basis_amount * rate / 100).quantize(Decimal(1), rounding=ROUND_FLOOR)
            if abs(expected - tax_amount) > 1:
                found.append(
                    Deviation(
                        _path(tax),
                        DEVIATING,
                        "R019",
                        "MVA_MELDINGSINNHOLD_GRUNNLAG_GANGER_GJELDENDE_SATS_FEIL_BEREGNET_MERVERDIAVGIFT_FOR_AVGIFTSLINJE",
                        "Beregnet avgift i avgiftslinje er ulik produktet av grunnlag og sats",
                        f"forventet {expected}, oppgitt {tax_amount}",
                        code,
                        tax.sourceline,
                    )
                )
    for element in amounts:
        value = _amount(element)
        if element is not None and value is not None and value != value.to_integral_value():
            found.append(
                Deviation(
                    _path(element),
                    INVALID,
                    "R082",
                    "MVA_MELDINGSINNHOLD_BELOEP_I_HELE_KRONER",
                    "Beløp skal oppgis i hele kroner",
                    f"{etree.QName(element).localname} {value}",
                    line=element.sourceline,
                )
            )
    stated_element = base.find(_q("fastsattMerverdiavgift"))
    stated = _amount(stated_element)
    if stated is not None and stated != total:
        found.append(
            Deviation(
                _path(stated_element),
                DEVIATING,
                "R018",
                "MVA_MELDINGSINNHOLD_SUM_MVA_FEIL_SUMMERING_AV_AVGIFTLINJER",
                "Summen av merverdiavgift for hver avgiftslinje er ikke lik feltet fastsattMerverdiavgift",
                f"summen av linjene {total}, fastsattMerverdiavgift {stated}",
                line=stated_element.sourceline,
            )
        )
    return found


def melding_root(xml: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError:
        return None


def validate(xml: bytes) -> list[Deviation]:
    """Every deviation of the melding (empty: "ingen avvik")."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        return [
            Deviation("/", INVALID, "XSD", "MVA_MELDING_XSD", "Mva-meldingen er ikke gyldig XML", str(exc))
        ]
    found = _xsd_deviations(root.getroottree())
    return found or _rules(root)


def result_xml(deviations: list[Deviation]) -> bytes:
    """The valideringsresultat document for the deviations."""
    worst = max((d.severity for d in deviations), key=SEVERITY.__getitem__, default=NONE)
    root = etree.Element(f"{{{RESULT_NS}}}valideringsresultat", nsmap={None: RESULT_NS})

    def add(parent: etree._Element, name: str, text: str) -> None:
        etree.SubElement(parent, f"{{{RESULT_NS}}}{name}").text = text

    add(root, "avvikVedMeldingslevering", worst)
    for deviation in deviations:
        avvik = etree.SubElement(root, f"{{{RESULT_NS}}}avvik")
        add(avvik, "stiTilAvvik", deviation.path)
        if deviation.mva_code:
            add(avvik, "mvaKode", deviation.mva_code)
        if deviation.line is not None:
            add(avvik, "xmlLinjenummer", str(deviation.line))
        info = etree.SubElement(avvik, f"{{{RESULT_NS}}}avviksinformasjon")
        add(info, "begrunnelse", deviation.reason)
        add(info, "avvikstype", deviation.severity)
        add(info, "avvikKode", deviation.code)
        add(info, "regelDefinisjon", deviation.rule)
        if deviation.details:
            add(info, "detaljer", deviation.details[:4000])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
