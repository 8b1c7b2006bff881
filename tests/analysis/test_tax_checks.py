"""The tax checks over plain inputs, each against a result worked out by hand."""

from datetime import date
from decimal import Decimal

from ledgerport.analysis.tax_checks import (
    LedgerItem,
    LedgerRow,
    TaxRow,
    estimated_interest,
    late_payments,
    match_rows,
    month_balances,
    period_differences,
    period_of,
    tax_account_by_period,
)

D = date
M = Decimal

PAYMENT = TaxRow(D(2026, 3, 11), "Inbetalning bokförd 260311", M("1000.00"))
DEBITS = [
    TaxRow(D(2026, 3, 12), "Avdragen skatt februari 2026", M("-300.00")),
    TaxRow(D(2026, 3, 12), "Arbetsgivaravgift februari 2026", M("-314.20")),
    TaxRow(D(2026, 3, 12), "Moms februari 2026", M("-250.00")),
    TaxRow(D(2026, 3, 12), "Debiterad preliminärskatt", M("-135.80")),
]
INTEREST = TaxRow(D(2026, 4, 4), "Kostnadsränta", M("-12"))
TAX = [PAYMENT, *DEBITS, INTEREST]


def test_a_tax_debit_booked_as_one_row_is_matched_by_its_parts():
    ledger = [
        LedgerRow(D(2026, 3, 10), "A5", M("1000.00")),  # a day before the tax account booked it
        LedgerRow(
            D(2026, 3, 12), "A6", M("-1000.00"), (M("-300.00"), M("-314.20"), M("-250.00"), M("-135.80"))
        ),
    ]
    result = match_rows(TAX, ledger)
    assert result.unmatched_tax == [INTEREST]
    assert result.unmatched_ledger == []
    assert len(result.matches) == 5


def test_a_part_booked_with_another_amount_is_unmatched_on_both_sides():
    ledger = [
        LedgerRow(D(2026, 3, 11), "A5", M("1000.00")),
        LedgerRow(
            D(2026, 3, 12), "A6", M("-1005.80"), (M("-300.00"), M("-320.00"), M("-250.00"), M("-135.80"))
        ),
    ]
    result = match_rows(TAX, ledger)
    assert result.unmatched_tax == [DEBITS[1], INTEREST]
    assert result.unmatched_ledger == [LedgerItem(D(2026, 3, 12), "A6", M("-320.00"))]


def test_one_row_without_parts_matches_a_days_debits_together():
    ledger = [LedgerRow(D(2026, 3, 11), "A5", M("1000.00")), LedgerRow(D(2026, 3, 13), "A6", M("-1000.00"))]
    result = match_rows(TAX, ledger)
    assert result.unmatched_tax == [INTEREST]
    assert result.unmatched_ledger == []
    assert [len(m.tax) for m in result.matches] == [1, 4]


def test_dates_further_apart_than_the_tolerance_do_not_match():
    ledger = [LedgerRow(D(2026, 3, 3), "A5", M("1000.00"))]  # 8 days before
    result = match_rows([PAYMENT], ledger)
    assert result.unmatched_tax == [PAYMENT]
    assert result.unmatched_ledger == [LedgerItem(D(2026, 3, 3), "A5", M("1000.00"))]
    assert match_rows([PAYMENT], ledger, tolerance_days=8).unmatched_tax == []


def test_the_closest_date_wins_among_equal_amounts():
    fskatt = [TaxRow(D(2026, m, 12), "Debiterad preliminärskatt", M("-135.80")) for m in (3, 4)]
    ledger = [LedgerRow(D(2026, 4, 9), "A9", M("-135.80")), LedgerRow(D(2026, 3, 12), "A6", M("-135.80"))]
    result = match_rows(fskatt, ledger)
    assert {(m.tax[0].booked, m.ledger.voucher) for m in result.matches} == {
        (D(2026, 3, 12), "A6"),
        (D(2026, 4, 12), "A9"),
    }


