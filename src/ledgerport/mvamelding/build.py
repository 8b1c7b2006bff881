"""Writing the melding (mvaMeldingDto) and its envelope (mvaMeldingInnsending) from the
dataclasses, in the XSD's element order."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from .model import Envelope, Line, Melding

MELDING_NS = "no:skatteetaten:fastsetting:avgift:mva:skattemeldingformerverdiavgift:v1.0"
ENVELOPE_NS = "no:skatteetaten:fastsetting:avgift:mva:mvameldinginnsending:v1.0"


def amount_text(value: Decimal) -> str:
    """Whole kroner as an integer; anything else as written (the validator names it)."""
    return str(int(value)) if value == value.to_integral_value() else f"{value:f}"


class _Writer:
    def __init__(self, ns: str) -> None:
        self.ns = ns

    def el(self, parent: etree._Element | None, tag: str, text: str | None = None) -> etree._Element:
        qname = f"{{{self.ns}}}{tag}"
        if parent is None:
            node = etree.Element(qname, nsmap={None: self.ns})  # type: ignore[dict-item]
        else:
            node = etree.SubElement(parent, qname)
        if text is not None:
            node.text = text
        return node

    def period(self, parent: etree._Element, year: int, period: tuple[str, str]) -> None:
        node = self.el(parent, "skattleggingsperiode")
        self.el(self.el(node, "periode"), period[0], period[1])
        self.el(node, "aar", str(year))


def _remark(w: _Writer, parent: etree._Element, text: str) -> None:
    if text:
        w.el(w.el(parent, "merknad"), "beskrivelse", text)


def _line(w: _Writer, parent: etree._Element, line: Line) -> None:
    node = w.el(parent, "mvaSpesifikasjonslinje")
    w.el(node, "mvaKode", line.code)
    if line.specification:
        w.el(node, "spesifikasjon", line.specification)
    if line.own_code:
        w.el(node, "mvaKodeRegnskapsystem", line.own_code)
    if line.base is not None:
        w.el(node, "grunnlag", amount_text(line.base))
    if line.rate is not None:
        w.el(node, "sats", line.rate)
    w.el(node, "merverdiavgift", amount_text(line.vat))
    _remark(w, node, line.remark)


def build_melding(melding: Melding) -> bytes:
    w = _Writer(MELDING_NS)
    root = w.el(None, "mvaMeldingDto")
    sending = w.el(root, "innsending")
    w.el(sending, "regnskapssystemsreferanse", melding.reference)
    system = w.el(sending, "regnskapssystem")
    w.el(system, "systemnavn", melding.system_name)
    w.el(system, "systemversjon", melding.system_version)
    figures = w.el(root, "skattegrunnlagOgBeregnetSkatt")
    w.period(figures, melding.year, melding.period)
    w.el(figures, "fastsattMerverdiavgift", amount_text(melding.total))
    for line in melding.lines:
        _line(w, figures, line)
    payment = w.el(root, "betalingsinformasjon")
    if melding.kid:
        w.el(payment, "kundeIdentifikasjonsnummer", melding.kid)
    w.el(w.el(root, "skattepliktig"), "organisasjonsnummer", melding.orgnr)
    w.el(root, "meldingskategori", melding.category)
    _remark(w, root, melding.remark)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_envelope(envelope: Envelope) -> bytes:
    w = _Writer(ENVELOPE_NS)
    root = w.el(None, "mvaMeldingInnsending")
    w.el(w.el(root, "norskIdentifikator"), "organisasjonsnummer", envelope.orgnr)
    w.period(root, envelope.year, envelope.period)
    w.el(root, "meldingskategori", envelope.category)
    w.el(root, "innsendingstype", "komplett" if envelope.complete else "ikke komplett")
    w.el(root, "opprettetAv", envelope.created_by)
    w.el(root, "opprettingstidspunkt", envelope.created_at.isoformat(timespec="seconds"))
    attachment = w.el(root, "vedlegg")
    w.el(attachment, "vedleggstype", "mva-melding")
    w.el(attachment, "kildegruppe", "sluttbrukersystem")
    w.el(attachment, "opprettetAv", envelope.created_by)
    w.el(attachment, "opprettingstidspunkt", envelope.created_at.isoformat(timespec="seconds"))
    stem, _dot, extension = envelope.melding_file.rpartition(".")
    file = w.el(attachment, "vedleggsfil")
    w.el(file, "filnavn", stem or envelope.melding_file)
    w.el(file, "filekstensjon", extension or "xml")
    w.el(file, "filinnhold", envelope.melding_file)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
