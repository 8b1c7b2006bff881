"""The console's ledger imports (`sie import`, `saft import`): ORGNR PATH [--replace], the
upload's atomic import run synchronously. Each command names its file and its source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ledgerport.ledger import import_jobs, services
from ledgerport.ledger.models import ImportStatus, Source
from ledgerport.tenancy.management.company_argument import add_company_arguments, company_from_options


class ImportCommand(BaseCommand):
    source: str = Source.SIE
    path_help = ""

    def add_arguments(self, parser: CommandParser) -> None:
        add_company_arguments(parser)
        parser.add_argument("path", type=Path, help=self.path_help)
        parser.add_argument("--replace", action="store_true", help="replace a year that already has a ledger")

    def handle(self, *args: Any, orgnr: str, path: Path, replace: bool, **options: Any) -> None:
        company = company_from_options({"orgnr": orgnr, **options})
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        with path.open("rb") as stream:
            job = services.sie_import_create(
                company=company, user=None, upload=File(stream), file_name=path.name, source=self.source
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