def test_month_balances():
    result = month_balances(
        [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)],
        tax_opening=M("10.00"),
        tax_rows=TAX,
        ledger_opening=M("10.00"),
        ledger_rows=[
            LedgerRow(D(2026, 3, 11), "A5", M("1000.00")),
            LedgerRow(D(2026, 3, 31), "A6", M("-1000.00")),
        ],
        until=D(2026, 4, 20),
    )
    assert [(b.month, b.on, b.tax_account, b.ledger, b.difference) for b in result] == [
        (D(2026, 3, 1), D(2026, 3, 31), M("10.00"), M("10.00"), M("0.00")),
        (D(2026, 4, 1), D(2026, 4, 20), M("-2.00"), M("10.00"), M("-12.00")),
    ]


def test_late_payments_count_new_debt_only():
    rows = [
        PAYMENT,
        *DEBITS,  # 12 March: paid the day before, on time
        TaxRow(D(2026, 4, 13), "Avdragen skatt mars 2026", M("-500.00")),
        TaxRow(D(2026, 4, 15), "Inbetalning bokförd 260415", M("500.00")),  # two days late
        TaxRow(D(2026, 5, 2), "Kostnadsränta", M("-3")),  # unpaid, carried
        TaxRow(D(2026, 5, 11), "Inbetalning bokförd 260511", M("200.00")),
        TaxRow(D(2026, 5, 12), "Avdragen skatt april 2026", M("-200.00")),
    ]
    due = [D(2026, 3, 12), D(2026, 3, 26), D(2026, 4, 13), D(2026, 4, 27), D(2026, 5, 12)]
    result = late_payments(due, opening=M(0), rows=rows, until=D(2026, 5, 20))
    # 500 × 17.5 % × 2 / 365 = 0.479…
    assert [(p.due_date, p.amount_due, p.paid_date, p.interest) for p in result] == [
        (D(2026, 4, 13), M("-500.00"), D(2026, 4, 15), M("-0.48"))
    ]


def test_a_debt_not_yet_paid_has_no_paid_date_and_interest_to_the_last_day():
    rows = [TaxRow(D(2026, 4, 13), "Moms februari 2026", M("-1000.00"))]
    [late] = late_payments([D(2026, 4, 13)], opening=M("400.00"), rows=rows, until=D(2026, 4, 23))
    # the surplus of 400 covered part: 600 × 17.5 % × 10 / 365 = 2.876…
    assert (late.amount_due, late.paid_date, late.interest) == (M("-600.00"), None, M("-2.88"))


def test_no_interest_estimate_before_the_first_known_rate():
    assert estimated_interest(M("-100"), D(2024, 11, 25), D(2024, 12, 5)) is None
    assert estimated_interest(M("-365"), D(2024, 12, 1), D(2024, 12, 5)) == M("-0.70")


def test_period_texts():
    assert period_of("Arbetsgivaravgift mars 2026") == ("arbetsgivaravgift", D(2026, 3, 1))
    assert period_of("Avdragen skatt December 2025") == ("avdragen_skatt", D(2025, 12, 1))
    assert period_of("Moms okt 2025") == ("moms", D(2025, 10, 1))
    assert period_of("Inbetalning bokförd 260311") is None
    assert period_of("Moms xyz 2025") is None
    assert tax_account_by_period(TAX) == {
        (D(2026, 2, 1), "avdragen_skatt"): M("-300.00"),
        (D(2026, 2, 1), "arbetsgivaravgift"): M("-314.20"),
        (D(2026, 2, 1), "moms"): M("-250.00"),
    }


def test_period_differences():
    feb, mar = D(2026, 2, 1), D(2026, 3, 1)
    keys = [(feb, "arbetsgivaravgift"), (feb, "avdragen_skatt"), (mar, "arbetsgivaravgift")]
    result = period_differences(
        keys,
        declared={(feb, "arbetsgivaravgift"): M("-314.20"), (feb, "avdragen_skatt"): M("-300.00")},
        tax_account={(feb, "arbetsgivaravgift"): M("-314.20"), (feb, "avdragen_skatt"): M("-300.00")},
        booked={(feb, "arbetsgivaravgift"): M("-320.00"), (feb, "avdragen_skatt"): M("-300.00")},
    )
    assert [(d.period, d.kind, d.declared, d.tax_account, d.booked) for d in result] == [
        (feb, "arbetsgivaravgift", M("-314.20"), M("-314.20"), M("-320.00"))
    ]  # March: nothing anywhere, no difference
