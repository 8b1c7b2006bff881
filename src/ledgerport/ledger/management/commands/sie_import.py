"""`ledgerport sie import ORGNR PATH [--replace]`: the upload's atomic import, synchronously."""

from __future__ import annotations

from ledgerport.ledger.management.import_command import ImportCommand
from ledgerport.ledger.models import Source


class Command(ImportCommand):
    help = "Import a SIE file as a company's ledger (atomically; refuses to replace without --replace)."
    source = Source.SIE
    path_help = "the SIE file"
