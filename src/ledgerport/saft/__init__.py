"""Norwegian SAF-T Financial files (1.10, 1.20, 1.30): validate against the XSD, read streaming.

Pure library (lxml, no Django). Typical use, as the ledger's import does::

    from ledgerport import saft
    checked = saft.check(path_or_binary_stream)   # the XSD of its AuditFileVersion; SaftError
    reader = saft.SaftReader(path_or_binary_stream)   # strict: the first error raises SaftError
    header = reader.read_header()                 # orgnr, name, period, currency
    reader.read_master()                          # accounts, parties, tax codes, analysis types
    for transaction in reader.transactions():     # one voucher at a time, lines signed
        ...
    reader.balances()                             # (account, opening, closing) after the loop

Every error names the line and the element (`SaftError.line`, `.element`, `.code`, `.params`).
"""

from .errors import SaftError
from .model import Account, AnalysisEntry, Header, Journal, Line, Party, Problem, TaxCode, Totals, Transaction
from .reader import SaftReader
from .schema import NS, Checked, check, schema_for, sniff

__all__ = [
    "NS",
    "Account",
    "AnalysisEntry",
    "Checked",
    "Header",
    "Journal",
    "Line",
    "Party",
    "Problem",
    "SaftError",
    "SaftReader",
    "TaxCode",
    "Totals",
    "Transaction",
    "check",
    "schema_for",
    "sniff",
]
