"""Optional C accelerator for CopyText's COPY rows (_copyrows.c; see loaders.py)."""

from datetime import date
from decimal import Decimal

from ledgerport.sie.model import ObjectRef, Row, Voucher

decimal_fields: int  # 1: fingerprint_batch reads Decimals' fields (their layout checked), 0: str()

def voucher_rows(
    out: bytearray,
    rows: list[Row],
    fiscal_year_id: int,
    voucher_id: int,
    period: int,
    accounts: dict[str, int],
    dates: dict[date | None, str],
    objects: dict[tuple[ObjectRef, ...], str],
    quantities: dict[Decimal, str],
    /,
) -> bool: ...
def batch_rows(
    out: bytearray,
    batch: list[tuple[int, Voucher]],
    ids: list[int],
    start: int,
    by_year: dict[int, dict[str, int]],
    dates: dict[date | None, str],
    objects: dict[tuple[ObjectRef, ...], str],
    quantities: dict[Decimal, str],
    /,
) -> int: ...
def fingerprint_batch(batch: list[tuple[int, Voucher]], source: str, /) -> list[int]: ...
