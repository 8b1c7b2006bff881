"""The whole consent round trip against the sandbox: link, explanation page, provider's
login / company picker / consent, our callback, the stored grant — and what goes wrong."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from ledgerport.connectors import tokens, vault
from ledgerport.connectors.http import GrantRevoked
from ledgerport.connectors.models import ActivationLink, Connection, ConnectionStatus
from ledgerport.tenancy.models import Company
from tests.plugins.provider_pages import Browser

FORTNOX_ADMIN = ("admin@exempelbolaget.se", "fortnox-demo")
FORTNOX_BYRA = ("byra@demo-redovisning.se", "fortnox-demo")
SPIRIS_USER = ("konsult@demo-redovisning.se", "spiris-demo")


@pytest.fixture
def exempelbolaget(world):
    """Company a1 has Exempelbolaget's org number (556036-0793), the sandbox's Fortnox company."""
    return world.a1


@pytest.fixture
def nordljus(world):
    return Company.objects.create(firm=world.firm_a, name="Nordljus Konsult AB", orgnr="5591419816")


def start_consent(client, world, company, provider):
    """As the firm: "Aktivera" → link; as the customer: open it and press "Ge behörighet"."""
    client.force_login(world.accountant_a)
    dialog = client.post(reverse("connectors:activate", args=[company.pk, provider])).content.decode()
    link_url = re.search(r'value="(http[^"]+/connect/[^"]+/)"', dialog).group(1)
    client.logout()
    path = urlsplit(link_url).path
    page = client.get(path).content.decode()
    assert "Ge behörighet" in page
    go = client.post(path + "authorize/")
    assert go.status_code == 302
    return go["Location"]


def finish_consent(client, sandbox, authorize_url, login, company_name=None, approve=True):
    """The provider's pages in the customer's new window, then our callback."""
    browser = Browser(sandbox.url)
    try:
        target = urlsplit(authorize_url)
        params = dict(p.split("=", 1) for p in target.query.split("&"))
        from urllib.parse import unquote_plus

        params = {k: unquote_plus(v) for k, v in params.items()}
        query = browser.consent_flow(
            target.path, params, email=login[0], password=login[1], company=company_name, approve=approve
        )
    finally:
        browser.close()
    callback = urlsplit(params["redirect_uri"]).path
    return client.get(callback, {k: v[0] for k, v in query.items()})


def company_key(sandbox, provider, name):
    # The picker's option value for a company name (the sandbox's demo data).
    from sandbox.demo import COMPANIES

    return next(c.key for c in COMPANIES.values() if c.provider == provider and c.name == name)


def test_fortnox_consent_makes_an_active_connection_with_consent_record(
    client, world, exempelbolaget, providers_at_sandbox
):
    authorize_url = start_consent(client, world, exempelbolaget, "fortnox")
    assert authorize_url.startswith(providers_at_sandbox.url + "/fortnox/oauth-v1/auth?")
    assert "code_challenge=" in authorize_url and "access_type=offline" in authorize_url
    done = finish_consent(client, providers_at_sandbox, authorize_url, FORTNOX_ADMIN)
    assert done.status_code == 200, done.content.decode()
    assert "Kopplingen är klar" in done.content.decode()

    connection = Connection.objects.get(company=exempelbolaget, provider="fortnox")
    assert connection.status == ConnectionStatus.ACTIVE
    assert connection.external_orgnr.replace("-", "") == "5560360793"
    assert connection.external_company_id == "1170521"
    assert connection.consent_email == "admin@exempelbolaget.se"
    assert connection.consent_name
    assert connection.consent_at is not None and connection.consent_ip == "127.0.0.1"
    assert vault.unseal(connection.access_token_ciphertext)
    assert "ey" not in connection.access_token_ciphertext[:2]  # stored encrypted, not as the JWT
    assert ActivationLink.objects.get(company=exempelbolaget).used_at is not None


def test_fortnox_byra_user_picks_the_company(client, world, exempelbolaget, providers_at_sandbox):
    authorize_url = start_consent(client, world, exempelbolaget, "fortnox")
    key = company_key(providers_at_sandbox, "fortnox", "Exempelbolaget AB")
    done = finish_consent(client, providers_at_sandbox, authorize_url, FORTNOX_BYRA, company_name=key)
    assert "Kopplingen är klar" in done.content.decode()


def test_choosing_another_company_is_refused_with_both_names(
    client, world, exempelbolaget, providers_at_sandbox
):
    authorize_url = start_consent(client, world, exempelbolaget, "fortnox")
    key = company_key(providers_at_sandbox, "fortnox", "Skärgårdens Café AB")
    done = finish_consent(client, providers_at_sandbox, authorize_url, FORTNOX_BYRA, company_name=key)
    text = done.content.decode()
    assert done.status_code == 400
    assert "Skärgårdens Café AB" in text and exempelbolaget.name in text
    assert Connection.objects.get(company=exempelbolaget).status == ConnectionStatus.PENDING
    assert not Connection.objects.get(company=exempelbolaget).access_token_ciphertext


def test_missing_integration_licence_gives_a_clear_message(client, world, providers_at_sandbox):
    company = Company.objects.create(firm=world.firm_a, name="Utan Licens Handel AB", orgnr="5568812076")
    authorize_url = start_consent(client, world, company, "fortnox")
    key = company_key(providers_at_sandbox, "fortnox", "Utan Licens Handel AB")
    done = finish_consent(client, providers_at_sandbox, authorize_url, FORTNOX_BYRA, company_name=key)
    assert "integrationslicens" in done.content.decode()
    connection = Connection.objects.get(company=company)
    assert connection.status == ConnectionStatus.ERROR
    assert "integrationslicens" in connection.status_message


def test_cancelled_consent(client, world, exempelbolaget, providers_at_sandbox):
    authorize_url = start_consent(client, world, exempelbolaget, "fortnox")
    done = finish_consent(client, providers_at_sandbox, authorize_url, FORTNOX_ADMIN, approve=False)
    assert "avbröts" in done.content.decode()


def test_spiris_consent_with_company_picker(client, world, nordljus, providers_at_sandbox):
    authorize_url = start_consent(client, world, nordljus, "spiris")
    assert "forceselectcompany" in authorize_url
    key = company_key(providers_at_sandbox, "spiris", "Nordljus Konsult AB")
    done = finish_consent(client, providers_at_sandbox, authorize_url, SPIRIS_USER, company_name=key)
    assert "Kopplingen är klar" in done.content.decode(), done.content.decode()
    connection = Connection.objects.get(company=nordljus)
    assert connection.status == ConnectionStatus.ACTIVE
    assert connection.consent_email == "konsult@demo-redovisning.se"


def test_link_is_single_use_and_expires(client, world, exempelbolaget, providers_at_sandbox):
    authorize_url = start_consent(client, world, exempelbolaget, "fortnox")
    finish_consent(client, providers_at_sandbox, authorize_url, FORTNOX_ADMIN)
    link = ActivationLink.objects.get(company=exempelbolaget)
    page = client.get(reverse("connectors:consent", args=[link.token])).content.decode()
    assert "har redan använts" in page
    assert client.post(reverse("connectors:authorize", args=[link.token])).status_code == 410


def test_revoked_grant_turns_the_status_red(client, world, exempelbolaget, providers_at_sandbox):
    authorize_url = start_consent(client, world, exempelbolaget, "fortnox")
    finish_consent(client, providers_at_sandbox, authorize_url, FORTNOX_ADMIN)
    connection = Connection.objects.get(company=exempelbolaget)
    providers_at_sandbox.revoke("fortnox", company="556036-0793")
    with pytest.raises(GrantRevoked):
        tokens.access_token(connection.pk, force_refresh=True)
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.NEEDS_REAUTHORISATION
    assert "ny aktiveringslänk" in connection.status_message
