"""Bytes -> lines of text, chunk by chunk, with encoding detection.

SIE 1-4 is CP437 by spec, but real files are also UTF-8 (declaring PC8) and
CP437 files carry stray Latin-1 bytes. Rules: a UTF-8 BOM means UTF-8; else
the first chunk containing a non-ASCII byte decides (valid UTF-8 -> UTF-8,
otherwise CP437). CP437 maps all 256 bytes, so decoding never fails, and
encoding back to CP437 gives the original bytes (object numbers stay opaque).
A line that is not valid UTF-8 in a UTF-8 file falls back to CP437.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, cast

from .problems import ProblemLog

CHUNK_SIZE = 1 << 22
MAX_LINE = 1 << 24  # a "line" this long without LF is cut, so memory stays bounded
UTF8_BOM = b"\xef\xbb\xbf"
MAX_LATIN1_WARNINGS = 20

# Latin-1 å ä ö Å Ä Ö é decoded as CP437 (0xE5 0xE4 0xF6 0xC5 0xC4 0xD6 0xE9).
_LATIN1_CHARS = "σΣ÷┼─╓Θ"
_LATIN1_AS_CP437 = re.compile(f"[{_LATIN1_CHARS}]")

# The CP437 bytes whose character is below U+0100 (the Nordic letters among them) and that
# character's Latin-1 byte: text without the other bytes decodes as a table look-up and a
# copy (bytes.translate, then Latin-1), about twice as fast as the charmap codec.
_CP437 = bytes(range(256)).decode("cp437")
_NARROW = bytes(byte for byte in range(256) if ord(_CP437[byte]) < 256)
_TO_LATIN1 = bytes(ord(char) if ord(char) < 256 else 0 for char in _CP437)


def decode_cp437(raw: bytes) -> str:
    """raw.decode("cp437"), faster for the usual Nordic text."""
    if raw.translate(None, _NARROW):  # a box-drawing, Greek or other wide character
        return raw.decode("cp437")
    return raw.translate(_TO_LATIN1).decode("latin-1")


class LineDecoder:
    """Yields lists of decoded lines (without line terminators; a CR may remain)."""

    def __init__(self, stream: BinaryIO, log: ProblemLog, prefix: bytes = b"") -> None:
        self._stream = stream
        self._log = log
        self._prefix = prefix
        self.encoding: str | None = None  # "utf-8" | "cp437" once decided
        self.bom = False
        self._latin1_warnings = 0
        # texts(): the number of the next chunk's first line, which its reader sets as it
        # goes (counting the newlines here again cost a pass over the whole file)
        self.next_line = 1

    @property
    def name(self) -> str:
        return self.encoding or "ascii"

    def chunks(self) -> Iterator[list[str]]:
        for lines in self._chunks(split=True):
            yield cast(list[str], lines)

    def texts(self) -> Iterator[str]:
        """The same, each chunk's lines as one text (to split at "\n"). Before taking the
        next text, the caller sets next_line (for the lines of the warnings decoding gives)."""
        for text in self._chunks(split=False):
            yield cast(str, text)

    def _chunks(self, *, split: bool) -> Iterator[list[str] | str]:
        buf = self._prefix or self._stream.read(CHUNK_SIZE)
        self._prefix = b""
        if buf.startswith(UTF8_BOM):
            buf = buf[3:]
            self.bom = True
            self.encoding = "utf-8"
        line_no = 1
        while True:
            data = self._stream.read(CHUNK_SIZE) if buf.rfind(b"\n") < 0 else b""
            if data:
                buf += data
                if buf.rfind(b"\n") < 0 and len(buf) < MAX_LINE:
                    continue
            elif not buf:
                return
            cut = buf.rfind(b"\n")
            if cut < 0:  # end of file (or an absurdly long line): the rest is one line
                raw, buf = buf, b""
            else:
                raw, buf = buf[:cut], buf[cut + 1 :]
            if split:
                lines = self._decode(raw, line_no).split("\n")
                line_no += len(lines)
                yield lines
            else:
                yield self._decode(raw, self.next_line)

    def _decode(self, raw: bytes, line_no: int) -> str:
        if raw.isascii():
            return raw.decode("ascii")
        if self.encoding is None:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.encoding = "cp437"
            else:
                self.encoding = "utf-8"
                return text
        if self.encoding == "cp437":
            text = decode_cp437(raw)
            # `in` is a memchr per character; the regex scan only when one is there.
            if self._latin1_warnings < MAX_LATIN1_WARNINGS and any(c in text for c in _LATIN1_CHARS):
                self._check_latin1(text, line_no)
            return text
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._decode_mixed(raw, line_no)

    def _decode_mixed(self, raw: bytes, line_no: int) -> str:
        out = []
        for offset, line in enumerate(raw.split(b"\n")):
            try:
                out.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(line.decode("cp437"))
                self._log.warn(
                    line_no + offset, "line is not valid UTF-8 (file is UTF-8); read as CP437", "encoding"
                )
        return "\n".join(out)

    def _check_latin1(self, text: str, line_no: int) -> None:
        pos = 0
        for match in _LATIN1_AS_CP437.finditer(text):
            line_no += text.count("\n", pos, match.start())
            pos = match.start()
            char = match.group()
            byte = char.encode("cp437")
            self._log.warn(
                line_no,
                f"byte 0x{byte[0]:02X} reads as {char!r} in CP437 but looks like Latin-1 "
                f"{byte.decode('latin-1')!r}; kept as CP437",
                "latin1-byte",
            )
            self._latin1_warnings += 1
            if self._latin1_warnings >= MAX_LATIN1_WARNINGS:
                return
