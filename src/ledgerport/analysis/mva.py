"""The Norwegian VAT return's draft for a term, computed from the ledger's VAT codes, and its
reconciliation against the VAT accounts.

The rule set is research/norway-formats.md §3: each row's own VAT code maps to its standard
code (SAF-T StandardTaxCode = mvaKode) through the year's VatCode table; rows are grouped per
(standard code, own code); on each group a row on a VAT account (2700–2740 in the Norwegian
standard chart) is VAT, any other row is the base. Codes 0, 7, 20, 21, 22 are not reported;
reverse charge with deduction gives two lines (the output VAT, credited, and the deduction,
debited). Signs: the melding's positive is "to pay", the ledger's debit is positive, so a line's
VAT is minus its rows' sum; a sale's base is minus its rows (revenue is a credit), a purchase's
base is its rows. Each line is rounded to whole kroner (R082, half up), the total is the sum
of the rounded lines.

`compute` is pure (plain rows in, a Draft out); `term_draft` reads the rows with two GROUP BY
queries, so a term of a large ledger costs two scans of its months' index range.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField as BooleanOutput
from django.db.models import Case, Exists, OuterRef, Q, Sum, Value, When

from ledgerport.ledger.models import RowKind, VatCode, VoucherRow
from ledgerport.mvamelding import NOT_REPORTED, Line, Term, code_list, rate_text
from ledgerport.mvamelding.codes import allowed_rates
from ledgerport.tenancy.models import Company

ZERO = Decimal(0)
KRONE = Decimal(1)
VAT_ACCOUNTS = (2700, 2740)  # first and last four-digit account of the VAT accounts
SETTLEMENT_ACCOUNT = "2740"  # oppgjørskonto merverdiavgift: the term's settlement and its payment


def is_vat_account(number: str) -> bool:
    head = number[:4]
    return head.isdigit() and len(head) == 4 and VAT_ACCOUNTS[0] <= int(head) <= VAT_ACCOUNTS[1]


def kroner(value: Decimal) -> Decimal:
    return value.quantize(KRONE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RowSum:
    """The rows of one own code on one account with one sign, summed (debit positive)."""

    own_code: str
    account: str
    amount: Decimal
    debit: bool


@dataclass(frozen=True)
class CodeInfo:
    """An own code's entry in the year's VatCode table."""

    standard_code: str
    percentage: Decimal | None


@dataclass(frozen=True)
class DraftLine:
    code: str  # mvaKode
    own_code: str
    description: str  # bokmål, from Skatteetaten's code list
    kind: str  # "output", "deduction" or "zero"
    base: Decimal | None  # whole kroner, None on a deduction line
    rate: str | None  # the code list's text ("25", "11,11")
    vat: Decimal  # whole kroner, positive = to pay
    exact_base: Decimal | None  # in øre, before rounding
    exact_vat: Decimal
    vat_computed: bool = False  # no VAT-account rows: base × rate

    def melding_line(self) -> Line:
        return Line(self.code, self.vat, self.base, self.rate, self.own_code)


@dataclass(frozen=True)
class AccountMovement:
    account: str
    amount: Decimal  # the term's movement, debit positive
    uncoded: Decimal  # of which rows without a VAT code


@dataclass
class Draft:
    term: Term
    lines: list[DraftLine] = field(default_factory=list)
    unmapped: list[tuple[str, Decimal]] = field(default_factory=list)  # own codes without a standard code
    accounts: list[AccountMovement] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """fastsattMerverdiavgift: positive = to pay."""
        return sum((line.vat for line in self.lines), ZERO)

    @property
    def exact_total(self) -> Decimal:
        return sum((line.exact_vat for line in self.lines), ZERO)

    @property
    def ledger_total(self) -> Decimal:
        """The VAT accounts' movement in the melding's sign (a credit balance is to pay)."""
        return -sum((a.amount for a in self.accounts), ZERO)

    @property
    def difference(self) -> Decimal:
        """Draft minus ledger; what rounding alone explains is `rounding`."""
        return self.total - self.ledger_total

    @property
    def rounding(self) -> Decimal:
        return self.total - self.exact_total

    @property
    def unexplained(self) -> Decimal:
        return self.exact_total - self.ledger_total

    def melding_lines(self) -> tuple[Line, ...]:
        return tuple(line.melding_line() for line in self.lines)


def _purchase(code: str) -> bool:
    """Whether the base is a purchase (debit) rather than a sale (credit)."""
    info = code_list().get(code)
    return info is not None and (info.direction != "output" or int(code) >= 81 or code in ("14", "15"))


def _standard(own: str, table: Mapping[str, CodeInfo]) -> CodeInfo | None:
    info = table.get(own)
    if info is not None and info.standard_code:
        return info
    if own in code_list() or own in NOT_REPORTED:  # a ledger written in the standard codes
        return CodeInfo(own, None)
    return None


def compute(term: Term, rows: Iterable[RowSum], table: Mapping[str, CodeInfo]) -> Draft:
    """The draft from the term's coded rows (own code "" excluded by the caller)."""
    draft = Draft(term)
    groups: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: {"base": ZERO, "out": ZERO, "in": ZERO, "vat_rows": ZERO}
    )
    percentages: dict[tuple[str, str], Decimal | None] = {}
    unmapped: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        info = _standard(row.own_code, table)
        if info is None:
            unmapped[row.own_code] += row.amount
            continue
        if info.standard_code in NOT_REPORTED:
            continue
        key = (info.standard_code, row.own_code)
        percentages[key] = info.percentage
        sums = groups[key]
        if is_vat_account(row.account):
            sums["in" if row.debit else "out"] += row.amount
            sums["vat_rows"] += 1
        else:
            sums["base"] += row.amount
    for (code, own), sums in sorted(groups.items(), key=lambda item: (_order(item[0][0]), item[0][1])):
        draft.lines += _lines(code, own, sums, percentages[(code, own)])
    draft.unmapped = sorted(unmapped.items())
    return draft


