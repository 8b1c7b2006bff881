"""Swedish payment accounts and OCR numbers by their published check-digit rules."""

from __future__ import annotations

import pytest

from ledgerport.payfiles.accounts import parse_bank_account, parse_bankgiro, parse_iban, parse_plusgiro
from ledgerport.payfiles.references import check_ocr


def test_bankgiro_and_plusgiro():
    assert parse_bankgiro("5050-1055").formatted == "5050-1055"  # Skatteverket's bankgiro
    assert parse_bankgiro("123-4566").number == "1234566"
    assert parse_plusgiro("4789202").formatted == "47 89 20-2"
    for bad in ("5050-1056", "123", "12345678901", "5050-105x"):
        with pytest.raises(ValueError):
            parse_bankgiro(bad)
    with pytest.raises(ValueError, match="wrong check digit"):
        parse_plusgiro("4789203")


@pytest.mark.parametrize(
    ("clearing", "account", "shown"),
    [
        ("5000", "1234560", "5000 1234560"),  # SEB, type 1 comment 1
        ("1400", "0000003", None),  # Nordea, type 1 comment 2 (all eleven digits)
        ("6000", "123456789", "6000 123456789"),  # Handelsbanken, type 2 comment 2
        ("83279", "1234567897", "8327-9 1234567897"),  # Swedbank, five-digit clearing
        ("3300", "1212121212", None),  # Nordea personkonto: the personnummer, Luhn
    ],
)
def test_valid_bank_accounts(clearing, account, shown):
    parsed = parse_bank_account(clearing, account)
    assert parsed.number == clearing + account
    if shown:
        assert parsed.formatted == shown


@pytest.mark.parametrize(
    ("clearing", "account", "reason"),
    [
        ("5000", "1234561", "wrong check digit"),
        ("5000", "123456", "must have 7 digits"),
        ("6000", "12345678", "wrong check digit or length"),
        ("83278", "1234567897", "clearing number 83278 has a wrong check digit"),
        ("9990", "1234567", "not a Swedish bank's"),
        ("0999", "1234567", "not a Swedish bank's"),
    ],
)
def test_invalid_bank_accounts(clearing, account, reason):
    with pytest.raises(ValueError, match=reason):
        parse_bank_account(clearing, account)


def test_iban():
    assert parse_iban("SE45 5000 0000 0583 9825 7466").number == "SE4550000000058398257466"
    with pytest.raises(ValueError, match="not valid"):
        parse_iban("SE45 5000 0000 0583 9825 7467")


def test_ocr_numbers_and_rf_references():
    assert check_ocr("1655603607938") == "1655603607938"
    assert check_ocr("RF18 5390 0754 7034") == "RF18539007547034"
    for bad, reason in (
        ("1655603607939", "check digit"),
        ("12AB", "only digits"),
        ("1", "2 to 25"),
        ("RF19 5390 0754 7034", "RF"),
    ):
        with pytest.raises(ValueError, match=reason):
            check_ocr(bad)
