"""What is wrong with a payment file: the element, its line and the reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # XPath-like, without namespaces: /Document/CstmrCdtTrfInitn/PmtInf[2]/…
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line else self.path
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, str | int | None]:
        return {"path": self.path, "line": self.line, "reason": self.reason}


class PaymentFileRefused(Exception):
    """The whole file is refused; `problems` says every element and why (at least one)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
