"""The BAS chart's classes and groups, as the statements show them.

A group is a range of two-digit account prefixes ("30"–"37"). Amounts in the ledger are
debit positive; the statements show income, equity and liabilities with their sign
flipped (`sign = -1`) so that a profit and a debt read as positive numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def default_type(number: str) -> str:
    """The account type BAS implies when the file has no #KTYP."""
    first = number[:1]
    if first == "1":
        return "T"
    if first == "2":
        return "S"
    if first == "3":
        return "I"
    return "K"


@dataclass(frozen=True)
class Group:
    label: str | Promise
    first: str  # two-digit prefixes, inclusive
    last: str

    def contains(self, number: str) -> bool:
        return self.first <= number[:2] <= self.last


@dataclass(frozen=True)
class Section:
    label: str | Promise
    groups: tuple[Group, ...]
    sign: int  # 1: shown as booked (debit positive); -1: shown flipped
    subtotal: str | Promise = ""  # a running result shown after the section (income statement)


BALANCE_SHEET = (
    Section(
        _("Assets"),
        (
            Group(_("Intangible fixed assets"), "10", "10"),
            Group(_("Buildings and land"), "11", "11"),
            Group(_("Machinery and equipment"), "12", "12"),
            Group(_("Financial fixed assets"), "13", "13"),
            Group(_("Inventories and work in progress"), "14", "14"),
            Group(_("Accounts receivable"), "15", "15"),
            Group(_("Other current receivables"), "16", "16"),
            Group(_("Prepaid expenses and accrued income"), "17", "17"),
            Group(_("Short-term investments"), "18", "18"),
            Group(_("Cash and bank"), "19", "19"),
        ),
        sign=1,
    ),
    Section(
        _("Equity and liabilities"),
        (
            Group(_("Equity"), "20", "20"),
            Group(_("Untaxed reserves"), "21", "21"),
            Group(_("Provisions"), "22", "22"),
            Group(_("Long-term liabilities"), "23", "23"),
            Group(_("Current liabilities to credit institutions, customers and suppliers"), "24", "24"),
            Group(_("Tax liabilities"), "25", "25"),
            Group(_("VAT and excise duties"), "26", "26"),
            Group(_("Personnel taxes, charges and deductions"), "27", "27"),
            Group(_("Other current liabilities"), "28", "28"),
            Group(_("Accrued expenses and deferred income"), "29", "29"),
        ),
        sign=-1,
    ),
)

INCOME_STATEMENT = (
    Section(
        _("Operating income"),
        (
            Group(_("Net sales"), "30", "37"),
            Group(_("Capitalised work and other operating income"), "38", "39"),
        ),
        sign=-1,
    ),
    Section(
        _("Operating expenses"),
        (
            Group(_("Goods, materials and services"), "40", "49"),
            Group(_("Other external expenses"), "50", "69"),
            Group(_("Personnel expenses"), "70", "76"),
            Group(_("Depreciation and amortisation"), "77", "79"),
        ),
        sign=-1,
        subtotal=_("Operating result"),
    ),
    Section(
        _("Financial items"),
        (Group(_("Financial income and expenses"), "80", "87"),),
        sign=-1,
        subtotal=_("Result after financial items"),
    ),
    Section(
        _("Appropriations and tax"),
        (
            Group(_("Appropriations"), "88", "88"),
            Group(_("Tax and result for the year"), "89", "89"),
        ),
        sign=-1,
        subtotal=_("Result for the year"),
    ),
)

# Accounts outside every group (class 9, odd numbers) still count, under this heading.
OTHER = Group(_("Other accounts"), "", "")
