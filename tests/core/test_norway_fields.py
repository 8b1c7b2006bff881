"""The Norwegian form fields: canonical values back, and in bokmål the message of each rule."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ledgerport.core import norway_fields as no


class NorwegianForm(forms.Form):
    orgnr = no.OrgnrField()
    account = no.AccountNumberField()
    person = no.PersonNumberField()
    postal_code = no.PostalCodeField()
    phone = no.PhoneField()
    mobile = no.MobileField()
    day = no.DateField()
    text = no.TextAreaField()


VALID = {
    "orgnr": "923 609 016",
    "account": "1503.12.34562",
    "person": "01010012356",
    "postal_code": "5003",
    "phone": "55 12 34 56",
    "mobile": "+47 912 34 567",
    "day": "31.12.2025",
    "text": "Hei",
}

MESSAGES = {
    "orgnr": "Organisasjonsnummeret må ha 9 siffer og riktig kontrollsiffer.",
    "account": "Kontonummeret må ha 11 siffer og riktig kontrollsiffer.",
    "person": "Fødselsnummeret eller D-nummeret må ha 11 siffer og riktige kontrollsiffer.",
    "postal_code": "Postnummeret må ha 4 siffer.",
    "phone": "Telefonnummeret må ha 8 siffer.",
    "mobile": "Mobilnummeret må være et norsk nummer med 8 siffer som begynner på 4 eller 9.",
    "day": "Datoen er ugyldig: skriv den som dd.mm.åååå, for eksempel 31.12.2025.",
}


def errors(data):
    with translation.override("nb"):
        form = NorwegianForm(data)
        form.is_valid()
        return {name: [str(m) for m in messages] for name, messages in form.errors.items()}, form


def test_valid_values_come_back_canonical():
    found, form = errors(VALID)
    assert found == {}
    assert form.cleaned_data == {
        "orgnr": "923609016",
        "account": "15031234562",
        "person": "01010012356",
        "postal_code": "5003",
        "phone": "55123456",
        "mobile": "91234567",
        "day": datetime.date(2025, 12, 31),
        "text": "Hei",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("orgnr", "923609017"),
        ("orgnr", "92360901"),
        ("account", "15031234563"),
        ("account", "1503123456"),
        ("person", "01010012357"),
        ("person", "0101001235"),
        ("postal_code", "503"),
        ("postal_code", "50033"),
        ("phone", "1234567"),
        ("phone", "12345678"),
        ("mobile", "55123456"),
        ("day", "2025-12-31"),
        ("day", "30.02.2025"),
    ],
)
def test_each_wrong_value_gets_its_rule_message(field, value):
    found, _ = errors({**VALID, field: value})
    assert found == {field: [MESSAGES[field]]}


def test_required_fields_say_they_must_be_filled_in():
    found, _ = errors({})
    assert set(found) == set(VALID)
    assert all(messages == ["Dette feltet må fylles ut."] for messages in found.values())


@given(st.integers(2001, 2600))
def test_text_over_2000_characters_is_refused_with_the_count(length):
    found, _ = errors({**VALID, "text": "x" * length})
    assert found == {"text": [f"Høyst 2000 tegn (du har skrevet {length})."]}


def test_text_of_2000_characters_is_accepted():
    assert errors({**VALID, "text": "x" * 2000})[0] == {}


def test_synthetic_test_persons_follow_the_setting(settings):
    settings.NO_SYNTHETIC_PERSONS = False
    assert "person" in errors({**VALID, "person": "13830197340"})[0]
    settings.NO_SYNTHETIC_PERSONS = True
    assert errors({**VALID, "person": "13830197340"})[0] == {}
