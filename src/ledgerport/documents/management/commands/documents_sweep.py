"""`ledgerport documents sweep [--older-than-hours N] [--dry-run]`: delete orphaned document files."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledgerport.documents.services import orphan_files_delete


class Command(BaseCommand):
    help = (
        "Delete stored document files that no document references (left by a rolled-back or "
        "killed sync), once they are older than the grace period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=1.0,
            help="grace period: keep files modified more recently than this (default 1)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list what would go, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["older_than_hours"]
        if hours < 0:
            raise CommandError("--older-than-hours must not be negative")
        names = orphan_files_delete(older_than=timedelta(hours=hours), dry_run=options["dry_run"])
        if options["dry_run"] or options["verbosity"] > 1:
            for name in names:
                self.stdout.write(name)
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(f"{verb} {len(names)} orphaned document file(s)")
