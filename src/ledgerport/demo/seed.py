"""Demo data for `make run`: one firm, three clients, a firm user and two client users of
Exempelbolaget AB: Tolvan Tolvansson logs in with BankID (BankID's test person), Karin Kund
has no Swedish personnummer and logs in with e-mail, password and a one-time code (TOTP) whose
secret is fixed, so the README and `make run` can print it.

Idempotent: running it again changes nothing (passwords are only set on creation).
The org numbers are valid and match the sandbox's seeded provider companies.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction

from ledgerport.identity import services as identity
from ledgerport.identity.models import User
from ledgerport.tenancy import services as tenancy
from ledgerport.tenancy.models import Company, Firm
from ledgerport.tenancy.roles import CompanyRole, FirmRole

from .amelding_demo import seed_amelding
from .archive_demo import seed_archive
from .norway_demo import seed_norway
from .portal_demo import seed_portal

DEMO_PASSWORD = "ledgerport-demo"
FIRM_NAME = "Demo Redovisning AB"
FIRM_USER = "anna@demo-redovisning.se"
CLIENT_USER = "kund@exempelbolaget.se"
BANKID_USER = "tolvan@exempelbolaget.se"
BANKID_PERSONNUMMER = "19121212-1212"
# The demo client's TOTP secret (base32, as authenticator apps take it). Demo only.
DEMO_TOTP_SECRET = "NRSWIZ3FOJYG64TUFVSGK3LPFV2G65DQ"


@dataclass(frozen=True)
class DemoCompany:
    name: str
    orgnr: str
    country: str
    fiscal_year_start_month: int = 1


COMPANIES = (
    DemoCompany("Exempelbolaget AB", "556036-0793", "SE"),
    DemoCompany("Nordljus Konsult AB", "559141-9816", "SE", fiscal_year_start_month=1),
    DemoCompany("Fjordlys Rådgivning AS", "923609016", "NO"),
)


def _user(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    return user


@transaction.atomic
def seed_demo() -> Firm:
    firm = Firm.objects.filter(name=FIRM_NAME).first() or tenancy.firm_create(name=FIRM_NAME)
    companies = {}
    for demo in COMPANIES:
        digits = "".join(ch for ch in demo.orgnr if ch.isdigit())
        company = Company.objects.alive().filter(firm=firm, country=demo.country, orgnr=digits).first()
        if company is None:
            company = tenancy.company_create(
                firm=firm,
                name=demo.name,
                orgnr=demo.orgnr,
                country=demo.country,
                fiscal_year_start_month=demo.fiscal_year_start_month,
            )
        companies[demo.name] = company
    anna = _user(FIRM_USER, "Anna Andersson")
    tenancy.firm_member_add(firm=firm, user=anna, role=FirmRole.ADMIN)
    exempel = companies["Exempelbolaget AB"]
    client = _user(CLIENT_USER, "Karin Kund")
    if not client.no_swedish_personnummer:
        client.no_swedish_personnummer = True
        client.save(update_fields=["no_swedish_personnummer"])
        identity.user_set_totp(user=client, key_hex=demo_totp_key_hex())
    tenancy.company_member_add(company=exempel, user=client, role=CompanyRole.SIGNATORY)
    tolvan = User.objects.filter(email=BANKID_USER).first()
    if tolvan is None:
        tolvan = User.objects.create_user(email=BANKID_USER, full_name="Tolvan Tolvansson")  # no password
        identity.user_set_personnummer(user=tolvan, number=BANKID_PERSONNUMMER)
    tenancy.company_member_add(company=exempel, user=tolvan, role=CompanyRole.SIGNATORY)
    seed_archive(company=exempel, uploader=anna)
    seed_norway(company=companies["Fjordlys Rådgivning AS"])
    seed_amelding(company=companies["Fjordlys Rådgivning AS"], user=anna)
    seed_portal(company=exempel, firm_user=anna, client_user=client)
    return firm


def demo_totp_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()
