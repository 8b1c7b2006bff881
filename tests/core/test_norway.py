"""Norwegian identifiers and formats: the rules against an independent oracle (property tests)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ledgerport.core import norway
from ledgerport.core.norway import NorwegianValueError

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def mod11(body: str, weights: tuple[int, ...]) -> int | None:
    """The check digit of research §6.1: 11 − (Σ mod 11), 11 → 0, 10 → no valid number."""
    k = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return 0 if k == 11 else (None if k == 10 else k)


ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def with_check(body: str, weights: tuple[int, ...]) -> str | None:
    k = mod11(body, weights)
    return None if k is None else body + str(k)


def rejects(rule, value: str, **kwargs) -> bool:
    try:
        rule(value, **kwargs)
    except NorwegianValueError:
        return True
    return False


def change_one_digit(number: str, position: int, delta: int) -> str:
    return number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]


# --- organisation number ------------------------------------------------------------------


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_orgnr_valid_check_digit_accepted_any_changed_digit_refused(body):
    number = with_check(body, ORG_WEIGHTS)
    assume(number is not None)
    assert norway.orgnr_clean(number) == number
    assert norway.orgnr_clean(f"{number[:3]} {number[3:6]} {number[6:]}") == number
    for position in range(9):
        assert rejects(norway.orgnr_clean, change_one_digit(number, position, 3))


@given(st.text(alphabet="0123456789", min_size=0, max_size=14).filter(lambda s: len(s) != 9))
def test_orgnr_not_nine_digits_refused(value):
    assert rejects(norway.orgnr_clean, value)


def test_orgnr_demo_company():
    assert norway.orgnr_clean("923 609 016") == "923609016"
    assert rejects(norway.orgnr_clean, "923609017")


# --- bank account -------------------------------------------------------------------------


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_account_valid_check_digit_accepted_changed_digit_refused(body):
    number = with_check(body, ACCOUNT_WEIGHTS)
    assume(number is not None and not number.startswith("0000"))
    assert norway.account_clean(f"{number[:4]}.{number[4:6]}.{number[6:]}") == number
    for position in range(11):
        assert rejects(norway.account_clean, change_one_digit(number, position, 1))


@given(st.text(alphabet="0123456789", max_size=14).filter(lambda s: len(s) != 11))
def test_account_not_eleven_digits_refused(value):
    # stdnum takes 7-digit Luhn numbers too; a Norwegian account number has 11 digits.
    assert rejects(norway.account_clean, value)


def test_account_of_bank_0000_refused():
    assert rejects(norway.account_clean, "00000000000")


# --- fødselsnummer / D-nummer -------------------------------------------------------------

born = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2039, 12, 31)).filter(
    lambda d: d <= datetime.datetime.now(norway.OSLO).date()
)


def individual_for(day: datetime.date, n: int) -> int:
    """An individual number (3 digits) placing the birth in its century (stdnum's table)."""
    if day.year < 2000:
        return n % 500
    return 500 + n % 500


def person_number(day: datetime.date, n: int, *, d_number=False, synthetic=False) -> str | None:
    dd = day.day + (40 if d_number else 0)
    mm = day.month + (80 if synthetic else 0)
    body = f"{dd:02d}{mm:02d}{day.year % 100:02d}{individual_for(day, n):03d}"
    k1 = mod11(body, K1)
    if k1 is None:
        return None
    k2 = mod11(body + str(k1), K2)
    return None if k2 is None else f"{body}{k1}{k2}"


@given(born, st.integers(0, 999), st.booleans())
def test_person_numbers_with_valid_check_digits_accepted(day, n, d_number):
    number = person_number(day, n, d_number=d_number)
    assume(number is not None)
    assert norway.person_clean(number) == number
    for position in range(11):
        assert rejects(norway.person_clean, change_one_digit(number, position, 1)) or position < 6


@given(born, st.integers(0, 999))
def test_synthetic_test_persons_only_in_test_mode(day, n):
    number = person_number(day, n, synthetic=True)
    assume(number is not None)
    assert rejects(norway.person_clean, number)
    assert norway.person_clean(number, accept_synthetic=True) == number


def test_skatteetaten_example_test_person():
    # The synthetic person in Skatteetaten's own skattekort example (month 83 = March).
    assert norway.person_clean("13830197340", accept_synthetic=True) == "13830197340"
    assert rejects(norway.person_clean, "13830197340")


def test_person_born_in_the_future_refused():
    tomorrow = datetime.datetime.now(norway.OSLO).date() + datetime.timedelta(days=400)
    for n in range(20):
        number = person_number(tomorrow, n)
        if number:
            assert rejects(norway.person_clean, number)
            return
    pytest.skip("no valid number drawn")


@given(st.text(alphabet="0123456789 ", max_size=14).filter(lambda s: len(s.replace(" ", "")) != 11))
def test_person_not_eleven_digits_refused(value):
    assert rejects(norway.person_clean, value)


# --- postal code, phone, date, password ---------------------------------------------------


@given(st.integers(1, 9999))
def test_postal_code_four_digits(n):
    assert norway.postal_code_clean(f"{n:04d}") == f"{n:04d}"


@given(
    st.text(max_size=6).filter(lambda s: not (len(s.strip()) == 4 and s.strip().isdigit() and s.isascii()))
)
def test_postal_code_anything_else_refused(value):
    assert rejects(norway.postal_code_clean, value)


@given(
    st.sampled_from("23456789"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
    st.sampled_from(["", "+47 ", "0047"]),
)
def test_phone_eight_digits(first, rest, prefix):
    number = first + rest
    assert norway.phone_clean(prefix + f"{number[:3]} {number[3:5]} {number[5:]}") == number
    assert (
        (norway.phone_clean(number, mobile=True) == number)
        if first in "49"
        else rejects(norway.phone_clean, number, mobile=True)
    )


@given(st.text(alphabet="0123456789", max_size=12).filter(lambda s: len(s) != 8 or s[:1] in "01"))
def test_phone_other_lengths_and_leading_zero_or_one_refused(value):
    assert rejects(norway.phone_clean, value)


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_date_dd_mm_yyyy(day):
    assert norway.date_clean(day.strftime("%d.%m.%Y")) == day
    assert rejects(norway.date_clean, day.isoformat())


@pytest.mark.parametrize("value", ["31.02.2025", "1.1.2025", "32.01.2025", "31/12/2025", "31.12.25"])
def test_date_impossible_or_other_forms_refused(value):
    assert rejects(norway.date_clean, value)


letters_digits = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=30
)


@given(letters_digits)
def test_datasystem_password_needs_upper_lower_digit(extra):
    value = "Ab1" + extra
    assert norway.datasystem_password_clean(value) == value


@given(letters_digits, st.characters(blacklist_categories=("Lu", "Ll", "Nd")))
def test_datasystem_password_special_characters_refused(value, special):
    assert rejects(norway.datasystem_password_clean, "Ab1" + value + special)


@pytest.mark.parametrize("value", ["abcdef12", "ABCDEF12", "Abcdefgh", "Åbcdef12", ""])
def test_datasystem_password_missing_a_class_or_non_ascii_refused(value):
    assert rejects(norway.datasystem_password_clean, value)
