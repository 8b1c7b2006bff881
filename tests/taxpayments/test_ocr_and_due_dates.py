"""The OCR number without Skatteverket's own, and the due dates a summary names."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from ledgerport.analysis import deadlines
from ledgerport.taxpayments.ocr import ocr_number
from sandbox.skatteverket.scenario import ocr_number as sandbox_ocr


@pytest.mark.parametrize(
    ("orgnr", "ocr"),
    [
        # By hand (Luhn over "16" + orgnr, doubling from the right): 556036-0793 → 42 → 8.
        ("556036-0793", "1655603607938"),
        ("5590234562", "1655902345628"),
        ("19121212-1212", "1612121212121"),  # century dropped; by hand 23 + 6 = 29 → 1
    ],
)
def test_the_ocr_is_16_the_org_number_and_a_luhn_digit(orgnr, ocr):
    assert ocr_number(orgnr) == ocr


@given(st.from_regex(r"\A[0-9]{10}\Z"))
def test_every_ocr_passes_luhn_and_agrees_with_the_simulated_skatteverket(orgnr):
    ocr = ocr_number(orgnr)
    assert len(ocr) == 13 and ocr.startswith("16" + orgnr) and luhn.is_valid(ocr)
    assert ocr == sandbox_ocr(orgnr)


@pytest.mark.parametrize("bad", ["", "123", "55603607931", "abc"])
def test_not_an_org_number_is_refused(bad):
    with pytest.raises(ValueError, match="organisation number"):
        ocr_number(bad)


@pytest.mark.parametrize(
    ("month", "large", "due"),
    [
        (date(2026, 11, 1), False, date(2026, 11, 12)),  # the 12th, a Thursday
        (date(2026, 1, 1), False, date(2026, 1, 19)),  # January's 17th is a Saturday
        (date(2027, 1, 1), False, date(2027, 1, 18)),  # … a Sunday
        (date(2026, 8, 1), False, date(2026, 8, 17)),  # August: the 17th
        (date(2026, 8, 1), True, date(2026, 8, 12)),  # … the 12th for large companies
        (date(2026, 12, 1), False, date(2026, 12, 14)),  # December's 12th is a Saturday
        (date(2026, 9, 1), False, date(2026, 9, 14)),  # so is September's
        (date(2026, 6, 1), False, date(2026, 6, 12)),
    ],
)
def test_a_months_payment_is_due_on_the_12th_or_17th_moved_to_a_banking_day(month, large, due):
    assert deadlines.tax_payment_due(month, large=large) == due
    assert deadlines.tax_payment_due(month.replace(day=20), large=large) == due  # any day of the month


def test_the_payment_carries_the_vat_due_the_same_day():
    nov = deadlines.tax_payment_due(date(2026, 11, 1))
    assert deadlines.vat_period_due_on(nov, vat_period="monthly") == (date(2026, 9, 1), date(2026, 9, 30))
    assert deadlines.vat_period_due_on(nov, vat_period="quarterly") == (date(2026, 7, 1), date(2026, 9, 30))
    assert deadlines.vat_period_due_on(nov, vat_period="annual") is None
    dec = deadlines.tax_payment_due(date(2026, 12, 1))
    assert deadlines.vat_period_due_on(dec, vat_period="quarterly") is None  # no quarter ends in October
    # August: the 17th carries June's VAT (monthly) and April-June's (quarterly).
    aug = deadlines.tax_payment_due(date(2026, 8, 1))
    assert deadlines.vat_period_due_on(aug, vat_period="quarterly") == (date(2026, 4, 1), date(2026, 6, 30))


def test_large_companies_vat_is_due_on_the_26th_moved_past_easter():
    # February 2027's VAT: 26 March 2027 is Good Friday, then a weekend and Easter Monday.
    assert deadlines.vat_due(date(2027, 2, 1), date(2027, 2, 28), large=True) == date(2027, 3, 30)
    assert deadlines.vat_period_due_on(date(2027, 3, 30), vat_period="monthly", large=True) == (
        date(2027, 2, 1),
        date(2027, 2, 28),
    )
    # November's, due in December: the 27th (a Monday in 2027).
    assert deadlines.vat_period_due_on(date(2027, 12, 27), vat_period="monthly", large=True) == (
        date(2027, 11, 1),
        date(2027, 11, 30),
    )
    assert deadlines.vat_period_due_on(date(2027, 12, 27), vat_period="monthly") is None
