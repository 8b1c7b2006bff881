"""Reading a melding back into the dataclasses (a stored snapshot, a file from elsewhere)."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from .build import MELDING_NS
from .model import Line, Melding, Problem
from .validate import Unreadable, line_of, local, parse


def _find(node: etree._Element, path: str) -> etree._Element | None:
    return node.find("/".join(f"{{{MELDING_NS}}}{part}" for part in path.split("/")))


def _text(node: etree._Element, path: str) -> str:
    found = _find(node, path)
    return (found.text or "").strip() if found is not None else ""


def _optional_amount(node: etree._Element, path: str) -> Decimal | None:
    text = _text(node, path)
    return Decimal(text) if text else None


def read_melding(xml: bytes) -> Melding:
    """The melding's values (validate first: this assumes a valid document). Raises Unreadable."""
    root = parse(xml)
    if local(root) != "mvaMeldingDto":
        raise Unreadable(Problem(line_of(root), "/" + local(root), "ikke en mva-melding", "xml"))
    figures = _find(root, "skattegrunnlagOgBeregnetSkatt")
    assert figures is not None
    period_node = _find(figures, "skattleggingsperiode/periode")
    assert period_node is not None
    element = next(child for child in period_node if isinstance(child.tag, str))
    lines = tuple(
        Line(
            code=_text(node, "mvaKode"),
            vat=Decimal(_text(node, "merverdiavgift")),
            base=_optional_amount(node, "grunnlag"),
            rate=_text(node, "sats") or None,
            own_code=_text(node, "mvaKodeRegnskapsystem"),
            specification=_text(node, "spesifikasjon"),
            remark=_text(node, "merknad/beskrivelse"),
        )
        for node in figures.findall(f"{{{MELDING_NS}}}mvaSpesifikasjonslinje")
    )
    return Melding(
        orgnr=_text(root, "skattepliktig/organisasjonsnummer"),
        year=int(_text(figures, "skattleggingsperiode/aar")),
        period=(local(element), (element.text or "").strip()),
        lines=lines,
        reference=_text(root, "innsending/regnskapssystemsreferanse"),
        system_name=_text(root, "innsending/regnskapssystem/systemnavn"),
        system_version=_text(root, "innsending/regnskapssystem/systemversjon"),
        category=_text(root, "meldingskategori"),
        kid=_text(root, "betalingsinformasjon/kundeIdentifikasjonsnummer"),
        remark=_text(root, "merknad/beskrivelse"),
    )
