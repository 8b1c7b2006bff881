"""The SIE library's problems in the user's language.

The library (pure, English) gives each problem a stable code and the values it found
(`params`); here each code has a translated text. A problem is stored as
{"line", "message", "code", "params"} and rendered again at display time
(`{{ warning|sie_problem }}`), so every reader sees it in their own language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

_TEXTS: dict[str, Callable[[], str]] = {
    # errors
    "bad-amount": lambda: _("invalid amount"),
    "bad-date": lambda: _("invalid date"),
    "bad-year": lambda: _("invalid fiscal year"),
    "bad-period": lambda: _("invalid period"),
    "bad-type": lambda: _("unknown SIE type"),
    "missing-field": lambda: _("a required field is missing"),
    "missing-objects": lambda: _("the object list {…} is missing"),
    "unclosed-voucher": lambda: _("a voucher is not closed with }"),
    "stray-brace": lambda: _("a brace without a voucher"),
    "row-outside-voucher": lambda: _("a transaction outside a voucher"),
    "checksum-mismatch": lambda: _(
        "the checksum (#KSUMMA) does not match: the file is damaged or was changed"
    ),
    "truncated": lambda: _("the file is truncated"),
    "xml": lambda: _("the SIE 5 file is not well-formed XML"),
    # warnings
    "encoding": lambda: _("the file's declared character set does not match its content"),
    "latin1-byte": lambda: _("characters in Latin-1 were read as CP437; check å, ä and ö"),
    "format": lambda: _("#FORMAT is missing or not PC8"),
    "missing-type": lambda: _("#SIETYP is missing"),
    "undeclared-account": lambda: _("an account is used before its #KONTO"),
    "undeclared-dimension": lambda: _("an object's dimension is not declared (#DIM)"),
    "unknown-label": lambda: _("an unknown record was ignored"),
    "not-a-record": lambda: _("a line that is not a #record was ignored"),
    "syntax": lambda: _("a line was read with a syntax error corrected"),
    "no-rows-block": lambda: _("a voucher without rows { }"),
    "checksum": lambda: _("records outside the checksum (#KSUMMA)"),
    "bad-quantity": lambda: _("an invalid quantity was ignored"),
    "bad-flag": lambda: _("#FLAGGA should be 0 or 1"),
    "duplicate": lambda: _("a record was declared twice; the last one is used"),
    "rtrans": lambda: _("#RTRANS without its #TRANS is kept as history only"),
    "truncated-log": lambda: _("further problems were not kept"),
}

_NOT_SIE: dict[str, Callable[[], str]] = {
    "empty": lambda: _("The file is empty."),
    "pdf": lambda: _("This is a PDF document, not a SIE file."),
    "xlsx": lambda: _(
        "This is an Excel spreadsheet (.xlsx), not a SIE file. Export the ledger as SIE 4 instead."
    ),
    "ods": lambda: _("This is an OpenDocument spreadsheet (.ods), not a SIE file."),
    "docx": lambda: _("This is a Word document (.docx), not a SIE file."),
    "zip": lambda: _("This is a ZIP archive, not a SIE file. Unpack it and upload the SIE file inside."),
    "xls": lambda: _("This is an old Excel spreadsheet (.xls) or Word document (.doc), not a SIE file."),
    "utf16": lambda: _("This is UTF-16 text. SIE files are saved as CP437 (PC8) or UTF-8."),
    "html": lambda: _("This is a web page (HTML), not a SIE file."),
    "image": lambda: _("This is an image, not a SIE file."),
    "gzip": lambda: _("This is a compressed (gzip) file. Unpack it and upload the SIE file inside."),
    "binary": lambda: _("This is a binary file, not a SIE file (which is text)."),
    "text": lambda: _("This text file contains no SIE records (#FLAGGA, #VER …)."),
}


def describe(code: str, params: Mapping[str, Any], fallback: str) -> str:
    """One problem's text (without its line number) in the active language."""
    if code == "not-sie" and params.get("kind") in _NOT_SIE:
        return _NOT_SIE[params["kind"]]()
    if code == "unbalanced" and "voucher" in params:
        return _("the voucher %(voucher)s does not balance (difference %(sum)s)") % {
            "voucher": params["voucher"],
            "sum": params.get("sum", "?"),
        }
    text = _TEXTS.get(code)
    if text is None:
        return fallback
    found = " ".join(str(params[key]) for key in ("label", "value") if params.get(key))
    return f"{text()} ({found})" if found else text()


def stored(
    line: int, message: str, code: str = "", params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A problem as kept on a fiscal year or an import job (rendered again by `sie_problem`)."""
    entry: dict[str, Any] = {"line": line, "message": message}
    if code:
        entry["code"] = code
        entry["params"] = dict(params or {})
    return entry


def render(entry: Mapping[str, Any]) -> str:
    code = entry.get("code")
    if not code:
        return str(entry.get("message", ""))
    return describe(code, entry.get("params") or {}, str(entry.get("message", "")))
