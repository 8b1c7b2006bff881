"""Validating a melding or an envelope: the XSD, then the rules we can check without the
authority's service. Every problem names the XML line, the element's path and the reason.

Parsing is safe: no DTD (a document with a DOCTYPE is refused), no entities, no network.
An envelope written without a namespace (Skatteetaten's own examples are) is read as if in
the schema's namespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from . import codes
from .build import ENVELOPE_NS, MELDING_NS
from .model import Problem

XSD_DIR = Path(__file__).with_name("xsd")
SCHEMAS = {
    MELDING_NS: "melding.xsd",
    ENVELOPE_NS: "konvolutt.xsd",
    "no:skatteetaten:fastsetting:avgift:mva:valideringsresultat:v1": "valideringsresultat.xsd",
    "no:skatteetaten:fastsetting:avgift:mva:skattemeldingformerverdiavgift:betalingsinformasjon:v1.0": (
        "betalingsinformasjon.xsd"
    ),
}
ROOTS = {
    "mvaMeldingDto": MELDING_NS,
    "mvaMeldingInnsending": ENVELOPE_NS,
    "valideringsresultat": "no:skatteetaten:fastsetting:avgift:mva:valideringsresultat:v1",
    "betalingsinformasjon": (
        "no:skatteetaten:fastsetting:avgift:mva:skattemeldingformerverdiavgift:betalingsinformasjon:v1.0"
    ),
}
MAX_BYTES = 20 << 20


class Unreadable(ValueError):
    """Not a document we can read: broken XML, a DTD, or an unknown root."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@cache
def schema(namespace: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / SCHEMAS[namespace]), _parser()))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def line_of(node: Any) -> int:
    """The element's line (lxml's stubs type sourceline oddly)."""
    return int(node.sourceline or 0)


def local(node: etree._Element) -> str:
    return etree.QName(node).localname


def path_of(element: etree._Element) -> str:
    """/mvaMeldingDto/skattegrunnlagOgBeregnetSkatt/mvaSpesifikasjonslinje[3]/sats"""
    parts = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        name = local(node)
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and local(c) == name]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


