"""Optional C accelerator for SieReader's fast path (_fastsie.c; see reader.py)."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from .model import ObjectRef, Row, RowChange, Voucher

MAX_DONE: int

class Scanner:
    def __init__(
        self,
        accounts: dict[str, str],
        dates: dict[str, date],
        amounts: dict[str, Decimal],
        objects: dict[str, tuple[ObjectRef, ...]],
        exact_decimal: Callable[[str], Decimal],
        row_type: type[Row],
        voucher_type: type[Voucher],
        no_objects: tuple[ObjectRef, ...],
        zero: Decimal,
        cache_limit: int,
        voucher_slots: tuple[str, ...] | None = None,
        change_type: type[RowChange] | None = None,
    ) -> None: ...
    def scan(
        self,
        text: str,
        pos: int,
        line_no: int,
        mode: int,
        voucher: Voucher | None,
        rows: list[Row],
        total: Decimal,
        /,
    ) -> tuple[int, int, int, Voucher | None, list[Row] | None, Decimal, list[Voucher]]: ...
    def skip_known(
        self, known: dict[int, int], claims: dict[int, int], skipped: dict[int, int], /
    ) -> None: ...
    @property
    def skipped_rows(self) -> int: ...
