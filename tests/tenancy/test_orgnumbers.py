from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from ledgerport.tenancy import orgnumbers, services


@pytest.mark.parametrize(
    ("country", "given_number", "compact", "shown"),
    [
        ("SE", "556036-0793", "5560360793", "556036-0793"),
        ("SE", "5560360793", "5560360793", "556036-0793"),
        ("NO", "923 609 016", "923609016", "923 609 016"),
    ],
)
def test_valid_numbers_are_compacted_and_displayed(country, given_number, compact, shown):
    assert orgnumbers.compact(country, given_number) == compact
    assert orgnumbers.display(country, compact) == shown


@pytest.mark.parametrize(
    ("country", "number"), [("SE", "556036-0794"), ("NO", "923609017"), ("SE", "12"), ("DK", "12345678")]
)
def test_invalid_numbers_are_refused(country, number):
    with pytest.raises(orgnumbers.InvalidOrgnr):
        orgnumbers.compact(country, number)


@given(st.from_regex(r"[1-9][0-9][2-9][0-9]{6}", fullmatch=True))
def test_any_luhn_valid_swedish_number_round_trips(stem):
    number = stem + luhn.calc_check_digit(stem)
    shown = orgnumbers.display("SE", number)
    assert orgnumbers.compact("SE", shown) == number


def test_company_create_validates_per_country(db):
    firm = services.firm_create(name="Byrån")
    company = services.company_create(firm=firm, name="Fjord AS", orgnr="923 609 016", country="NO")
    assert company.orgnr == "923609016"
    with pytest.raises(ValidationError) as excinfo:
        services.company_create(firm=firm, name="Fel AB", orgnr="556036-0794", country="SE")
    assert "orgnr" in excinfo.value.message_dict
