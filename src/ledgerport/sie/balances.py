"""Account balances for one fiscal year: opening (#IB) + movement (vouchers) vs the file's closing.

Works on a stream of vouchers, so it can run alongside an import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .model import SieHeader, Voucher

ZERO = Decimal(0)


@dataclass(slots=True, frozen=True)
class AccountBalance:
    opening: Decimal
    movement: Decimal
    closing: Decimal
    declared_closing: Decimal | None  # #UB (balance account) or #RES (result account), if in the file


def is_balance_account(number: str, account_type: str | None) -> bool:
    """T/S accounts, or (no #KTYP) BAS classes 1-2, are balance-sheet accounts."""
    if account_type in ("T", "S"):
        return True
    if account_type in ("K", "I"):
        return False
    return number[:1] in ("1", "2")


class BalanceCalculator:
    def __init__(self, header: SieHeader, year: int = 0) -> None:
        self.header = header
        self.year = year
        self.movements: dict[str, Decimal] = {}

    def _in_year(self, voucher: Voucher) -> bool:
        fiscal = self.header.fiscal_years.get(self.year)
        if fiscal is None or (fiscal.start is None and fiscal.end is None):
            return True  # a year without dates: every voucher counts
        return voucher.date is not None and fiscal.contains(voucher.date)

    def add(self, voucher: Voucher) -> None:
        if not self._in_year(voucher):
            return
        movements = self.movements
        for row in voucher.rows:
            movements[row.account] = movements.get(row.account, ZERO) + row.amount

    def add_all(self, vouchers: Iterable[Voucher]) -> BalanceCalculator:
        for voucher in vouchers:
            self.add(voucher)
        return self

    def result(self) -> dict[str, AccountBalance]:
        """Call after the last voucher (balances may follow the vouchers in a file)."""
        opening: dict[str, Decimal] = {}
        declared: dict[str, dict[str, Decimal]] = {"UB": {}, "RES": {}}
        for balance in self.header.balances:
            if balance.year != self.year:
                continue
            if balance.kind == "IB":
                opening[balance.account] = opening.get(balance.account, ZERO) + balance.amount
            elif balance.kind in declared:
                target = declared[balance.kind]
                target[balance.account] = target.get(balance.account, ZERO) + balance.amount
        numbers = set(opening) | set(declared["UB"]) | set(declared["RES"]) | set(self.movements)
        out: dict[str, AccountBalance] = {}
        for number in sorted(numbers):
            account = self.header.accounts.get(number)
            balance_sheet = is_balance_account(number, account.type if account else None)
            first, second = ("UB", "RES") if balance_sheet else ("RES", "UB")
            closing_declared = declared[first].get(number, declared[second].get(number))
            start = opening.get(number, ZERO)
            movement = self.movements.get(number, ZERO)
            out[number] = AccountBalance(start, movement, start + movement, closing_declared)
        return out
