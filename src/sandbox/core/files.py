"""Small, valid, deterministic documents without heavy dependencies: PDF, PNG and baseline JPEG."""

from __future__ import annotations

import random
import struct
import zlib

# --------------------------------------------------------------------------- PDF


def _pdf_escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(lines: list[str], *, title: str = "") -> bytes:
    """A one-page A4 PDF with the given text lines (Helvetica, WinAnsi so åäö render)."""
    content = bytearray(b"BT\n/F1 16 Tf\n56 780 Td\n")
    for i, line in enumerate(lines):
        if i == 1:
            content += b"/F1 11 Tf\n"
        content += b"(" + _pdf_escape(line) + b") Tj\n0 -20 Td\n"
    content += b"ET\n"
    info = (
        b"<< /Title ("
        + _pdf_escape(title or (lines[0] if lines else ""))
        + b") /Producer (Ledgerport sandbox) >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + bytes(content) + b"endstream",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


# --------------------------------------------------------------------------- PNG


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _receipt_pixels(width: int, height: int, seed: str) -> list[list[int]]:
    """Grey levels that look vaguely like a scanned receipt: paper, text lines, a total bar."""
    rng = random.Random(seed)
    paper = rng.randint(236, 250)
    rows = [[paper] * width for _ in range(height)]
    y = 6
    while y < height - 10:
        length = rng.randint(width // 3, width - 12)
        ink = rng.randint(40, 90)
        for yy in range(y, min(y + 3, height)):
            for x in range(6, 6 + length):
                if rng.random() < 0.85:
                    rows[yy][x] = ink
        y += rng.randint(7, 11)
    for yy in range(height - 8, height - 4):
        for x in range(width // 2, width - 6):
            rows[yy][x] = 20
    return rows


def make_png(seed: str, width: int = 96, height: int = 128) -> bytes:
    """An 8-bit greyscale PNG (deterministic for a given seed)."""
    pixels = _receipt_pixels(width, height, seed)
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    text = _png_chunk(b"tEXt", b"Comment\x00" + seed.encode("latin-1", errors="replace"))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + text
        + _png_chunk(b"IDAT", zlib.compress(raw, 9))
        + _png_chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- JPEG (baseline, DC only)

_DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
_DC_VALS = list(range(12))


def _huffman_codes(bits: list[int], vals: list[int]) -> dict[int, tuple[int, int]]:
    codes: dict[int, tuple[int, int]] = {}
    code = 0
    k = 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def write(self, value: int, length: int) -> None:
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc = 0
                self.n = 0

    def flush(self) -> bytes:
        while self.n:
            self.write(1, 1)
        return bytes(self.out)


def make_jpeg(seed: str, width: int = 64, height: int = 80) -> bytes:
    """A baseline greyscale JPEG whose 8x8 blocks are flat (only DC coefficients, AC = EOB)."""
    width -= width % 8
    height -= height % 8
    pixels = _receipt_pixels(width, height, seed)
    dc_codes = _huffman_codes(_DC_BITS, _DC_VALS)
    bw = _BitWriter()
    prev = 0
    for by in range(0, height, 8):
        for bx in range(0, width, 8):
            total = sum(pixels[y][x] for y in range(by, by + 8) for x in range(bx, bx + 8))
            level = round(total / 64) - 128
            dc = 8 * level  # DCT of a flat block; quantiser is 1
            diff = dc - prev
            prev = dc
            category = abs(diff).bit_length()
            code, length = dc_codes[category]
            bw.write(code, length)
            if category:
                bw.write(diff if diff > 0 else diff + (1 << category) - 1, category)
            bw.write(0, 1)  # EOB, the only AC symbol (code "0")
    scan = bw.flush()

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    comment = seed.encode("latin-1", errors="replace")[:200]
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xFE, comment)
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALS))
        + segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + scan
        + b"\xff\xd9"
    )


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}


def render(kind: str, seed: str, lines: list[str]) -> bytes:
    if kind == "pdf":
        return make_pdf(lines)
    if kind == "png":
        return make_png(seed)
    if kind == "jpeg":
        return make_jpeg(seed)
    raise ValueError(kind)
