"""Splitting one SIE 1-4 line into fields (the general path; the reader has a fast path).

A field is a string, or a tuple of strings for an object list {...}
(flat: dimension, object, dimension, object ...). Rules (spec §5): fields are
separated by blanks or TABs; any field may be quoted; inside quotes, \\" is a
quote and nothing else is an escape (C:\\dir stays as is).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

Field = str | tuple[str, ...]

_TOKEN = re.compile(
    r'"((?:\\"|[^"])*)"'  # 1 quoted string; backtracking lets "C:\dir\" end with a backslash
    r'|\{((?:"(?:\\"|[^"])*"|[^"}])*)\}'  # 2 object list, quoted members may hold a }
    r'|([^\s"{}]+)'  # 3 bare word
    r'|(")'  # 4 unterminated quote: the rest of the line is the value
    r"|(\{)"  # 5 unterminated object list
    r"|(\})"  # 6 stray brace
)
_LIST_TOKEN = re.compile(r'"((?:\\"|[^"])*)"|([^\s"]+)|(")')
_AMOUNT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # [0-9], not \\d: no Unicode digits


def split_fields(line: str) -> tuple[list[Field], str]:
    """Fields of a line, and a warning message ("" if the line was well-formed)."""
    fields: list[Field] = []
    issue = ""
    for match in _TOKEN.finditer(line):
        kind = match.lastindex
        if kind == 1:
            fields.append(match.group(1).replace('\\"', '"'))
        elif kind == 3:
            fields.append(match.group(3))
        elif kind == 2:
            fields.append(split_object_list(match.group(2)))
        elif kind == 4:
            fields.append(line[match.end() :].rstrip("\r\n").replace('\\"', '"'))
            return fields, "unterminated quoted field"
        elif kind == 5:
            fields.append(split_object_list(line[match.end() :]))
            return fields, "unterminated object list (missing })"
        else:
            issue = "stray } ignored"
    return fields, issue


def split_object_list(inner: str) -> tuple[str, ...]:
    out = []
    for match in _LIST_TOKEN.finditer(inner):
        if match.lastindex == 1:
            out.append(match.group(1).replace('\\"', '"'))
        elif match.lastindex == 2:
            out.append(match.group(2))
        else:
            out.append(inner[match.end() :].strip())
            break
    return tuple(out)


def pairs(flat: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
    """(dim, obj) pairs of an object list, or None when the count is odd."""
    if len(flat) % 2:
        return None
    return tuple(zip(flat[::2], flat[1::2], strict=True))


def parse_amount(text: str) -> Decimal | None:
    """SIE amount: optional '-', digits, '.' and decimals. None if not one."""
    if not _AMOUNT.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex already rules this out
        return None


def parse_date(text: str) -> date | None:
    """ÅÅÅÅMMDD -> date, None if malformed."""
    if len(text) != 8 or not text.isdigit() or not text.isascii():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def parse_int(text: str) -> int | None:
    text = text.strip()
    body = text[1:] if text[:1] in "+-" else text
    if not body.isdigit() or not body.isascii():
        return None
    return int(text)
