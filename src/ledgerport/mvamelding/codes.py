"""Skatteetaten's code lists (mvaKodeSAFT, sats, mvaSpesifikasjon) as the rules read them.

A code's direction comes from `kodeBrukesTilSpesifiseringAv` (input, output or both: the
reverse-charge codes with deduction report two lines), its allowed rates from `satstype`
matched against the rate list, its allowed specifications from the flags in `kodetillegg`.
Rates are checked against every rate the list has ever held for the type, not the term's
date: Skatteetaten's own examples report 12 % in a term when 6 % was in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from lxml import etree

KODELISTER = Path(__file__).with_name("kodelister")
NS = {"k": "urn:no:skatteetaten:kodelistebibliotek:domain:v1"}

# SAF-T only: never on the return (Skatteetaten's SAF-T documentation).
NOT_REPORTED = frozenset({"0", "7", "20", "21", "22"})

# spesifikasjon -> the kodetillegg flag that allows it on a code.
SPECIFICATION_FLAGS = {
    "uttak": "uttak",
    "tapPåKrav": "tapPaaKrav",
    "justering": "justering",
    "tilbakeføringAvInngåendeMerverdiavgift": "tilbakefoeringAvInngaaendeMerverdiavgift",
    "justeringMerverdiavgiftskompensasjonFastEiendom": "kompensasjonJustering",
    "kompensasjonsrett": "kompensasjonsrett",
}


@dataclass(frozen=True)
class Code:
    code: str
    description: str  # bokmål
    description_en: str
    direction: str  # "input", "output" or "both"
    rate_type: str  # satstype ("" = none stated: zero only)
    flags: frozenset[str]

    @property
    def two_lines(self) -> bool:
        """Reverse charge with deduction: an output line and a deduction line."""
        return self.direction == "both"

    @property
    def zero_rated(self) -> bool:
        return self.rate_type in ("", "nullsats")


def _text(node: etree._Element, path: str) -> str:
    return (node.findtext(path, namespaces=NS) or "").strip()


def _descriptions(node: etree._Element) -> dict[str, str]:
    return {
        _text(t, "k:spraak"): _text(t, "k:tekst") for t in node.findall("k:beskrivelse/k:spraakTekst", NS)
    }


def _parse(name: str) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(KODELISTER / name), parser)


@cache
def code_list() -> dict[str, Code]:
    found = {}
    for node in _parse("mvaKodeSAFT.xml").getroot().findall("k:kode", NS):
        more = node.find("k:kodetillegg", NS)
        extra = {str(c.tag).split("}")[1]: (c.text or "").strip() for c in (more if more is not None else [])}
        use = extra.get("kodeBrukesTilSpesifiseringAv", "")
        direction = "both" if " og " in use else "input" if use.startswith("Inngående") else "output"
        texts = _descriptions(node)
        code = _text(node, "k:tekniskNavn")
        found[code] = Code(
            code=code,
            description=texts.get("no", ""),
            description_en=texts.get("en", ""),
            direction=direction,
            rate_type=extra.get("satstype", ""),
            flags=frozenset(k for k, v in extra.items() if v == "SANN"),
        )
    return found


@cache
def rates_by_type() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for node in _parse("sats.xml").getroot().findall("k:kode", NS):
        extra = node.find("k:kodetillegg", NS)
        rate_type = _text(extra, "k:satstype") if extra is not None else ""
        found.setdefault(rate_type, set()).add(_text(node, "k:tekniskNavn"))
    return {k: frozenset(v) for k, v in found.items()}


def allowed_rates(code: Code) -> frozenset[str]:
    if code.zero_rated:
        return frozenset({"0"})
    return rates_by_type().get(code.rate_type, frozenset())


@cache
def specifications() -> frozenset[str]:
    return frozenset(
        _text(n, "k:tekniskNavn") for n in _parse("mvaSpesifikasjon.xml").getroot().findall("k:kode", NS)
    )


def rate_value(text: str) -> Decimal:
    """The code list's rate text as a number: "11,11" -> 11.11."""
    return Decimal(text.replace(",", "."))


def rate_text(value: Decimal) -> str:
    """A percentage as the code list writes it: 25 -> "25", 11.11 -> "11,11"."""
    normal = value.normalize()
    text = f"{normal:f}" if normal == normal.to_integral() else str(normal)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
