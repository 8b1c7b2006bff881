"""Property tests: amounts and control sums survive the round trip; corruption is refused
with a message (never another exception)."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport.payfiles import PaymentFile, PaymentFileRefused, read_pain001
from ledgerport.payfiles.checkdigits import luhn_digit, luhn_valid, mod11_digit, mod11_valid

from .builder import SUPPLIER_BG, SUPPLIER_PG, Batch, File, Tx, build, realistic

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2)
dates = st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat())
REALISTIC = realistic()
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(st.lists(st.tuples(dates, st.lists(amounts, min_size=1, max_size=6)), min_size=1, max_size=4))
def test_amounts_and_control_sums_round_trip(batches):
    file = File(
        batches=[
            Batch(
                date=day,
                txs=[
                    Tx(f"Lev {i}", "bankgiro", SUPPLIER_BG, str(a), invoice=str(i)) for i, a in enumerate(xs)
                ],
            )
            for day, xs in batches
        ]
    )
    summary = read_pain001(build(file))
    expected = [a for _, xs in batches for a in xs]
    assert [p.amount for p in summary.payments] == expected
    assert summary.control_sum == summary.total == sum(expected, Decimal("0"))
    assert summary.number_of_transactions == len(expected)
    assert [b.total for b in summary.batches] == [sum(xs, Decimal("0")) for _, xs in batches]


def _outcome(data: bytes) -> PaymentFile | list[str]:
    try:
        return read_pain001(data)
    except PaymentFileRefused as refused:
        assert refused.problems and all(p.reason and p.path.startswith("/") for p in refused.problems)
        return [str(p) for p in refused.problems]


@fast
@given(st.data())
def test_random_byte_corruption_is_refused_or_still_adds_up(data):
    """Any damage either leaves a file whose totals still equal its control sum or is
    refused with a message; nothing else ever escapes."""
    content = bytearray(REALISTIC)
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            content[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del content[at : at + data.draw(st.integers(1, 40))]
        else:
            content[at:at] = data.draw(st.binary(min_size=1, max_size=20))
    outcome = _outcome(bytes(content))
    if isinstance(outcome, PaymentFile):
        assert outcome.total == outcome.control_sum
        assert outcome.number_of_transactions == len(outcome.payments)


@fast
@given(st.integers(1, len(REALISTIC.rstrip()) - 1))
def test_a_truncated_file_is_refused(length):
    assert isinstance(_outcome(REALISTIC[:length]), list)


# The digits that matter: amounts, control sums, account numbers and OCR numbers.
_NUMBERS = [
    m.span(1)
    for m in re.finditer(
        rb"(?:<(?:InstdAmt[^>]*|CtrlSum|IBAN|Ref)>|(?<!<OrgId>)<Othr><Id>)([0-9A-Z.]+)</", REALISTIC
    )
]


@fast
@given(st.sampled_from(_NUMBERS), st.data())
def test_changing_one_digit_of_a_number_is_refused(span, data):
    start, end = span
    positions = [i for i in range(start, end) if chr(REALISTIC[i]).isdigit()]
    at = data.draw(st.sampled_from(positions))
    new = data.draw(st.sampled_from([d for d in b"0123456789" if d != REALISTIC[at]]))
    content = bytearray(REALISTIC)
    content[at] = new
    assert isinstance(_outcome(bytes(content)), list), content[start:end]


def _change(number: str, where: int, delta: int) -> str:
    at = where % len(number)
    return number[:at] + str((int(number[at]) + delta) % 10) + number[at + 1 :]


@given(st.text("0123456789", min_size=1, max_size=20), st.integers(0, 19), st.integers(1, 9))
def test_luhn_catches_every_single_digit_error(body, where, delta):
    number = body + luhn_digit(body)
    assert luhn_valid(number)
    assert not luhn_valid(_change(number, where, delta))


@given(st.text("0123456789", min_size=1, max_size=20), st.integers(0, 19), st.integers(1, 9))
def test_mod11_catches_every_single_digit_error(body, where, delta):
    digit = mod11_digit(body)
    if digit is None:  # the check digit would be 10: no such number is issued
        return
    number = body + digit
    assert mod11_valid(number)
    assert not mod11_valid(_change(number, where, delta))


def test_the_sampled_numbers_cover_every_kind():
    texts = {REALISTIC[a:b] for a, b in _NUMBERS}
    assert SUPPLIER_BG.encode() in texts and SUPPLIER_PG.encode() in texts
    assert b"48215.00" in texts and b"93013.15" in texts and b"1655603607938" in texts
