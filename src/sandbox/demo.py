"""Demo companies and provider users (the product's demo seeds the same org numbers).

Passwords are demo values for the sandbox login pages only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Company:
    key: str
    provider: str  # "fortnox" | "spiris"
    name: str
    orgnr: str
    city: str
    address: str
    zip_code: str
    database_number: int  # Fortnox tenantId / DatabaseNumber; also used as a stable number for Spiris
    integration_licence: bool = True  # Fortnox "integrationslicens" / Spiris API module
    modules: frozenset[str] = frozenset({"bokforing", "leverantorer", "fakturering", "arkiv"})
    employees: int = 3
    vouchers: int = 400  # default size over the two fiscal years
    files: int = 150
    vat_number: str = ""


@dataclass(frozen=True)
class Membership:
    admin: bool = True  # Fortnox: systemadministratör; Spiris: Fullständig programbehörighet
    denied: frozenset[str] = frozenset()  # Fortnox registers the user may not read


@dataclass(frozen=True)
class User:
    provider: str
    email: str
    password: str
    name: str
    memberships: dict[str, Membership] = field(default_factory=dict)
    byra: bool = False


# The previous and the current calendar year, so "the two latest years" always exist in the
# sandbox as they would at a real provider (a fixed pair would run out on 1 January).
_THIS_YEAR = datetime.now(ZoneInfo("Europe/Stockholm")).year
FISCAL_YEARS = (_THIS_YEAR - 1, _THIS_YEAR)

COMPANIES: dict[str, Company] = {
    c.key: c
    for c in [
        # ---- Fortnox
        Company(
            "exempelbolaget",
            "fortnox",
            "Exempelbolaget AB",
            "556036-0793",
            "Stockholm",
            "Sveavägen 12",
            "111 57",
            1170521,
            employees=4,
        ),
        Company(
            "fjallbacka",
            "fortnox",
            "Fjällbacka Bygg & Montage AB",
            "556614-3011",
            "Fjällbacka",
            "Hamngatan 3",
            "457 40",
            1283314,
            vouchers=160,
            files=60,
        ),
        Company(
            "skargard",
            "fortnox",
            "Skärgårdens Café AB",
            "556720-8847",
            "Vaxholm",
            "Strandvägen 7",
            "185 31",
            1309927,
            employees=2,
            vouchers=140,
            files=50,
        ),
        Company(
            "utanlicens",
            "fortnox",
            "Utan Licens Handel AB",
            "556881-2076",
            "Uppsala",
            "Kungsgatan 40",
            "753 21",
            1402258,
            integration_licence=False,
            vouchers=60,
            files=10,
        ),
        Company(
            "fakturaservice",
            "fortnox",
            "Fakturaservice Väst AB",
            "556944-5124",
            "Göteborg",
            "Östra Hamngatan 5",
            "411 10",
            1455876,
            modules=frozenset({"fakturering"}),
            vouchers=60,
            files=10,
        ),
        # ---- Spiris
        Company(
            "nordljus",
            "spiris",
            "Nordljus Konsult AB",
            "559141-9816",
            "Umeå",
            "Storgatan 22",
            "903 26",
            2210034,
            employees=3,
        ),
        Company(
            "havsorn",
            "spiris",
            "Havsörn Design AB",
            "559012-4557",
            "Luleå",
            "Smedjegatan 9",
            "972 33",
            2210771,
            employees=2,
            vouchers=160,
            files=60,
        ),
        Company(
            "lindqvist",
            "spiris",
            "Lindqvist El & Data AB",
            "559203-3764",
            "Örebro",
            "Drottninggatan 15",
            "702 10",
            2211452,
            vouchers=140,
            files=50,
        ),
        Company(
            "fakturakungen",
            "spiris",
            "Fakturakungen Solo AB",
            "559315-0492",
            "Malmö",
            "Södra Förstadsgatan 30",
            "211 43",
            2212093,
            modules=frozenset({"fakturering"}),
            vouchers=60,
            files=10,
        ),
        Company(
            "bjorkdalen",
            "spiris",
            "Björkdalens Trädgård AB",
            "556478-2109",
            "Västerås",
            "Vasagatan 8",
            "722 15",
            2212760,
            integration_licence=False,
            vouchers=60,
            files=10,
        ),
    ]
}

_LIMITED_FORTNOX = Membership(admin=False, denied=frozenset({"supplierinvoice"}))

USERS: dict[tuple[str, str], User] = {
    (u.provider, u.email): u
    for u in [
        User(
            "fortnox",
            "admin@exempelbolaget.se",
            "fortnox-demo",
            "Eva Exempel",
            {"exempelbolaget": Membership()},
        ),
        User(
            "fortnox",
            "byra@demo-redovisning.se",
            "fortnox-demo",
            "Britt Byråsson",
            {
                k: Membership()
                for k in ("exempelbolaget", "fjallbacka", "skargard", "utanlicens", "fakturaservice")
            },
            byra=True,
        ),
        User(
            "fortnox",
            "ekonomi@exempelbolaget.se",
            "fortnox-demo",
            "Erik Ekonom",
            {"exempelbolaget": _LIMITED_FORTNOX},
        ),
        User(
            "spiris",
            "anna@nordljus.se",
            "spiris-demo",
            "Anna Nordljus",
            {"nordljus": Membership()},
        ),
        User(
            "spiris",
            "konsult@demo-redovisning.se",
            "spiris-demo",
            "Karin Konsult",
            {k: Membership() for k in ("nordljus", "havsorn", "lindqvist", "fakturakungen", "bjorkdalen")},
            byra=True,
        ),
        User(
            "spiris",
            "erik@nordljus.se",
            "spiris-demo",
            "Erik Begränsad",
            {"nordljus": Membership(admin=False)},
        ),
    ]
}


def company_by_ref(ref: str) -> Company | None:
    """Look a company up by key or org number (with or without dash)."""
    if ref in COMPANIES:
        return COMPANIES[ref]
    digits = ref.replace("-", "")
    for company in COMPANIES.values():
        if company.orgnr.replace("-", "") == digits:
            return company
    return None


def companies_for(provider: str) -> list[Company]:
    return [c for c in COMPANIES.values() if c.provider == provider]


def users_for(provider: str) -> list[User]:
    return [u for u in USERS.values() if u.provider == provider]
