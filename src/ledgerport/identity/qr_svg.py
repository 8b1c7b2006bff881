"""QR codes drawn on the server as inline SVG (segno): BankID's animated code, TOTP enrolment."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(content: str, title: str) -> SafeString | str:
    if not content:
        return ""
    svg = segno.make_qr(content).svg_inline(scale=4, border=2, omitsize=True, title=title)
    return mark_safe(svg)  # noqa: S308 - segno's own markup; segno escapes the title