def parse(xml: bytes) -> etree._Element:
    """The document's root, namespaced as its schema expects. Raises Unreadable."""
    if len(xml) > MAX_BYTES:
        raise Unreadable(Problem(0, "/", f"filen er større enn {MAX_BYTES >> 20} MB", "size"))
    try:
        tree = etree.fromstring(xml, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise Unreadable(Problem(int(exc.lineno or 0), "/", f"ikke gyldig XML: {exc.msg}", "xml")) from None
    if getattr(tree.docinfo, "doctype", ""):
        raise Unreadable(Problem(1, "/", "DOCTYPE er ikke tillatt", "xml"))
    root = tree.getroot()
    name = local(root)
    if name not in ROOTS:
        raise Unreadable(Problem(line_of(root), "/" + name, f"ukjent rotelement {name}", "xml"))
    if etree.QName(root).namespace is None:
        _namespace(root, ROOTS[name])
    return root


def _namespace(root: etree._Element, namespace: str) -> None:
    for node in root.iter():
        if isinstance(node.tag, str) and etree.QName(node).namespace is None:
            node.tag = f"{{{namespace}}}{node.tag}"


def validate(xml: bytes) -> list[Problem]:
    """Every problem of a melding or envelope (also the feedback files: XSD only); [] = valid."""
    try:
        root = parse(xml)
    except Unreadable as exc:
        return [exc.problem]
    return validate_tree(root)


def validate_tree(root: etree._Element) -> list[Problem]:
    namespace = etree.QName(root).namespace or ""
    if namespace not in SCHEMAS:
        return [Problem(line_of(root), "/" + local(root), f"ukjent navnerom {namespace!r}", "xml")]
    xsd = schema(namespace)
    # Validate a copy, so line numbers of the original are kept and the copy's are the same.
    problems = []
    if not xsd.validate(root):
        for error in list(xsd.error_log):  # type: ignore[call-overload]
            problems.append(Problem(error.line, _error_path(root, error), error.message, "xsd"))
    if namespace == MELDING_NS:
        problems += list(_melding_rules(root))
    return sorted(problems, key=lambda p: (p.line, p.path))


def _error_path(root: etree._Element, error: etree._LogEntry) -> str:
    for node in root.iter():
        if isinstance(node.tag, str) and node.sourceline == error.line:
            return path_of(node)
    return error.path or "/"


def _child(node: etree._Element, name: str) -> etree._Element | None:
    return node.find(f"{{{MELDING_NS}}}{name}")


def _amount(node: etree._Element | None) -> Decimal | None:
    if node is None:
        return None
    try:
        return Decimal((node.text or "").strip())
    except InvalidOperation:
        return None  # the XSD reports it


def _whole(node: etree._Element | None) -> Iterator[Problem]:
    value = _amount(node)
    if node is not None and value is not None and value != value.to_integral_value():
        yield Problem(line_of(node), path_of(node), f"beløpet {node.text} er ikke i hele kroner", "R082")


def _melding_rules(root: etree._Element) -> Iterator[Problem]:
    figures = _child(root, "skattegrunnlagOgBeregnetSkatt")
    if figures is None:
        return
    category_node = _child(root, "meldingskategori")
    category = (category_node.text or "").strip() if category_node is not None else ""
    total_node = _child(figures, "fastsattMerverdiavgift")
    yield from _whole(total_node)
    lines = figures.findall(f"{{{MELDING_NS}}}mvaSpesifikasjonslinje")
    vat_sum = Decimal(0)
    for line in lines:
        vat = _amount(_child(line, "merverdiavgift"))
        vat_sum += vat or 0
        yield from _line_rules(line, category)
    total = _amount(total_node)
    if total_node is not None and total is not None and total != vat_sum:
        yield Problem(
            line_of(total_node),
            path_of(total_node),
            f"fastsattMerverdiavgift {total} er ikke summen av merverdiavgift i linjene ({vat_sum})",
            "sum",
        )


def _line_rules(line: etree._Element, category: str) -> Iterator[Problem]:
    here = line_of(line)
    where = path_of(line)
    code_node = _child(line, "mvaKode")
    base_node = _child(line, "grunnlag")
    rate_node = _child(line, "sats")
    vat_node = _child(line, "merverdiavgift")
    spec_node = _child(line, "spesifikasjon")
    for node in (base_node, vat_node):
        yield from _whole(node)
    code_text = (code_node.text or "").strip() if code_node is not None else ""
    if code_text in codes.NOT_REPORTED:
        yield Problem(
            here, where + "/mvaKode", f"mva-kode {code_text} skal ikke rapporteres i mva-meldingen", "code"
        )
        return
    code = codes.code_list().get(code_text)
    if code is None:
        yield Problem(here, where + "/mvaKode", f"mva-kode {code_text!r} finnes ikke i kodelisten", "code")
        return
    spec = (spec_node.text or "").strip() if spec_node is not None else ""
    if spec:
        if spec not in codes.specifications():
            yield Problem(
                here, where + "/spesifikasjon", f"spesifikasjon {spec!r} finnes ikke i kodelisten", "spec"
            )
        elif codes.SPECIFICATION_FLAGS[spec] not in code.flags:
            yield Problem(
                here,
                where + "/spesifikasjon",
                f"spesifikasjon {spec} er ikke tillatt for mva-kode {code.code}",
                "spec",
            )
    rate = (rate_node.text or "").strip() if rate_node is not None else None
    if rate is not None and rate not in codes.allowed_rates(code):
        allowed = ", ".join(sorted(codes.allowed_rates(code))) or "ingen"
        yield Problem(
            here,
            where + "/sats",
            f"sats {rate} passer ikke til mva-kode {code.code} (tillatt: {allowed})",
            "rate",
        )
    if spec:
        return  # the specified cases (uttak, tap på krav, justering, …) have shapes of their own
    if code.direction == "input" and base_node is not None and category != "kompensasjon":
        # (a sats alone is accepted: Skatteetaten's successful feedback example has one)
        yield Problem(
            here, where + "/grunnlag", f"mva-kode {code.code} (fradrag) skal ikke ha grunnlag", "shape"
        )
    if code.direction == "output" and (base_node is None or rate_node is None):
        yield Problem(here, where, f"mva-kode {code.code} skal ha grunnlag og sats", "shape")
    vat = _amount(vat_node)
    if code.zero_rated and code.direction == "output" and vat not in (None, Decimal(0)):
        yield Problem(
            here,
            where + "/merverdiavgift",
            f"mva-kode {code.code} har sats 0: merverdiavgift skal være 0",
            "shape",
        )
