"""`ledgerport saft import ORGNR PATH [--replace]`: a SAF-T file's atomic import, synchronously.

The same job as an upload (a `LedgerImport` with source "saft", run at once), as `sie import`."""

from __future__ import annotations

from ledgerport.ledger.management.import_command import ImportCommand
from ledgerport.ledger.models import Source


class Command(ImportCommand):
    help = "Import a SAF-T Financial file as a company's ledger (atomically; refuses to replace without --replace)."
    source = Source.SAFT
    path_help = "the SAF-T Financial file (XML)"
