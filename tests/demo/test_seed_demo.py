"""The demo data `make run` seeds (ledgerport/demo/)."""

from __future__ import annotations

from django.http import HttpRequest

from ledgerport.demo.seed import CLIENT_USER, DEMO_PASSWORD, FIRM_USER, seed_demo
from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.orgnumbers import is_valid


def test_seed_demo_is_idempotent_with_valid_org_numbers(db):
    seed_demo()
    seed_demo()
    companies = list(Company.objects.all())
    assert sorted(c.country for c in companies) == ["NO", "SE", "SE"]
    assert all(is_valid(c.country, c.orgnr) for c in companies)
    assert User.objects.count() == 2


def test_demo_logins_see_what_the_readme_promises(client, db):
    seed_demo()
    assert client.login(request=HttpRequest(), username=FIRM_USER, password=DEMO_PASSWORD)
    assert client.get("/companies/").content.decode().count('data-testid="company-row"') == 3
    client_user = User.objects.get(email=CLIENT_USER)
    assert [c.name for c in Company.objects.for_user(client_user)] == ["Exempelbolaget AB"]
