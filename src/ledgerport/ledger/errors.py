"""Why an import was refused. Each carries a message the user can act on (translated)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


class ImportRefused(Exception):
    """The import did not happen; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BrokenFile(ImportRefused):
    """The file cannot be read as a ledger; `line` is 1-based (0 = the file as a whole)."""

    def __init__(self, line: int, detail: str) -> None:
        message = _("Line %(line)s: %(detail)s") % {"line": line, "detail": detail} if line else detail
        super().__init__(message)
        self.line = line
        self.detail = detail


class NotSie(BrokenFile):
    """The file is something else (a spreadsheet, a PDF ...); the message says what."""

    def __init__(self, detail: str) -> None:
        super().__init__(0, detail)


@dataclass(frozen=True)
class Conflict:
    """A year in the file whose ledger already exists."""

    start: object
    end: object
    source_label: str

    def question(self) -> str:
        return _(
            "The fiscal year %(start)s – %(end)s already has a general ledger (source: %(source)s). "
            "Do you want to replace it?"
        ) % {"start": self.start, "end": self.end, "source": self.source_label}


class ReplaceNeeded(ImportRefused):
    """A year already has a ledger and replacing it was not confirmed."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(" ".join(conflict.question() for conflict in conflicts))
