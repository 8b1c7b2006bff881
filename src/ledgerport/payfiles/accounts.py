"""Swedish payment accounts: bankgiro, plusgiro, bank accounts (clearing number + account)
and IBAN. Each `parse_*` returns the `Account` or raises `Invalid` (a ValueError) with the reason.

Bank accounts follow Bankgirot's "Bankernas kontonummeruppbyggnad": the clearing number
names the bank and its rule. Type 1: four-digit clearing + seven-digit account, mod 11 over
the clearing's last three digits and the account (comment 1) or over all eleven (comment 2).
Type 2: the account alone, ten digits Luhn (comment 1), nine digits mod 11 (comment 2,
Handelsbanken), or up to ten digits Luhn (comment 3, Swedbank 8xxxx and Nordea/Plusgirot).
"""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from .checkdigits import luhn_valid, mod11_valid
from .model import Account, AccountKind
from .problems import Invalid

# (first clearing, last clearing, rule). Rules: "1.1", "1.2", "2.1", "2.2", "2.3".
_CLEARING_RULES: tuple[tuple[int, int, str], ...] = (
    (1100, 1199, "1.1"),  # Nordea
    (1200, 1399, "1.1"),  # Danske Bank
    (1400, 2099, "1.2"),  # Nordea
    (2300, 2399, "1.2"),  # Ålandsbanken
    (2400, 2499, "1.1"),  # Danske Bank
    (3000, 3299, "1.1"),  # Nordea
    (3300, 3300, "2.1"),  # Nordea personkonto
    (3301, 3399, "1.1"),  # Nordea
    (3400, 3409, "1.1"),  # Länsförsäkringar Bank
    (3410, 3781, "1.1"),  # Nordea
    (3782, 3782, "2.1"),  # Nordea personkonto
    (3783, 3999, "1.1"),  # Nordea
    (4000, 4999, "1.2"),  # Nordea
    (5000, 5999, "1.1"),  # SEB
    (6000, 6999, "2.2"),  # Handelsbanken
    (7000, 7999, "1.1"),  # Swedbank
    (8000, 8999, "2.3"),  # Swedbank (five-digit clearing number)
    (9020, 9029, "1.2"),  # Länsförsäkringar Bank
    (9040, 9049, "1.2"),  # Citibank
    (9060, 9069, "1.1"),  # Länsförsäkringar Bank
    (9070, 9079, "1.1"),  # Multitude Bank
    (9100, 9109, "1.2"),  # Nordnet Bank
    (9120, 9124, "1.1"),  # SEB
    (9130, 9149, "1.1"),  # SEB
    (9150, 9169, "1.2"),  # Skandiabanken
    (9170, 9179, "1.1"),  # Ikano Bank
    (9180, 9189, "2.1"),  # Danske Bank
    (9190, 9199, "1.2"),  # DNB Bank
    (9230, 9239, "1.1"),  # Marginalen Bank
    (9250, 9259, "1.1"),  # SBAB
    (9260, 9269, "1.2"),  # DNB Bank
    (9270, 9279, "1.1"),  # ICA Banken
    (9280, 9289, "1.1"),  # Resurs Bank
    (9300, 9349, "2.1"),  # Sparbanken Öresund (Swedbank)
    (9390, 9399, "1.2"),  # Landshypotek
    (9400, 9449, "1.1"),  # Forex Bank
    (9460, 9469, "1.1"),  # Santander Consumer Bank
    (9470, 9479, "1.2"),  # BNP Paribas
    (9500, 9549, "2.3"),  # Nordea (Plusgirot)
    (9550, 9569, "1.2"),  # Avanza Bank
    (9570, 9579, "2.1"),  # Sparbanken Syd
    (9590, 9599, "1.2"),  # Erik Penser
    (9630, 9639, "1.1"),  # Lån & Spar Bank
    (9640, 9649, "1.2"),  # Nordax Bank
    (9650, 9659, "1.2"),  # MedMera Bank
    (9660, 9669, "1.2"),  # Svea Bank
    (9670, 9679, "1.2"),  # JAK Medlemsbank
    (9680, 9689, "1.1"),  # Bluestep Finans
    (9700, 9709, "1.2"),  # Ekobanken
    (9750, 9759, "1.2"),  # Northmill Bank
    (9780, 9789, "1.2"),  # Klarna Bank
    (9890, 9899, "2.1"),  # Riksgälden
    (9960, 9969, "2.3"),  # Nordea (Plusgirot)
)
_SEPARATORS = re.compile(r"[\s.\-,]")


def _digits(text: str, invalid: Invalid) -> str:
    compact = _SEPARATORS.sub("", text)
    if not compact.isdigit():
        raise invalid
    return compact


def parse_bankgiro(text: str) -> Account:
    digits = _digits(text, Invalid("bankgiro_format", number=text))
    if not 7 <= len(digits) <= 8:
        raise Invalid("bankgiro_format", number=text)
    if not luhn_valid(digits):
        raise Invalid("bankgiro_check", number=text)
    return Account(AccountKind.BANKGIRO, digits, f"{digits[:-4]}-{digits[-4:]}")


def parse_plusgiro(text: str) -> Account:
    digits = _digits(text, Invalid("plusgiro_format", number=text))
    if not 2 <= len(digits) <= 8:
        raise Invalid("plusgiro_format", number=text)
    if not luhn_valid(digits):
        raise Invalid("plusgiro_check", number=text)
    body = digits[:-1]
    pairs = [body[max(0, end - 2) : end] for end in range(len(body), 0, -2)][::-1]
    return Account(AccountKind.PLUSGIRO, digits, f"{' '.join(pairs)}-{digits[-1]}")


def clearing_rule(clearing: str) -> str | None:
    number = int(clearing[:4])
    return next((rule for low, high, rule in _CLEARING_RULES if low <= number <= high), None)


def parse_bank_account(clearing: str, account: str) -> Account:
    """A Swedish account: its clearing number (4 digits, Swedbank 8xxx-x 5) and number."""
    clearing = _digits(clearing, Invalid("clearing_unknown", clearing=clearing))
    account = _digits(account, Invalid("account_check", account=account, clearing=clearing))
    rule = clearing_rule(clearing) if len(clearing) in (4, 5) else None
    if rule is None:
        raise Invalid("clearing_unknown", clearing=clearing)
    if len(clearing) == 5 and not (rule == "2.3" and clearing[0] == "8" and luhn_valid(clearing)):
        raise Invalid("clearing_check", clearing=clearing)
    if rule.startswith("1."):
        if len(account) != 7:
            raise Invalid("account_format", account=account, clearing=clearing)
        checked = (clearing[1:] if rule == "1.1" else clearing) + account
        valid = mod11_valid(checked)
    elif rule == "2.1":
        valid = len(account) == 10 and luhn_valid(account)
    elif rule == "2.2":
        valid = len(account) == 9 and mod11_valid(account)
    else:
        valid = 2 <= len(account) <= 10 and luhn_valid(account)
    if not valid:
        raise Invalid("account_check", account=account, clearing=clearing)
    shown_clearing = f"{clearing[:4]}-{clearing[4]}" if len(clearing) == 5 else clearing
    return Account(AccountKind.BANK_ACCOUNT, clearing + account, f"{shown_clearing} {account}")


def parse_iban(text: str) -> Account:
    try:
        iban = IBAN(text)
    except SchwiftyException as exc:
        raise Invalid("iban", iban=text, detail=str(exc)) from exc
    return Account(AccountKind.IBAN, iban.compact, iban.formatted)
