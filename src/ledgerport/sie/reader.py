"""Streaming SIE reader: header first, then vouchers one at a time, then problems and checksum.

Memory is bounded by one chunk of the file (4 MiB), one voucher, the header
(accounts, objects, balances) and a few bounded caches, whatever the file size.
SIE 5 XML is detected by its first byte and handed to sie5.py.

The fast path has an optional C accelerator (_fastsie.c, built by `make install`): it reads
the simple lines exactly as the Python fast path would and hands every other line back.
Without it (no compiler, or LEDGERPORT_SIE_PURE=1) the reader is pure Python, same results.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, ClassVar, cast

from . import checksum, sie5
from .encoding import CHUNK_SIZE, UTF8_BOM, LineDecoder
from .lexer import Field, pairs, parse_amount, parse_date, split_fields, split_object_list
from .model import (
    ChangeKind,
    ChecksumStatus,
    ObjectRef,
    Problem,
    Row,
    RowChange,
    SieDocument,
    SieHeader,
    Voucher,
)
from .problems import ProblemLog
from .records import HANDLERS, HeaderBuilder, text
from .sniff import DESCRIPTIONS, sniff

if TYPE_CHECKING:
    from ._fastsie import Scanner

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

ZERO = Decimal(0)
NO_OBJECTS: tuple[ObjectRef, ...] = ()
CACHE_LIMIT = 50_000  # per cache; cleared when full, so memory stays bounded
ROW_LABELS = ("#TRANS", "#RTRANS", "#BTRANS")


def pure_python_requested() -> bool:
    """LEDGERPORT_SIE_PURE=1: the import's C accelerators (this scanner, the loader's row
    formatter) stay unused, e.g. to compare or to rule them out."""
    return os.environ.get("LEDGERPORT_SIE_PURE", "") not in ("", "0")


def _load_scanner() -> type[Scanner] | None:
    """The optional C accelerator (_fastsie.c, built by `make install`)."""
    if pure_python_requested():
        return None
    try:
        from ._fastsie import Scanner
    except ImportError:
        return None
    return Scanner


SCANNER = _load_scanner()


def _voucher_slots() -> tuple[str, ...] | None:
    """Voucher's fields in __init__ order if its __init__ only assigns them (the generated one).

    The C scanner then fills the slots itself, which is what that __init__ does (~0.5 µs less
    per voucher); it checks that each name is a writable slot of Voucher.
    """
    params = getattr(Voucher, "__dataclass_params__", None)
    if (
        params is None
        or not params.init
        or params.frozen
        or hasattr(Voucher, "__post_init__")
        or Voucher.__init__.__code__.co_filename != "<string>"  # dataclasses' exec'd __init__
        or Voucher.__setattr__ is not object.__setattr__
    ):
        return None
    names = tuple(f.name for f in fields(Voucher) if f.init)
    return names if len(names) == 10 and len(fields(Voucher)) == 10 else None


_VOUCHER_SLOTS = _voucher_slots()


_UNKNOWN = object()  # not in a cache (whose values may be None)


class _Slow(Exception):
    """Internal: the fast path gives up on a line; the general path re-reads it."""


_new_tuple = tuple.__new__
# Decimal(text) is exact whatever the precision; this context also raises on a malformed
# amount whatever the caller's current context says.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation])
AMOUNT_CHARS = "0123456789.-"

# The fast path's matchers for #VER lines with quoted fields and for the heads of row lines:
# one fullmatch splits the text the way the tokenizer (lexer._TOKEN) would, or fails and the
# general path reads the line. A field is quoted (group 1: what is inside, \" still escaped) or bare (group 2).
# Possessive: where the tokenizer would backtrack (an unterminated quote ending in \"), it
# fails instead of guessing.
_QUOTED = r'"([^"\\]*+(?:\\"?+[^"\\]*+)*+)"'
_FIELD = r"(?:" + _QUOTED + r'|([^\s"{}]++))'
_END_OF_WORD = r'(?![^\s"{}])'


def _optional_fields(count: int) -> str:
    return (r"(?:\s*+" + _FIELD) * count + r")?" * count


# A row line up to its object list's }: label, account (quoted or bare), the list's inside.
ROW_HEAD = re.compile(
    r"\s*+(#[A-Z]++)"
    + _END_OF_WORD
    + r"\s*+"
    + _FIELD
    + r'\s*+\{((?:[^"}]++|"[^"\\]*+(?:\\"?+[^"\\]*+)*+")*+)\}'
)
# #VER: series, number, date, [text, registered, sign]
VER_FIELDS = re.compile(r"\s*+#VER" + _END_OF_WORD + (r"\s*+" + _FIELD) * 3 + _optional_fields(3) + r"\s*+")

Matcher = Callable[[str], "re.Match[str] | None"]
_SHAPES: dict[tuple[bool, ...], Matcher] = {}


def shaped(matched: re.Match[str]) -> Matcher:
    """A matcher for #VER lines written like the one VER_FIELDS matched: each field quoted
    or bare as there, without the alternatives, one group per field ("" when absent, like a
    trailing field left out). Its matches are VER_FIELDS' matches with the same values,
    found faster; a line written otherwise goes back to VER_FIELDS.
    """
    groups = matched.groups()
    key = tuple(group is not None for group in groups)
    found = _SHAPES.get(key)
    if found is None:
        pattern = r"\s*+#VER" + _END_OF_WORD
        for index in range(0, 12, 2):  # series, number, date, text, registered, sign
            if groups[index] is not None:
                pattern += r"\s*+" + _QUOTED
            elif groups[index + 1] is not None:
                pattern += r'\s*+([^\s"{}]++)'
            else:
                pattern += "()"
        found = _SHAPES[key] = re.compile(pattern + r"\s*+").fullmatch
    return found


def _tail_fields(tail: str) -> list[str]:
    """The fields of the end of a row line as the tokenizer splits them, or _Slow.

    Without a backslash a quote always starts or ends a quoted field, so the text split at
    its quotes holds the quoted fields at odd places, and the rest splits at blanks like a
    plain line (each quoted field marked by a '"' word where it was); with one, the tokenizer.
    """
    if '"' not in tail:
        if "{" in tail or "}" in tail:
            raise _Slow  # the tokenizer cuts words at braces: the general path decides
        return tail.split()
    if "\\" in tail:
        fields, issue = split_fields(tail)
        if issue or not all(isinstance(field, str) for field in fields):
            raise _Slow
        return cast(list[str], fields)
    pieces = tail.split('"')
    between = ' " '.join(pieces[::2])
    if not len(pieces) & 1 or "{" in between or "}" in between:
        raise _Slow  # an unterminated quote, or braces outside quotes
    quoted = iter(pieces[1::2])
    return [next(quoted) if word == '"' else word for word in between.split()]


@dataclass(slots=True)
class ReadStats:
    vouchers: int = 0
    rows: int = 0  # rows in the vouchers' final state (#TRANS)
    unbalanced: int = 0
    changes: int = 0  # #RTRANS + #BTRANS


@dataclass(slots=True, frozen=True)
class ReadResult:
    """What the reader knows after the last voucher."""

    header: SieHeader
    encoding: str
    checksum: ChecksumStatus
    problems: list[Problem]
    stats: ReadStats

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


class _Prefixed(io.RawIOBase):
    """The bytes already sniffed, then the rest of the stream (for the XML parser)."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class SieReader:
    """Streaming reader. See the package docstring for the intended use."""

    # Tests set this to compare the fast path with the general path line for line.
    _fast_disabled = False
    # The C scanner for the fast path (None: pure Python). Tests set it to compare both.
    _scanner: ClassVar[type[Scanner] | None] = SCANNER

    def __init__(self, stream: BinaryIO, *, strict: bool = False, owns_stream: bool = False) -> None:
        self.header = SieHeader()
        self.stats = ReadStats()
        self.checksum: ChecksumStatus = "absent"
        self.strict = strict
        self._log = ProblemLog(strict)
        self._builder = HeaderBuilder(self.header, self._log)
        self._stream = stream
        self._owns_stream = owns_stream
        self._pending: Voucher | None = None
        self._finished = False
        # voucher state shared between the fast loop and the general path
        self._voucher: Voucher | None = None
        self._in_block = False
        self._pending_rtrans: tuple[Row, int] | None = None
        # checksum: 0 = no #KSUMMA yet, 1 = summing, 2 = closed
        self._crc_state = 0
        self._crc = 0
        self._crc_line = 0
        self._after_crc_warned = False
        self._unknown_labels: set[str] = set()
        self._amounts: dict[str, Decimal] = {}
        self._dates: dict[str, date] = {}
        self._objects: dict[str, tuple[ObjectRef, ...]] = {}
        # the pure fast path's row heads (up to the object list's }) and tails (after the amount)
        self._heads: dict[str, tuple[str, str, tuple[ObjectRef, ...]]] = {}
        self._row_dates: dict[str, date | None] = {}  # as written: bare, quoted or ""
        self._tails: dict[str, tuple[str, Decimal | None, str]] = {}  # after the date
        self._accounts: dict[str, str] = {}  # validated bare account numbers, interned
        self._sie5_encoding = ""
        # skip_known(): the C scanner, and the vouchers it did not read (id -> #VER line)
        self._c_scanner: Scanner | None = None
        self.skipped: dict[int, int] = {}

        prefix = stream.read(CHUNK_SIZE)
        self._decoder = LineDecoder(stream, self._log, prefix)
        self.not_sie = sniff(prefix)  # what the file is instead, when it is plainly not SIE
        self._items: Iterator[Voucher]
        if self.not_sie is not None:
            self._items = self._refuse(self.not_sie)
        elif prefix.removeprefix(UTF8_BOM).lstrip()[:1] == b"<":
            self.header.declared_type = "5"
            self._items = self._read_sie5(_Prefixed(prefix, stream))
        else:
            self._items = self._read_sie4()

    def _refuse(self, kind: str) -> Iterator[Voucher]:
        self._log.error(0, f"this is not a SIE file: {DESCRIPTIONS[kind]}", "not-sie", kind=kind)
        self._finished = True
        self._log.finish()
        yield from ()

    @classmethod
    def open(cls, source: Source, *, strict: bool = False) -> SieReader:
        """A path, the file's bytes, or a binary stream (not closed by the reader)."""
        if isinstance(source, bytes | bytearray | memoryview):
            return cls(io.BytesIO(bytes(source)), strict=strict, owns_stream=True)
        if isinstance(source, str | os.PathLike):
            return cls(open(source, "rb"), strict=strict, owns_stream=True)
        return cls(source, strict=strict)

    # --- public API ----------------------------------------------------------------------

    def __enter__(self) -> SieReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_stream:
            self._stream.close()

    def __iter__(self) -> Iterator[Voucher]:
        return self.vouchers()

    def read_header(self) -> SieHeader:
        """Read up to the first voucher (kept for vouchers()). Records after it update the header later."""
        if self._pending is None and not self._finished:
            self._pending = next(self._items, None)
        return self.header

    def skip_known(self, known: dict[int, int], claims: dict[int, int]) -> bool:
        """From here on, do not read the vouchers already stored (a re-import's shortcut).

        `known` maps raw fingerprints (Voucher.raw: a hash of the voucher's text, given by
        the C scanner to a voucher it read whole and clean) to content fingerprints, `claims`
        content fingerprints to stored voucher ids. A voucher whose text hashes to a known raw
        fingerprint whose content fingerprint is still in `claims` is not read or yielded:
        its claim is popped and `self.skipped[id]` is its #VER line (stats count it). Such a
        text, read from between two vouchers, gives that same voucher and no problem, so
        nothing else changes. False (nothing skipped): no C scanner, or a state in which a
        voucher's reading depends on more than its text (a checksum being summed, #SIETYP
        not yet known).
        """
        scanner = self._c_scanner
        if scanner is None or self._crc_state or self.header.declared_type is None or self._fast_disabled:
            return False
        scanner.skip_known(known, claims, self.skipped)
        return True

    @property
    def skipped_rows(self) -> int:
        """The #TRANS rows of the vouchers in `skipped`."""
        return self._c_scanner.skipped_rows if self._c_scanner is not None else 0

    def vouchers(self) -> Iterator[Voucher]:
        """The vouchers, one at a time, in file order. Resumes where a previous call stopped."""
        if self._pending is not None:
            voucher, self._pending = self._pending, None
            yield voucher
        yield from self._items

    def result(self) -> ReadResult:
        """Reads whatever is left (vouchers not consumed are dropped) and reports."""
        for _ in self.vouchers():
            pass
        return ReadResult(self.header, self.encoding, self.checksum, self.problems, self.stats)

    @property
    def encoding(self) -> str:
        return self._sie5_encoding or self._decoder.name

    @property
    def problems(self) -> list[Problem]:
        return self._log.problems

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._log.problems if p.severity == "warning"]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._log.problems if p.severity == "error"]

    @property
    def has_errors(self) -> bool:
        return self._log.has_errors

    # --- SIE 1-4 -------------------------------------------------------------------------

    def _read_sie4(self) -> Iterator[Voucher]:
        # Fast path for the records that make up the bulk of a file: #VER, the braces and
        # #TRANS/#RTRANS/#BTRANS in every shape (sie/shapes.py), with str.split, a split at
        # the quotes or one ROW_FIELDS/VER_FIELDS match, and validated caches. It
        # never decides anything the general path would decide differently: anything
        # unusual raises _Slow (or an IndexError/ValueError/ArithmeticError) and the general
        # path (tokenizer + handlers) reads the line instead. Modes (what may go fast next):
        # 0 nothing, 1 a #VER, 2 the "{" after a #VER, 3 the #TRANS rows and the "}".
        amounts = self._amounts
        dates = self._dates
        object_cache = self._objects
        heads = self._heads
        tails = self._tails
        row_dates = self._row_dates
        accounts = self._accounts
        new_row = _new_tuple
        row_type = Row
        voucher_type = Voucher
        exact_decimal = _EXACT.create_decimal
        match_ver = VER_FIELDS.fullmatch
        ver_like_last: Matcher | None = None
        stats = self.stats
        header = self.header
        line_no = 0
        voucher: Voucher | None = None
        rows: list[Row] = []
        total = ZERO  # of the rows in `rows`
        mode = 0 if self._fast_disabled else 1
        scan = None
        if self._scanner is not None and not self._fast_disabled:
            self._c_scanner = self._scanner(
                accounts,
                dates,
                amounts,
                object_cache,
                exact_decimal,
                row_type,
                voucher_type,
                NO_OBJECTS,
                ZERO,
                CACHE_LIMIT,
                _VOUCHER_SLOTS,
                RowChange,
            )
            scan = self._c_scanner.scan
        # Pure Python: the chunks' lists of lines. With the scanner: their texts, with the
        # lines the scanner stops at cut out one at a time.
        chunks: Iterator[list[str]] | Iterator[str] = (
            self._decoder.chunks() if scan is None else self._decoder.texts()
        )
        for chunk in chunks:
            pos = 0  # where the next line of the chunk starts
            end = len(chunk)
            while pos <= end:
                batch: list[str] | tuple[str]
                if isinstance(chunk, list):
                    batch = chunk
                    pos = end + 1
                else:
                    assert scan is not None
                    # The C scanner takes the simple lines; the line where it stops goes
                    # through the Python code below, then the scanner resumes.
                    if mode and self._pending_rtrans is None:
                        pos, consumed, mode, voucher, scanned_rows, total, done = scan(
                            chunk, pos, line_no, mode, voucher, rows, total
                        )
                        if consumed:
                            line_no += consumed
                            self._voucher = voucher
                            self._in_block = mode == 3
                            if scanned_rows is not None:
                                rows = scanned_rows
                            for finished in done:  # _close() for a balanced voucher, as below
                                stats.vouchers += 1
                                stats.rows += len(finished.rows)
                                stats.changes += len(finished.changes)
                                yield finished
                            continue  # (it returns after a few vouchers; else nothing consumed)
                    if mode == 0 and (self._crc_state or self._fast_disabled):
                        batch = chunk[pos:].split("\n")  # the fast paths stay off: no scanner calls
                        pos = end + 1
                    else:
                        cut = chunk.find("\n", pos)
                        if cut < 0:
                            cut = end
                        batch = (chunk[pos:cut],)
                        pos = cut + 1
                for line in batch:
                    line_no += 1
                    try:
                        if mode == 3:  # inside a voucher's rows
                            # A row is its head (label, account, object list: few distinct ones),
                            # its amount, its date and its tail (text, quantity, sign: few
                            # distinct ones too). The line is cut after the object list's } and
                            # at the blanks after the amount and the date; head, date and tail
                            # are read once each (_row_head, _row_date, _row_tail) and cached,
                            # so every way of writing them costs about the same here.
                            head, brace, rest = line.partition("}")
                            found = heads.get(head)
                            if found is None:
                                if (not head or head.isspace()) and (not rest or rest.isspace()):
                                    assert voucher is not None  # the voucher's closing }
                                    if len(amounts) >= CACHE_LIMIT:
                                        amounts.clear()
                                    if total or self._pending_rtrans is not None:
                                        finished = self._close()
                                    else:  # the common case of _close(), inlined
                                        self._voucher = None
                                        self._in_block = False
                                        stats.vouchers += 1
                                        stats.rows += len(rows)
                                        stats.changes += len(voucher.changes)
                                        finished = voucher
                                    voucher = None
                                    mode = 1
                                    yield finished
                                    continue
                                found = self._row_head(head, brace)
                            label, account, objects = found
                            words = rest.split(None, 2)  # amount, date, the rest
                            raw_amount = words[0]
                            amount = amounts.get(raw_amount)
                            if amount is None:
                                amount = self._fast_amount(raw_amount)
                            if len(words) > 1:
                                row_date = row_dates.get(words[1], _UNKNOWN)
                                if row_date is _UNKNOWN:
                                    row_date = self._row_date(words[1])
                                if len(words) > 2:
                                    tail = tails.get(words[2])
                                    if tail is None:
                                        tail = self._row_tail(words[2])
                                    row_text, quantity, sign = tail
                                else:
                                    row_text = ""
                                    quantity = None
                                    sign = ""
                            else:
                                row_date = None
                                row_text = ""
                                quantity = None
                                sign = ""
                            row = new_row(
                                row_type, (account, objects, amount, row_date, row_text, quantity, sign)
                            )
                            if label != "#TRANS":
                                self._fast_change(label, row, line_no)
                                continue
                            pending = self._pending_rtrans
                            if pending is not None:  # the #TRANS after a #RTRANS: identical, or
                                changed = pending[0]  # the general path warns
                                if changed[2] != amount or changed[0] != account or changed[1] != objects:
                                    raise _Slow
                                self._pending_rtrans = None
                            total += amount
                            rows.append(row)
                            continue
                        if mode == 1:  # between vouchers: a #VER starts one
                            if '"' in line:
                                matched = ver_like_last(line) if ver_like_last is not None else None
                                if matched is None:
                                    general = match_ver(line)
                                    if general is None:
                                        raise _Slow
                                    ver_like_last = shaped(general)
                                    matched = ver_like_last(line)
                                    if matched is None:  # (cannot be: it is VER_FIELDS narrowed)
                                        raise _Slow
                                series, number, raw_date, voucher_text, raw_reg, sign = matched.groups()
                                if not raw_date:
                                    raise _Slow
                                if '\\"' in line:
                                    series = series.replace('\\"', '"')
                                    number = number.replace('\\"', '"')
                                    voucher_text = voucher_text.replace('\\"', '"')
                                    sign = sign.replace('\\"', '"')
                            else:
                                parts = line.split()
                                if parts[0] != "#VER" or "{" in line or "}" in line:
                                    raise _Slow
                                n = len(parts)
                                if n > 7:
                                    raise _Slow
                                series = parts[1]
                                number = parts[2]
                                raw_date = parts[3]
                                voucher_text = parts[4] if n > 4 else ""
                                raw_reg = parts[5] if n > 5 else ""
                                sign = parts[6] if n > 6 else ""
                            voucher_date = dates.get(raw_date)
                            if voucher_date is None:
                                voucher_date = self._fast_date(raw_date)
                            registered = None
                            if raw_reg:
                                registered = dates.get(raw_reg)
                                if registered is None:
                                    registered = self._fast_date(raw_reg)
                            voucher = voucher_type(
                                series,
                                number,
                                voucher_date,
                                voucher_text,
                                registered,
                                sign,
                                [],
                                [],
                                line_no,
                            )
                            self._voucher = voucher
                            rows = voucher.rows
                            total = ZERO
                            mode = 2
                            continue
                        # After a #VER: its "{".
                        if mode == 2 and (line == "{" or line == "{\r" or line.strip() == "{"):
                            self._in_block = True
                            mode = 3
                            continue
                    except (_Slow, IndexError, ValueError, ArithmeticError):
                        pass
                    # General path: tokenize and dispatch; re-sync the local state afterwards.
                    finished_voucher = self._record(line, line_no)
                    voucher = self._voucher
                    if self._fast_disabled or self._crc_state:
                        mode = 0
                    elif voucher is None:
                        mode = 1 if header.declared_type is not None else 0
                    else:
                        rows = voucher.rows
                        total = sum([row[2] for row in rows], ZERO)
                        mode = 2 if not self._in_block else 3 if self._pending_rtrans is None else 0
                    if finished_voucher is not None:
                        yield finished_voucher
            self._decoder.next_line = line_no + 1  # every line of the chunk is read
        if self._voucher is not None:
            if self._in_block:
                self._log.error(
                    self._voucher.line, "end of file inside a voucher (missing })", "unclosed-voucher"
                )
            else:
                self._log.warn(self._voucher.line, "voucher without a {...} block of rows", "no-rows-block")
            yield self._close()
        if self.skipped:
            assert self._c_scanner is not None
            stats.vouchers += len(self.skipped)
            stats.rows += self._c_scanner.skipped_rows
        self._finish_sie4()

    def _fast_date(self, raw: str) -> date:
        value = parse_date(raw)
        if value is None:
            raise _Slow
        if len(self._dates) >= CACHE_LIMIT:
            self._dates.clear()
        self._dates[raw] = value
        return value

    def _fast_amount(self, raw: str) -> Decimal:
        """An amount not in the cache: bare, or quoted (the cache then keeps it with its quotes)."""
        inner = raw[1:-1] if len(raw) > 1 and raw[0] == '"' and raw[-1] == '"' else raw
        # Only digits, "." and "-" (Decimal() alone would also take "1e5", "NaN", "+1",
        # "1_0", non-ASCII digits); of those strings it takes exactly the spec's
        # -?(d+(.d*)?|.d+) and raises on the rest. So the word is one field to the
        # tokenizer too (no quote, brace or blank in it), quotes around it or not.
        if inner.strip(AMOUNT_CHARS):
            raise _Slow
        amount = self._amounts[raw] = _EXACT.create_decimal(inner)
        return amount

    def _row_head(self, head: str, brace: str) -> tuple[str, str, tuple[ObjectRef, ...]]:
        """A row line up to its object list's }: label, account and objects, as the tokenizer
        reads them in the whole line (ROW_HEAD is possessive: what it matches, the tokenizer
        reads the same whatever follows), or _Slow."""
        matched = ROW_HEAD.fullmatch(head + brace)
        if matched is None:
            raise _Slow
        label, quoted, bare, inner = matched.groups()
        account = bare if quoted is None else quoted.replace('\\"', '"')
        objects = pairs(split_object_list(inner))
        if not account or objects is None:
            raise _Slow  # the general path reports these
        account = sys.intern(account)
        # The C scanner resumes after this line: it takes accounts and object lists (and the
        # tail's dates) from the shared caches only, so they get what this line holds.
        for cache in (self._heads, self._accounts, self._objects):
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
        if quoted is None or '\\"' not in quoted:
            self._accounts[account] = account
        if inner:
            self._objects["{" + inner + "}"] = objects
        found = self._heads[head] = (label, account, objects)
        return found

    def _row_date(self, word: str) -> date | None:
        """A row's date word not in the cache: bare, quoted, or "" (none); else _Slow."""
        raw = word[1:-1] if len(word) > 1 and word[0] == '"' and word[-1] == '"' else word
        # 8 digits or nothing: so the word is one field to the tokenizer too
        value = self._fast_date(raw) if raw else None
        if len(self._row_dates) >= CACHE_LIMIT:
            self._row_dates.clear()
        self._row_dates[word] = value
        return value

    def _row_tail(self, tail: str) -> tuple[str, Decimal | None, str]:
        """A row line after its date: text, quantity and sign as the general path reads them
        (the tokenizer reads from there on as from the tail alone), or _Slow."""
        fields = _tail_fields(tail)
        if len(fields) > 3:
            raise _Slow  # fields after the sign: the general path decides
        row_text, raw_quantity, sign = (*fields, "", "", "")[:3]
        quantity = None
        if raw_quantity:
            quantity = self._amounts.get(raw_quantity)
            if quantity is None:
                if raw_quantity.strip(AMOUNT_CHARS):
                    raise _Slow  # the general path warns
                quantity = self._amounts[raw_quantity] = _EXACT.create_decimal(raw_quantity)
        if len(self._tails) >= CACHE_LIMIT:
            self._tails.clear()
        found = self._tails[tail] = (row_text, quantity, sign)
        return found

    def _fast_change(self, label: str, row: Row, line_no: int) -> None:
        """#RTRANS / #BTRANS as _row_record keeps them; an unpaired one goes the general way."""
        if label == "#RTRANS":
            kind: ChangeKind = "added"
        elif label == "#BTRANS":
            kind = "removed"
        else:
            raise _Slow
        voucher = self._voucher
        if voucher is None or self._pending_rtrans is not None:
            raise _Slow
        voucher.changes.append(RowChange(kind, row, len(voucher.rows)))
        if kind == "added":
            self._pending_rtrans = (row, line_no)

    def _record(self, line: str, line_no: int) -> Voucher | None:
        """General path for one line; returns a voucher this line completed, if any."""
        stripped = line.strip()
        if not stripped:
            return None
        if stripped[0] in "{}":
            return self._brace(stripped, line_no)
        if stripped[0] != "#":
            self._log.warn(line_no, "line ignored: it does not start with a #label", "not-a-record")
            return None
        fields, issue = split_fields(stripped)
        raw_label = cast(str, fields[0])
        label = raw_label.upper()
        rest = fields[1:]
        if issue:
            self._log.warn(line_no, f"{label}: {issue}", "syntax")
        if label == "#KSUMMA":
            self._ksumma(rest, line_no)
            return None
        if self._crc_state == 1:
            self._crc = checksum.update(self._crc, raw_label, rest)
        elif self._crc_state == 2 and not self._after_crc_warned:
            self._after_crc_warned = True
            self._log.warn(line_no, "records after the closing #KSUMMA are not covered by it", "checksum")
        if label in ROW_LABELS:
            self._row_record(label, rest, line_no)
            return None
        finished = None
        if self._voucher is not None:
            if self._in_block:
                self._log.error(
                    line_no,
                    f"{label} inside the rows of the voucher on line {self._voucher.line} (missing }})",
                    "unclosed-voucher",
                    label=label,
                )
            else:
                self._log.warn(self._voucher.line, "voucher without a {...} block of rows", "no-rows-block")
            finished = self._close()
        if label == "#VER":
            self._ver(rest, line_no)
            return finished
        handler = HANDLERS.get(label)
        if handler is not None:
            handler(self._builder, rest, line_no)
        elif label not in self._unknown_labels:
            self._unknown_labels.add(label)
            self._log.warn(line_no, f"unknown record {label} ignored", "unknown-label", label=label)
        return finished

    def _brace(self, stripped: str, line_no: int) -> Voucher | None:
        if stripped[1:].strip():
            self._log.warn(line_no, f"text after {stripped[0]} ignored", "syntax")
        if stripped[0] == "{":
            if self._voucher is not None and not self._in_block:
                self._in_block = True
            else:
                self._log.error(line_no, "{ without a preceding #VER", "stray-brace")
            return None
        if self._in_block:
            return self._close()
        self._log.warn(line_no, "} without an open voucher ignored", "stray-brace")
        return None

    def _ksumma(self, fields: list[Field], line_no: int) -> None:
        raw = text(fields, 0)
        if self._crc_state == 0 and not raw:
            self._crc_state, self._crc, self._crc_line = 1, 0, line_no
        elif self._crc_state == 1 and raw:
            self._crc_state = 2
            try:
                declared = int(raw)
            except ValueError:
                declared = None
            if declared is not None and checksum.matches(declared, self._crc):
                self.checksum = "ok"
            else:
                self.checksum = "mismatch"
                self._log.error(
                    line_no,
                    f"checksum mismatch: #KSUMMA says {raw}, the content gives {self._crc}",
                    "checksum-mismatch",
                )
        elif self._crc_state == 0:
            self._crc_state = 2
            self.checksum = "mismatch"
            self._log.error(line_no, "closing #KSUMMA without an opening #KSUMMA", "checksum-mismatch")
        else:
            self._log.warn(line_no, "extra #KSUMMA ignored", "checksum")

    def _ver(self, fields: list[Field], line_no: int) -> None:
        if self.header.declared_type is None:
            self.header.declared_type = "4"
            self._log.warn(line_no, "#SIETYP missing; the vouchers make it type 4", "missing-type")
        raw_date = text(fields, 2)
        voucher_date = parse_date(raw_date)
        if voucher_date is None:
            self._log.error(
                line_no,
                f"#VER: invalid or missing date {raw_date!r}",
                "bad-date",
                label="#VER",
                value=raw_date or "",
            )
        raw_reg = text(fields, 4)
        registered = parse_date(raw_reg) if raw_reg else None
        if raw_reg and registered is None:
            self._log.warn(line_no, f"#VER: invalid registration date {raw_reg!r} ignored", "bad-date")
        self._voucher = Voucher(
            text(fields, 0),
            text(fields, 1),
            voucher_date,
            text(fields, 3),
            registered,
            text(fields, 5),
            line=line_no,
        )
        self._in_block = False

    def _row_record(self, label: str, fields: list[Field], line_no: int) -> None:
        voucher = self._voucher
        if voucher is None:
            self._log.error(line_no, f"{label} outside a voucher", "row-outside-voucher", label=label)
            return
        if not self._in_block:
            self._log.warn(line_no, f"{label} not inside {{ }} after #VER", "syntax")
            self._in_block = True
        row = self._row(label, fields, line_no)
        pending = self._pending_rtrans
        if label == "#TRANS":
            if pending is not None:
                self._pending_rtrans = None
                if row is None or (pending[0].account, pending[0].objects, pending[0].amount) != (
                    row.account,
                    row.objects,
                    row.amount,
                ):
                    self._rtrans_unpaired(pending[1])
            if row is not None:
                voucher.rows.append(row)
            return
        if pending is not None:
            self._pending_rtrans = None
            self._rtrans_unpaired(pending[1])
        if row is None:
            return
        if label == "#RTRANS":
            voucher.changes.append(RowChange("added", row, len(voucher.rows)))
            self._pending_rtrans = (row, line_no)
        else:
            voucher.changes.append(RowChange("removed", row, len(voucher.rows)))

    def _rtrans_unpaired(self, line_no: int) -> None:
        self._log.warn(
            line_no, "#RTRANS is not followed by an identical #TRANS; it is kept as history only", "rtrans"
        )

    def _row(self, label: str, fields: list[Field], line_no: int) -> Row | None:
        account = text(fields, 0)
        if not account:
            self._log.error(line_no, f"{label}: missing account number", "missing-field", label=label)
            return None
        objects: tuple[ObjectRef, ...] = ()
        index = 2
        if len(fields) > 1 and isinstance(fields[1], tuple):
            objects = self._builder.object_list(fields, 1, label, line_no) or ()
        else:
            self._log.warn(line_no, f"{label}: missing object list {{}}", "missing-objects")
            index = 1
        raw_amount = text(fields, index)
        amount = parse_amount(raw_amount)
        if amount is None:
            self._log.error(
                line_no,
                f"{label}: invalid amount {raw_amount!r}",
                "bad-amount",
                label=label,
                value=raw_amount,
            )
            return None
        row_date = self._builder.date_field(fields, index + 1, label, line_no, error=False)
        quantity = self._builder.quantity_field(fields, index + 3, label, line_no)
        return Row(
            account,
            objects,
            amount,
            row_date,
            text(fields, index + 2),
            quantity,
            text(fields, index + 4),
        )

    def _close(self) -> Voucher:
        voucher = self._voucher
        assert voucher is not None
        if self._pending_rtrans is not None:
            self._rtrans_unpaired(self._pending_rtrans[1])
            self._pending_rtrans = None
        self._voucher = None
        self._in_block = False
        self._tally(voucher)
        return voucher

    def _tally(self, voucher: Voucher) -> None:
        stats = self.stats
        stats.vouchers += 1
        stats.rows += len(voucher.rows)
        stats.changes += len(voucher.changes)
        total = ZERO
        for row in voucher.rows:
            total += row[2]
        if total:
            stats.unbalanced += 1
            self._log.warn(
                voucher.line,
                f"voucher {voucher.series} {voucher.number} does not balance (sum {total})".replace(
                    "  ", " "
                ),
                "unbalanced",
                voucher=f"{voucher.series} {voucher.number}".strip(),
                sum=str(total),
            )

    def _finish_sie4(self) -> None:
        if self._crc_state == 1:
            self.checksum = "mismatch"
            self._log.error(
                self._crc_line, "#KSUMMA opened but no closing #KSUMMA: the file is truncated", "truncated"
            )
        builder = self._builder
        if self.header.format is None:
            self._log.warn(0, "#FORMAT is missing (expected #FORMAT PC8)", "format")
        elif self._decoder.encoding == "utf-8" and self.header.format.upper() == "PC8":
            self._log.warn(
                builder.format_line, "#FORMAT PC8 (CP437) declared, but the file is UTF-8", "encoding"
            )
        self._finished = True
        self._log.finish()

    # --- SIE 5 ---------------------------------------------------------------------------

    def _read_sie5(self, stream: io.RawIOBase) -> Iterator[Voucher]:
        parser = sie5.Sie5Parser(self.header, self._log)
        for voucher in parser.vouchers(io.BufferedReader(stream)):
            self._tally(voucher)
            yield voucher
        self._sie5_encoding = parser.encoding
        self._finished = True
        self._log.finish()


def read(source: Source, *, strict: bool = False) -> SieDocument:
    """Read a whole file into a SieDocument (vouchers in memory; use SieReader for big files)."""
    with SieReader.open(source, strict=strict) as reader:
        vouchers = list(reader.vouchers())
        return SieDocument(reader.header, vouchers, reader.encoding, reader.checksum, reader.problems)
