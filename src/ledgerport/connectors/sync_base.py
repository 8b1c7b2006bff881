"""What the orchestration (`sync.py`) and the provider mappings (`<provider>/sync.py`) share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ledgerport.ledger.models import FiscalYear

from .fiscal_years import ProviderYear

VoucherKey = tuple[FiscalYear, str, str]  # (fiscal year, series, number): survives a ledger re-import


@dataclass
class Target:
    """One fiscal year of a run: the provider's year, ours, and the incremental watermark."""

    provider_year: ProviderYear
    fiscal_year: FiscalYear
    # Fetch only what changed since then (None: everything). From the last successful sync.
    since: datetime | None = None

    @property
    def label(self) -> str:
        return str(self.fiscal_year)


@dataclass
class DocumentRef:
    """A provider file to store once (by external id) and link to vouchers."""

    external_id: str
    file_name: str
    fetch: Callable[[], bytes]
    links: list[VoucherKey] = field(default_factory=list)


class Log(Protocol):
    def line(self, text: str) -> None: ...


class ProviderSync(Protocol):
    """The provider half of a sync; `sync.py` drives it and writes the results."""

    source: str  # ledger.Source / DocumentOrigin.source

    def provider_years(self) -> list[ProviderYear]: ...

    def ledger_changed(self, target: Target) -> bool:
        """Whether anything in the year's ledger changed since `target.since`."""
        ...

    def ledger_sie(self, target: Target) -> bytes:
        """The year's ledger as SIE 4 bytes, for the one import path."""
        ...

    def documents(self, targets: list[Target]) -> list[DocumentRef]:
        """Every document of the years (only changed ones for a target with `since`)."""
        ...

    def close(self) -> None: ...
