"""What an import plans per year of the file and what it returns; shared by the importer and
its SQLite path (`staging.py`), which the importer calls, so neither imports the other for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .models import FiscalYear


@dataclass
class YearPlan:
    index: int
    start: date
    end: date
    existing: FiscalYear | None
    load: bool
    fiscal_year: FiscalYear | None = None
    vouchers: int = 0
    rows: int = 0


@dataclass
class ImportResult:
    years: list[FiscalYear]
    vouchers: int
    rows: int
    warnings: list[dict[str, Any]] = field(default_factory=list)
    warning_count: int = 0
    voucher_issues: dict[str, Any] = field(default_factory=dict)  # of the file's current year
    sha256: str = ""
    rows_written: int = 0  # less than `rows` when a re-import found vouchers unchanged