def _order(code: str) -> int:
    return int(code) if code.isdigit() else 1000


def _lines(code: str, own: str, sums: dict[str, Decimal], percentage: Decimal | None) -> list[DraftLine]:
    info = code_list().get(code)
    if info is None:
        return []
    base = sums["base"] if _purchase(code) else -sums["base"]
    rate = rate_text(percentage) if percentage is not None else _default_rate(code)
    computed = not sums["vat_rows"] and not info.zero_rated and info.direction != "input"
    # No VAT row on the code (the program wrote none): base × rate.
    out_vat = base * Decimal(rate.replace(",", ".")) / 100 if computed and rate is not None else -sums["out"]
    deduction = -sums["in"]
    description = info.description
    if info.direction == "input":
        total = out_vat + deduction
        return [DraftLine(code, own, description, "deduction", None, None, kroner(total), None, total)]
    if info.zero_rated:
        return [DraftLine(code, own, description, "zero", kroner(base), "0", ZERO, base, ZERO)]
    output = DraftLine(
        code, own, description, "output", kroner(base), rate, kroner(out_vat), base, out_vat, computed
    )
    if info.two_lines:
        return [
            output,
            DraftLine(code, own, description, "deduction", None, None, kroner(deduction), None, deduction),
        ]
    if deduction:  # a debit on the VAT account of an output code (a credit note): still output VAT
        total = out_vat + deduction
        output = DraftLine(
            code, own, description, "output", kroner(base), rate, kroner(total), base, total, computed
        )
    return [output]


def _default_rate(code: str) -> str | None:
    rates = sorted(allowed_rates(code_list()[code]), key=lambda r: Decimal(r.replace(",", ".")))
    return rates[-1] if rates else None


def _term_rows(company: Company, term: Term) -> Q:
    return Q(fiscal_year__company=company, period__in=term.months, kind=RowKind.TRANS)


def term_draft(company: Company, term: Term) -> Draft:
    """The draft and its reconciliation for a company (already scoped to the user) and term."""
    coded = (
        VoucherRow.objects.filter(_term_rows(company, term))
        .exclude(vat_code="")
        .annotate(
            debit=Case(
                When(amount__gt=0, then=Value(True)), default=Value(False), output_field=BooleanOutput()
            )
        )
        .values("fiscal_year_id", "vat_code", "account__number", "debit")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    found = list(coded)
    tables: dict[int, dict[str, CodeInfo]] = defaultdict(dict)
    for vat in VatCode.objects.filter(
        fiscal_year__company=company, fiscal_year_id__in={r["fiscal_year_id"] for r in found}
    ).values("fiscal_year_id", "code", "standard_code", "percentage"):
        tables[vat["fiscal_year_id"]][vat["code"]] = CodeInfo(vat["standard_code"], vat["percentage"])
    # A term lies within one fiscal year in practice; a code read across two uses each year's table.
    rows = []
    table: dict[str, CodeInfo] = {}
    for r in found:
        year_table = tables.get(r["fiscal_year_id"], {})
        if r["vat_code"] in year_table:
            table[r["vat_code"]] = year_table[r["vat_code"]]
        rows.append(RowSum(r["vat_code"], r["account__number"], r["total"], r["debit"]))
    draft = compute(term, rows, table)
    draft.accounts = vat_account_movements(
        company, term, {r.account for r in rows if is_vat_account(r.account)}
    )
    return draft


def vat_account_movements(company: Company, term: Term, coded_accounts: set[str]) -> list[AccountMovement]:
    """The term's movement on the VAT accounts the coded rows went to, and on any other account
    of the range that moved. Vouchers touching the settlement account (the term's settlement,
    the payment of an earlier term) are left out: they move VAT between terms, not in one."""
    settlement = VoucherRow.objects.filter(
        voucher_id=OuterRef("voucher_id"), account__number__startswith=SETTLEMENT_ACCOUNT
    )
    moved = (
        VoucherRow.objects.filter(_term_rows(company, term))
        .filter(account__number__gte=str(VAT_ACCOUNTS[0]), account__number__lt=str(VAT_ACCOUNTS[1] + 1))
        .exclude(account__number__startswith=SETTLEMENT_ACCOUNT)
        .exclude(Exists(settlement))
        .values("account__number")
        .annotate(
            total=Sum("amount"), uncoded=Sum(Case(When(vat_code="", then="amount"), default=Value(ZERO)))
        )
        .order_by("account__number")
    )
    found: dict[str, tuple[Decimal, Decimal]] = {
        m["account__number"]: (m["total"], m["uncoded"] or ZERO)
        for m in moved
        if is_vat_account(m["account__number"])
    }
    return [
        AccountMovement(number, *found.get(number, (ZERO, ZERO)))
        for number in sorted(set(found) | coded_accounts)
    ]
