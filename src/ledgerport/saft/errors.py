"""The one exception the library raises for a bad file, naming the line and the element."""

from __future__ import annotations


class SaftError(Exception):
    """`code` says what is wrong ("not-xml", "namespace", "schema", "unbalanced", "totals" ...);
    `params` carries the values, so an application can word it in its user's language."""

    def __init__(
        self, code: str, line: int, element: str, message: str, params: dict[str, str] | None = None
    ) -> None:
        where = ", ".join(
            part for part in (f"line {line}" if line else "", f"<{element}>" if element else "") if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.code = code
        self.line = line
        self.element = element
        self.message = message
        self.params = params or {}
