"""factory_boy factories and `build_world`: two firms, their companies and every role."""

from __future__ import annotations

from dataclasses import dataclass

import factory

from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company, CompanyMembership, Firm, FirmMembership
from ledgerport.tenancy.roles import CompanyRole, FirmRole

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    full_name = factory.Faker("name", locale="sv_SE")
    password = factory.django.Password(PASSWORD)


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm

    name = factory.Sequence(lambda n: f"Byrå {n} AB")


# Valid Swedish org numbers (Luhn) for generated companies.
_ORGNRS = ["5560360793", "5591419816", "5590234562", "5592551120", "5566778899", "5567890125"]


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    firm = factory.SubFactory(FirmFactory)
    name = factory.Sequence(lambda n: f"Klient {n} AB")
    country = "SE"
    orgnr = factory.Sequence(lambda n: _ORGNRS[n % len(_ORGNRS)])


@dataclass
class World:
    """Firm A (companies A1, A2) and firm B (company B1), with one user per role."""

    firm_a: Firm
    firm_b: Firm
    a1: Company
    a2: Company
    b1: Company
    admin_a: User
    accountant_a: User
    signatory_a1: User
    member_a1: User
    signatory_a2: User
    admin_b: User

    def users(self) -> dict[str, User]:
        return {
            "firm admin": self.admin_a,
            "accountant": self.accountant_a,
            "signatory": self.signatory_a1,
            "member": self.member_a1,
        }


def build_world() -> World:
    firm_a = FirmFactory(name="Alfa Redovisning AB")
    firm_b = FirmFactory(name="Beta Revision AB")
    a1 = CompanyFactory(firm=firm_a, name="Alfa Klient Ett AB", orgnr="5560360793")
    a2 = CompanyFactory(firm=firm_a, name="Alfa Klient Två AB", orgnr="5590234562")
    b1 = CompanyFactory(firm=firm_b, name="Hemliga Beta Kunden AB", orgnr="5592551120")

    def firm_user(firm: Firm, role: str, email: str) -> User:
        user = UserFactory(email=email)
        FirmMembership.objects.create(firm=firm, user=user, role=role)
        return user

    def client_user(company: Company, role: str, email: str) -> User:
        user = UserFactory(email=email)
        CompanyMembership.objects.create(company=company, user=user, role=role)
        return user

    return World(
        firm_a=firm_a,
        firm_b=firm_b,
        a1=a1,
        a2=a2,
        b1=b1,
        admin_a=firm_user(firm_a, FirmRole.ADMIN, "admin@alfa.se"),
        accountant_a=firm_user(firm_a, FirmRole.ACCOUNTANT, "konsult@alfa.se"),
        signatory_a1=client_user(a1, CompanyRole.SIGNATORY, "vd@klient-ett.se"),
        member_a1=client_user(a1, CompanyRole.MEMBER, "ekonomi@klient-ett.se"),
        signatory_a2=client_user(a2, CompanyRole.SIGNATORY, "vd@klient-tva.se"),
        admin_b=firm_user(firm_b, FirmRole.ADMIN, "admin@beta.se"),
    )
