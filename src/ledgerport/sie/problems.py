"""Warnings and errors with line numbers; strict mode raises on the first error."""

from __future__ import annotations

from .model import Problem

# Keep memory bounded on a pathological file: beyond this, problems are only counted.
MAX_KEPT = 10_000


class SieError(Exception):
    """The only exception the library raises for bad input (strict mode, or unreadable writer input)."""

    def __init__(self, line: int, message: str, code: str = "", params: dict[str, str] | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message
        self.code = code
        self.params = params or {}


class ProblemLog:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.problems: list[Problem] = []
        self.error_count = 0
        self.warning_count = 0
        self.dropped = 0

    def warn(self, line: int, message: str, code: str = "", **params: str) -> None:
        self.warning_count += 1
        self._keep(Problem("warning", line, message, code, params))

    def error(self, line: int, message: str, code: str = "", **params: str) -> None:
        self.error_count += 1
        self._keep(Problem("error", line, message, code, params))
        if self.strict:
            raise SieError(line, message, code, params)

    def _keep(self, problem: Problem) -> None:
        if len(self.problems) < MAX_KEPT:
            self.problems.append(problem)
        else:
            self.dropped += 1

    def finish(self) -> None:
        if self.dropped:
            self.problems.append(
                Problem("warning", 0, f"{self.dropped} further problems were not kept", "truncated-log")
            )
            self.dropped = 0

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0
