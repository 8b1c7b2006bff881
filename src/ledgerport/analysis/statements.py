"""Balance sheet and income statement from `YearFigures`, laid out by the BAS groups in `bas.py`.

A statement is a list of columns (this period, the previous year ...) and sections of
groups of account lines. Values are shown with the section's sign (income, equity and
liabilities flipped), so a profit and a debt are positive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ledgerport.ledger import bas
from ledgerport.ledger.selectors import ZERO, YearFigures

Value = Callable[[str], Decimal]  # account number -> booked amount (debit positive)


@dataclass(frozen=True)
class Column:
    label: str
    value: Value


@dataclass
class Line:
    number: str
    name: str
    values: list[Decimal]
    account_id: int | None = None
    computed: bool = False  # the balance sheet's not yet booked result


@dataclass
class GroupBlock:
    label: str | Promise
    lines: list[Line] = field(default_factory=list)
    totals: list[Decimal] = field(default_factory=list)


@dataclass
class SectionBlock:
    label: str | Promise
    groups: list[GroupBlock]
    totals: list[Decimal]
    subtotal_label: str | Promise = ""
    subtotal: list[Decimal] = field(default_factory=list)


@dataclass
class Statement:
    title: str
    columns: list[Column]
    sections: list[SectionBlock]
    result: list[Decimal]  # income statement: result; balance sheet: the computed result

    @property
    def column_labels(self) -> list[str]:
        return [column.label for column in self.columns]


def _sum(rows: list[list[Decimal]], width: int) -> list[Decimal]:
    return [sum((row[i] for row in rows), ZERO) for i in range(width)]


def _group_of(groups: tuple[bas.Group, ...], number: str) -> bas.Group | None:
    return next((group for group in groups if group.contains(number)), None)


def _section_block(
    section: bas.Section, numbers: list[str], columns: list[Column], names: YearFigures
) -> SectionBlock:
    width = len(columns)
    blocks: dict[bas.Group, GroupBlock] = {}
    for number in numbers:
        group = _group_of(section.groups, number) or bas.OTHER
        values = [section.sign * column.value(number) for column in columns]
        if not any(values):
            continue
        account = names.accounts.get(number)
        block = blocks.setdefault(group, GroupBlock(group.label))
        block.lines.append(Line(number, names.account_name(number), values, account.pk if account else None))
    order = [*section.groups, bas.OTHER]
    groups = [blocks[group] for group in order if group in blocks]
    for block in groups:
        block.totals = _sum([line.values for line in block.lines], width)
    return SectionBlock(section.label, groups, _sum([block.totals for block in groups], width))


def _numbers(figures: list[YearFigures]) -> list[str]:
    numbers: set[str] = set()
    for year in figures:
        numbers |= year.numbers()
    return sorted(numbers)


def _is_balance(number: str, figures: list[YearFigures]) -> bool:
    for year in figures:
        known = year.is_balance_sheet(number)
        if known is not None:
            return known
    return number[:1] in ("1", "2")


def balance_sheet(columns: list[Column], figures: list[YearFigures]) -> Statement:
    """Assets; equity and liabilities, with the year's result computed until it is booked."""
    current = figures[0]
    numbers = _numbers(figures)
    balance_numbers = [n for n in numbers if _is_balance(n, figures)]
    result_numbers = [n for n in numbers if not _is_balance(n, figures)]
    assets_section, liabilities_section = bas.BALANCE_SHEET
    assets = _section_block(
        assets_section, [n for n in balance_numbers if _type(n, figures) == "T"], columns, current
    )
    liabilities = _section_block(
        liabilities_section, [n for n in balance_numbers if _type(n, figures) == "S"], columns, current
    )
    # Until the closing entries book the result into equity, it is the difference.
    result = [-sum((column.value(n) for n in result_numbers), ZERO) for column in columns]
    if any(result):
        equity = next((g for g in liabilities.groups if g.label == liabilities_section.groups[0].label), None)
        if equity is None:
            equity = GroupBlock(liabilities_section.groups[0].label, [], [ZERO] * len(columns))
            liabilities.groups.insert(0, equity)
        equity.lines.append(Line("", _("Result for the year (not yet booked)"), result, computed=True))
        equity.totals = [a + b for a, b in zip(equity.totals, result, strict=True)]
        liabilities.totals = [a + b for a, b in zip(liabilities.totals, result, strict=True)]
    return Statement(_("Balance sheet"), columns, [assets, liabilities], result)


def _type(number: str, figures: list[YearFigures]) -> str:
    for year in figures:
        account = year.accounts.get(number)
        if account is not None:
            return account.type
    return bas.default_type(number)


def income_statement(columns: list[Column], figures: list[YearFigures]) -> Statement:
    """The BAS result sections with running subtotals (operating result ... result for the year)."""
    current = figures[0]
    numbers = [n for n in _numbers(figures) if not _is_balance(n, figures)]
    width = len(columns)
    sections = []
    placed: set[str] = set()
    running = [ZERO] * width
    for section in bas.INCOME_STATEMENT:
        mine = [n for n in numbers if _group_of(section.groups, n)]
        placed |= set(mine)
        block = _section_block(section, mine, columns, current)
        running = [a + b for a, b in zip(running, block.totals, strict=True)]
        if section.subtotal:
            block.subtotal_label = section.subtotal
            block.subtotal = list(running)
        sections.append(block)
    rest = [n for n in numbers if n not in placed]
    if rest:
        other = _section_block(bas.Section(_("Other accounts"), (), sign=-1), rest, columns, current)
        if other.groups:
            running = [a + b for a, b in zip(running, other.totals, strict=True)]
            other.subtotal_label = _("Result for the year")
            other.subtotal = list(running)
            sections.append(other)
    return Statement(_("Income statement"), columns, sections, running)


def monthly_result(figures: YearFigures) -> list[tuple[int, Decimal]]:
    """The result (profit positive) per month of the year."""
    result_numbers = [
        n
        for n in figures.numbers()
        if figures.is_balance_sheet(n) is False
        or (figures.is_balance_sheet(n) is None and n[:1] not in ("1", "2"))
    ]
    return [
        (period, -sum((figures.movement(n, [period]) for n in result_numbers), ZERO))
        for period in figures.periods
    ]
