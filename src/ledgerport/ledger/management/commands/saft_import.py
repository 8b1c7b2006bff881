"""`ledgerport saft import ORGNR PATH [--replace]`: a SAF-T file's atomic import, synchronously.

The same job as an upload (a `LedgerImport` with source "saft", run at once), as `sie import`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ledgerport.ledger import import_jobs, services
from ledgerport.ledger.models import ImportStatus, Source
from ledgerport.tenancy.management.company_argument import add_company_arguments, company_from_options


class Command(BaseCommand):
    help = "Import a SAF-T Financial file as a company's ledger (atomically; refuses to replace without --replace)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_company_arguments(parser)
        parser.add_argument("path", type=Path, help="the SAF-T Financial file (XML)")
        parser.add_argument("--replace", action="store_true", help="replace a year that already has a ledger")

    def handle(self, *args: Any, orgnr: str, path: Path, replace: bool, **options: Any) -> None:
        company = company_from_options({"orgnr": orgnr, **options})
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        with path.open("rb") as stream:
            job = services.sie_import_create(
                company=company, user=None, upload=File(stream), file_name=path.name, source=Source.SAFT
            )
        job.replace = replace
        job.save(update_fields=["replace"])
        job = import_jobs.sie_import_run(ledger_import_id=job.pk)
        if job.status == ImportStatus.AWAITING_CONFIRMATION:
            raise CommandError(f"{job.question} {_('Run again with --replace to replace it.')}")
        if job.status != ImportStatus.SUCCEEDED:
            raise CommandError(job.message)
        self.stdout.write(f"{company.name}: {job.message}")
        for warning in job.warnings[:20]:
            line = warning.get("line")
            self.stdout.write(
                f"  {_('Line %(line)s') % {'line': line} if line else '-'}: {warning['message']}"
            )
