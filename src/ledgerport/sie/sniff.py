"""What a file is when it is plainly not SIE, from its first bytes (an upload's usual mistakes).

`sniff(prefix)` answers a stable kind (see DESCRIPTIONS) or None for anything that may be
SIE: SIE 1-4 is text of #records, SIE 5 is XML. Only certainties are answered, so a real
SIE file is never refused here; everything else is left to the reader.
"""

from __future__ import annotations

DESCRIPTIONS = {
    "empty": "the file is empty",
    "pdf": "it is a PDF document",
    "xlsx": "it is an Excel spreadsheet (.xlsx)",
    "ods": "it is an OpenDocument spreadsheet (.ods)",
    "docx": "it is a Word document (.docx)",
    "zip": "it is a ZIP archive",
    "xls": "it is an old Excel spreadsheet (.xls) or Word document (.doc)",
    "utf16": "it is UTF-16 text (SIE files are CP437 or UTF-8)",
    "html": "it is a web page (HTML)",
    "image": "it is an image",
    "gzip": "it is a compressed (gzip) file",
    "binary": "it is a binary file",
    "text": "it is text without any SIE #records",
}

_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),  # OLE2: .xls, .doc
    (b"\xff\xfe", "utf16"),
    (b"\xfe\xff", "utf16"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
)


def sniff(prefix: bytes) -> str | None:
    head = prefix[:8192]
    if not head.strip():
        return "empty"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        if b"xl/" in head:
            return "xlsx"
        if b"word/" in head:
            return "docx"
        if b"opendocument.spreadsheet" in head:
            return "ods"
        return "zip"
    if head[1:200:2].count(0) > 50 or head[0:200:2].count(0) > 50:
        return "utf16"  # without a BOM: every other byte NUL
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\x0c\x1a")
    if b"\x00" in head or controls > len(head) // 20:
        return "binary"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text[:1] == b"<":
        return "html" if text[:15].lower().startswith((b"<!doctype html", b"<html")) else None
    complete = head if len(prefix) <= len(head) else head[: head.rfind(b"\n") + 1]
    if complete and not any(line.lstrip().startswith(b"#") for line in complete.splitlines()):
        return "text"
    return None
