"""#KSUMMA (spec §10): CRC-32 over the content of the records between the two #KSUMMA records.

Per record, in file order: the label (with '#') and each field's content,
nothing in between; no blanks, quotes, braces or line breaks; the members of
object lists are included; \\" counts as one ". Bytes are CP437. The CRC is
the ordinary zlib CRC-32. The declared value may be signed or unsigned.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from .lexer import Field


def record_bytes(label: str, fields: Iterable[Field]) -> bytes:
    parts = [label]
    for item in fields:
        if isinstance(item, str):
            parts.append(item)
        else:
            parts.extend(item)
    return "".join(parts).encode("cp437", "replace")


def update(crc: int, label: str, fields: Iterable[Field]) -> int:
    return zlib.crc32(record_bytes(label, fields), crc)


def matches(declared: int, computed: int) -> bool:
    """Accept the unsigned (3130188017) and the signed int32 (-1164779279) spelling."""
    return declared % (1 << 32) == computed % (1 << 32)
