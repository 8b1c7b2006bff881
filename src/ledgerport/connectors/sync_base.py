"""What the orchestration (`sync.py`) and the provider mappings (`<provider>/sync.py`) share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ledgerport.ledger.models import FiscalYear

from . import messages
from .fetching import Later
from .fiscal_years import ProviderYear
from .http import Forbidden

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
    fetch: Callable[[], bytes | Later]  # Later: the rest (a download) spends no limited budget
    links: list[VoucherKey] = field(default_factory=list)
    # The rate-limit budget the fetch spends (a provider may count per endpoint): fetches of
    # different lanes are interleaved so that no budget idles while another is exhausted.
    lane: str = ""


def interleave(refs: list[DocumentRef]) -> list[DocumentRef]:
    """The refs with each lane spread evenly over the whole list (order kept within a lane)."""
    lanes: dict[str, list[DocumentRef]] = {}
    for ref in refs:
        lanes.setdefault(ref.lane, []).append(ref)
    if len(lanes) < 2:
        return list(refs)
    placed = [((i + 0.5) / len(lane), ref) for lane in lanes.values() for i, ref in enumerate(lane)]
    return [ref for _, ref in sorted(placed, key=lambda pair: pair[0])]


class Log(Protocol):
    def line(self, text: str) -> None: ...

    def warn(self, area: str, message: str) -> None:
        """`area` was skipped for `message`: the run ends "done with warnings", not "done"."""
        ...


class DataLog(Log, Protocol):
    """What a data sync (one with `collect`) may also do: stop at a safe point, show progress."""

    def checkpoint(self) -> None: ...

    def progress(self, key: str, done: int, total: int) -> None: ...


def add_ref(refs: dict[str, DocumentRef], ref: DocumentRef, keys: list[VoucherKey]) -> None:
    """One ref per provider file, linked to every voucher that names it."""
    existing = refs.setdefault(ref.external_id, ref)
    existing.links.extend(k for k in keys if k not in existing.links)


def optional_module(log: Log, source: str, module: str, step: Callable[[], None]) -> None:
    """Run `step`; a module the grant may not read (403) is skipped with a warning."""
    try:
        step()
    except Forbidden as exc:
        log.warn(str(module), messages.describe(source, exc, area=str(module)))


class ProviderSync(Protocol):
    """The provider half of a sync; `sync.py` drives it and writes the results.

    A provider whose data is not a ledger (the tax account, say) instead has `collect()`,
    which fetches and stores everything itself; `sync.py` then calls only that."""

    source: str  # ledger.Source / DocumentOrigin.source

    def provider_years(self) -> list[ProviderYear]: ...

    def ledger_changed(self, target: Target) -> bool:
        """Whether anything in the year's ledger changed since `target.since`."""
        ...

    def ledger_sie(self, target: Target) -> bytes | Later:
        """The year's ledger as SIE 4 bytes, for the one import path (Later: the requests are
        made, the rest is local work, done when the import comes)."""
        ...

    def documents(self, targets: list[Target]) -> list[DocumentRef]:
        """Every document of the years (only changed ones for a target with `since`)."""
        ...

    def prepare_fetch(self, refs: list[DocumentRef]) -> None:
        """Called with the refs about to be fetched (those not fetched before), in that order."""
        ...

    def close(self) -> None: ...
