"""The authority's feedback files: the validation result (valideringsresultat) and the payment
information (betalingsinformasjon). Both are checked against their XSD first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from .model import Deviation, PaymentInfo, ValidationResult
from .validate import ROOTS, Unreadable, local, parse, validate_tree


class FeedbackInvalid(ValueError):
    pass


def _checked(xml: bytes, root_name: str) -> etree._Element:
    try:
        root = parse(xml)
    except Unreadable as exc:
        raise FeedbackInvalid(str(exc)) from None
    if local(root) != root_name:
        raise FeedbackInvalid(f"expected {root_name}, got {local(root)}")
    problems = validate_tree(root)
    if problems:
        raise FeedbackInvalid("; ".join(str(p) for p in problems[:5]))
    return root


def _text(node: etree._Element, path: str, ns: str) -> str:
    found = node.find("/".join(f"{{{ns}}}{part}" for part in path.split("/")))
    return (found.text or "").strip() if found is not None else ""


def parse_validation_result(xml: bytes) -> ValidationResult:
    root = _checked(xml, "valideringsresultat")
    ns = ROOTS["valideringsresultat"]
    deviations = []
    for node in root.findall(f"{{{ns}}}avvik"):
        line = _text(node, "xmlLinjenummer", ns)
        reasons = tuple(
            (_text(info, "avvikKode", ns), _text(info, "avvikstype", ns), _text(info, "begrunnelse", ns))
            for info in node.findall(f"{{{ns}}}avviksinformasjon")
        )
        deviations.append(
            Deviation(
                path=_text(node, "stiTilAvvik", ns),
                code=_text(node, "mvaKode", ns),
                line=int(line) if line else None,
                reasons=reasons,
            )
        )
    return ValidationResult(status=_text(root, "avvikVedMeldingslevering", ns), deviations=tuple(deviations))


def parse_payment_info(xml: bytes) -> PaymentInfo:
    root = _checked(xml, "betalingsinformasjon")
    ns = ROOTS["betalingsinformasjon"]
    return PaymentInfo(
        reference=_text(root, "innsendingsreferanse", ns),
        orgnr=_text(root, "skattepliktig/organisasjonsnummer", ns),
        kid=_text(root, "kundeidentifikasjonsnummer", ns),
        amount=Decimal(_text(root, "beloep", ns)),
        due_date=dt.date.fromisoformat(_text(root, "betalingsfrist", ns)),
        account=_text(root, "betalesTilKonto/norskKontonummer", ns),
        pay_to=_text(root, "betaleTil", ns),
        iban=_text(root, "betalesTilKonto/IBAN", ns),
        bic=_text(root, "betalesTilKonto/swiftBIC", ns),
        information=_text(root, "informasjon", ns),
    )
