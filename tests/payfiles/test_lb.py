"""Bankgirot's LB format: the records the research documents are read, anything else refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport.payfiles import AccountKind, PaymentFile, PaymentFileRefused, ReferenceKind, read_payment_file

from .builder import SUPPLIER_BG, realistic
from .lb_builder import deposit_account, end, lb, opening, payment, realistic_lb, record


def refused(data: bytes) -> list[str]:
    with pytest.raises(PaymentFileRefused) as caught:
        read_payment_file(data)
    return [str(p) for p in caught.value.problems]


def test_an_lb_file_is_summarised_by_date_with_its_end_records_totals():
    summary = read_payment_file(realistic_lb())
    assert summary.control_sum == summary.total == Decimal("71964.50")
    assert summary.number_of_transactions == 3
    assert [b.date for b in summary.batches] == [datetime.date(2026, 3, 12), datetime.date(2026, 3, 25)]
    assert {b.debtor_account.formatted for b in summary.batches} == {"7354-0122"}
    tax, invoice, deposit = summary.payments
    assert (tax.account.formatted, tax.reference.kind, tax.amount) == (
        "5050-1055",
        ReferenceKind.OCR,
        Decimal("48215.00"),
    )
    assert (invoice.reference.kind, invoice.reference.value) == (ReferenceKind.INVOICE, "FAKTURA 4711")
    assert (deposit.account.kind, deposit.account.formatted) == (AccountKind.BANK_ACCOUNT, "5000 1234560")
    assert tax.creditor == ""  # bankgiro records carry no name
    assert read_payment_file(realistic()).number_of_transactions == 8  # pain.001 still read


def test_a_total_or_count_that_does_not_add_up_is_refused():
    problems = refused(lb(opening(), payment(SUPPLIER_BG, "1", 100), end(2, 101)))
    assert any(p.startswith("TK29 13-20 (line 3): NbOfTxs says 00000002") for p in problems)
    assert any(p.startswith("TK29 21-32 (line 3): CtrlSum says 000000000101") for p in problems)


def test_bad_check_digits_unknown_records_and_long_lines_are_refused():
    problems = refused(
        lb(
            opening("1234567"),
            payment("7654321", "1", 100),
            record((1, "54"), (3, "4789202")),
            end(1, 100),
        )
    )
    assert problems[0] == "TK11 3-12 (line 1): bankgiro number '1234567' has a wrong check digit"
    assert "TK54 (line 3): record type 54 is not read here" in problems[1]
    assert "TK14 3-12 (line 2): bankgiro number '7654321' has a wrong check digit" in problems
    assert refused(lb(opening(), payment(SUPPLIER_BG, "1", 100) + "x", end(1, 100)))[0].startswith(
        "record (line 2)"
    )
    assert "TK29" in refused(lb(opening(), payment(SUPPLIER_BG, "1", 100)))[0]
    assert refused(lb(opening(), payment(SUPPLIER_BG, "1", 100, "261399"), end(1, 100)))[0].startswith(
        "TK14 50-55 (line 2)"
    )
    assert refused(lb(opening(), deposit_account("000001", "9990", "1"), end(0, 0))) == [
        "TK40 13-28 (line 2): clearing number 9990 is not a Swedish bank's"
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_damage_to_an_lb_file_is_refused_or_still_adds_up(data):
    content = bytearray(realistic_lb())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(content) - 1))
        content[at] = data.draw(st.integers(0, 255))
    try:
        summary = read_payment_file(bytes(content))
    except PaymentFileRefused as caught:
        assert caught.problems
    else:
        assert isinstance(summary, PaymentFile) and summary.total == summary.control_sum
