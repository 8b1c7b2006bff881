"""SIE files (Swedish accounting data exchange): read types 1, 2, 3, 4E, 4I and SIE 5; write SIE 4.

Pure library, standard library only (no Django).

Reading a whole file::

    from ledgerport import sie
    doc = sie.read("export.se")            # path, bytes or binary stream; strict=False
    doc.header.company_name, doc.sie_type, doc.vouchers, doc.problems, doc.checksum

Streaming (bounded memory, for the importer)::

    with sie.SieReader.open(path_or_binary_stream, strict=False) as reader:
        header = reader.read_header()      # everything before the first #VER
        for voucher in reader.vouchers():  # one Voucher at a time, rows = final state
            ...                            # bulk-insert in batches
        result = reader.result()           # after the last voucher
        if result.has_errors or result.checksum == "mismatch":
            ...                            # roll the transaction back

The header (``SieHeader``: program, declared type, company, orgnr, fiscal years
``#RAR``, accounts ``#KONTO/#KTYP/#ENHET/#SRU``, dimensions ``#DIM/#UNDERDIM``,
objects ``#OBJEKT``, balances ``#IB #UB #RES #OIB #OUB #PSALDO #PBUDGET``) is
filled as records are met, including records after the first voucher, so it is
only final after the last voucher. ``reader.problems`` lists ``Problem``
(severity "warning" | "error", 1-based line, message, code); ``reader.checksum``
is "ok", "absent" or "mismatch"; ``reader.stats`` counts vouchers, rows and
unbalanced vouchers. In strict mode the first error raises ``SieError`` (with
``.line`` and ``.message``); it is the only exception raised for bad input
(a missing file still raises ``OSError``).

Semantics: amounts are ``Decimal``; object numbers, account numbers, series and
voucher numbers are opaque strings (leading zeros kept; empty series/number
allowed). A voucher's ``rows`` are its ``#TRANS`` rows; ``#RTRANS`` / ``#BTRANS``
are kept in ``voucher.changes`` as history. Unknown records and extra trailing
fields are ignored (an unknown label is warned about once). Unbalanced vouchers
are warnings. Encoding: UTF-8 BOM or valid UTF-8 -> UTF-8, else CP437; never
fails on a byte; mismatches with ``#FORMAT PC8`` are warned about. ``#KSUMMA``
is verified (CRC-32, signed or unsigned); an opening ``#KSUMMA`` without a
closing one is an error.

Writing::

    sie.write(doc, "out.se", checksum=True)   # -> list of warnings
    data = sie.dumps(doc)                      # bytes, CP437, CRLF

``read(dumps(doc)) == doc`` (equality ignores line numbers, encoding, problems,
checksum status and the #FORMAT value).

Balances for a year: ``BalanceCalculator(header, year).add_all(vouchers).result()``.

Command line: ``ledgerport.sie.cli.main(["inspect", path, "--json"])``.
"""

from .balances import AccountBalance, BalanceCalculator
from .model import (
    Account,
    Address,
    Balance,
    ChecksumStatus,
    Dimension,
    FiscalYear,
    Problem,
    Program,
    Row,
    RowChange,
    SieDocument,
    SieHeader,
    SieObject,
    Voucher,
)
from .problems import SieError
from .reader import ReadResult, ReadStats, SieReader, read
from .writer import SieWriter, dumps, write

__all__ = [
    "Account",
    "AccountBalance",
    "Address",
    "Balance",
    "BalanceCalculator",
    "ChecksumStatus",
    "Dimension",
    "FiscalYear",
    "Problem",
    "Program",
    "ReadResult",
    "ReadStats",
    "Row",
    "RowChange",
    "SieDocument",
    "SieError",
    "SieHeader",
    "SieObject",
    "SieReader",
    "SieWriter",
    "Voucher",
    "dumps",
    "read",
    "write",
]
