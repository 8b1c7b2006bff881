"""Kronor as the PDFs print them and as the firm types them: the one reads back as the other."""

from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from ledgerport.taxpayments.forms import AmountField
from ledgerport.taxpayments.pdf import kronor

amounts = st.decimals(min_value=Decimal("-99999999999"), max_value=Decimal("99999999999"), places=2)


@given(amounts)
def test_a_printed_amount_is_read_back_exactly(amount):
    assert AmountField(required=False, max_digits=14, decimal_places=2).clean(kronor(amount)) == amount


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12 345,50", "12345.50"),
        ("-1200.5", "-1200.5"),
        ("1\u00a0000", "1000"),
        ("\u22123,25", "-3.25"),
        ("", None),
    ],
)
def test_what_people_type(typed, value):
    cleaned = AmountField(required=False, max_digits=14, decimal_places=2).clean(typed)
    assert cleaned == (Decimal(value) if value is not None else None)


@pytest.mark.parametrize("typed", ["12,345", "1.2.3", "abc", "1e5000"])
def test_what_is_refused(typed):
    with pytest.raises(forms.ValidationError):
        AmountField(required=False, max_digits=14, decimal_places=2).clean(typed)


def test_kronor_groups_thousands_with_a_space_and_uses_a_decimal_comma():
    assert kronor(Decimal("168131.87")) == "168 131,87"
    assert kronor(Decimal("-4581")) == "-4 581,00"
    assert kronor(Decimal("0")) == "0,00"
