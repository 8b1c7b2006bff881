"""The Altinn settings page of a Norwegian company: saved, validated in bokmål, tested against
the sandbox (data system and system user), the password kept encrypted."""

from __future__ import annotations

import threading

import pytest
from django.db import connection as db_connection
from django.urls import reverse

from ledgerport.audit.models import AuditEntry
from ledgerport.connectors import vault
from ledgerport.connectors.altinn import services
from ledgerport.connectors.models import Connection, ConnectionStatus, ProviderSettings
from tests.connectors.altinn.conftest import DATA_SYSTEM_ID

pytestmark = pytest.mark.django_db

VALID = {
    "method": "datasystem",
    "system_id": DATA_SYSTEM_ID,
    "password": "Fjordlys2026",
    "language": "nb",
    "contact_email": "lonn@fjordlys.no",
    "contact_mobile": "+47 912 34 567",
}


NAMES = {
    "altinn_settings": "connectors:provider_settings",
    "altinn_test": "connectors:provider_settings_test",
}


def url(name, company):
    return reverse(NAMES[name], args=[company.pk, "altinn"])


def test_the_page_speaks_bokmal_and_explains_both_ways(client, world, fjordlys):
    client.force_login(world.accountant_a)
    page = client.get(url("altinn_settings", fjordlys)).content.decode()
    assert "Altinn-innstillinger" in page
    assert "Altinn 3 systembruker (Maskinporten)" in page and "Altinn 2 datasystem (ID og passord)" in page
    assert "19. juni 2026" in page


def test_saved_settings_keep_the_password_encrypted(client, world, fjordlys):
    client.force_login(world.accountant_a)
    response = client.post(url("altinn_settings", fjordlys), VALID)
    assert response.status_code == 302
    record = ProviderSettings.objects.get(company=fjordlys)
    assert record.contact_phone == "91234567" and record.account_id == DATA_SYSTEM_ID
    assert "Fjordlys2026" not in record.secret_ciphertext
    assert vault.unseal(record.secret_ciphertext) == "Fjordlys2026"
    page = client.get(url("altinn_settings", fjordlys)).content.decode()
    assert "Fjordlys2026" not in page and "Et passord er lagret" in page
    # An empty password keeps the stored one.
    client.post(url("altinn_settings", fjordlys), {**VALID, "password": ""})
    assert vault.unseal(ProviderSettings.objects.get(company=fjordlys).secret_ciphertext) == "Fjordlys2026"
    assert AuditEntry.objects.filter(company=fjordlys, action="settings_save").count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("system_id", "41a75", "Her kan du bare skrive tall."),
        ("password", "fjordlys2026", "Passordet kan bare ha bokstaver (A–Z, a–z) og tall"),
        ("password", "Fjordlys-2026", "Passordet kan bare ha bokstaver (A–Z, a–z) og tall"),
        ("contact_mobile", "22334455", "Mobilnummeret må være et norsk nummer med 8 siffer"),
        ("contact_mobile", "9123456", "Mobilnummeret må være et norsk nummer med 8 siffer"),
        ("contact_email", "lonn@", "Skriv inn en gyldig e-postadresse."),
        ("contact_email", "", "Dette feltet må fylles ut."),
        ("language", "sv", "Velg et av alternativene i listen."),
        ("system_id", "", "Dette feltet må fylles ut."),
    ],
)
def test_a_wrong_value_is_named_in_bokmal_and_nothing_is_stored(
    client, world, fjordlys, field, value, message
):
    client.force_login(world.accountant_a)
    response = client.post(url("altinn_settings", fjordlys), {**VALID, field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="error-{field}"' in body and message in body
    assert not ProviderSettings.objects.filter(company=fjordlys).exists()


def test_data_system_test_checks_only_the_id_and_says_so(client, world, fjordlys, providers_at_sandbox):
    client.force_login(world.accountant_a)
    client.post(url("altinn_settings", fjordlys), VALID)
    client.post(url("altinn_test", fjordlys))
    record = ProviderSettings.objects.get(company=fjordlys)
    assert record.test_ok is True
    page = client.get(url("altinn_settings", fjordlys)).content.decode()
    assert "Bare at ID-en er gyldig er sjekket, ikke at ID og passord hører til dette selskapet" in page
    assert Connection.objects.get(company=fjordlys, provider="altinn").status == ConnectionStatus.ACTIVE
    assert AuditEntry.objects.filter(company=fjordlys, action="settings_test", detail="ok").exists()
    # An unknown ID: refused, and the connection shows the error.
    client.post(url("altinn_settings", fjordlys), {**VALID, "system_id": "99999"})
    client.post(url("altinn_test", fjordlys))
    record.refresh_from_db()
    assert record.test_ok is False and "Altinn kjenner ikke datasystem-ID 99999" in record.test_message
    assert Connection.objects.get(company=fjordlys, provider="altinn").status == ConnectionStatus.ERROR


def test_system_user_test_asks_maskinporten_for_the_company(client, world, fjordlys, providers_at_sandbox):
    client.force_login(world.accountant_a)
    client.post(
        url("altinn_settings", fjordlys), {**VALID, "method": "systemuser", "system_id": "", "password": ""}
    )
    client.post(url("altinn_test", fjordlys))
    record = ProviderSettings.objects.get(company=fjordlys)
    assert record.test_ok is True and "923 609 016" in record.test_message
    # The company withdraws its approval: Maskinporten issues no token any more.
    providers_at_sandbox.client.request(
        "DELETE", "/_control/altinn/systemusers", json={"orgnr": "923609016"}
    ).raise_for_status()
    client.post(url("altinn_test", fjordlys))
    record.refresh_from_db()
    assert record.test_ok is False and "fant ingen godkjent systembruker" in record.test_message


def test_altinn_unreachable_is_a_message_not_an_error(client, world, fjordlys, settings):
    settings.PROVIDERS = {
        "altinn": {"api_url": "http://127.0.0.1:9/altinn", "auth_url": "http://127.0.0.1:9/t"}
    }
    client.force_login(world.accountant_a)
    client.post(url("altinn_settings", fjordlys), VALID)
    assert client.post(url("altinn_test", fjordlys)).status_code == 302
    assert "Fikk ikke kontakt med Altinn" in ProviderSettings.objects.get(company=fjordlys).test_message


def test_testing_before_saving_says_what_to_do(client, world, fjordlys):
    client.force_login(world.accountant_a)
    response = client.post(url("altinn_test", fjordlys), follow=True)
    assert "Lagre innstillingene før du tester innloggingen." in response.content.decode()


def test_a_swedish_company_has_no_altinn(client, world):
    client.force_login(world.accountant_a)
    page = client.get(url("altinn_settings", world.a1)).content.decode()
    assert 'data-testid="altinn-not-served"' in page and 'data-testid="altinn-form"' not in page
    client.post(url("altinn_settings", world.a1), VALID)
    assert not ProviderSettings.objects.exists()
    collect = client.get(reverse("web:company_collect", args=[world.a1.pk])).content.decode()
    assert 'data-testid="provider-altinn"' not in collect


def test_the_collect_tab_of_a_norwegian_company_links_to_the_settings(client, world, fjordlys):
    client.force_login(world.accountant_a)
    collect = client.get(reverse("web:company_collect", args=[fjordlys.pk])).content.decode()
    assert 'data-testid="settings-altinn"' in collect and url("altinn_settings", fjordlys) in collect
    # No consent link for Altinn: it is connected on its settings page.
    assert client.post(reverse("connectors:activate", args=[fjordlys.pk, "altinn"])).status_code == 404


def test_client_users_may_not_change_altinn_settings(client, world, fjordlys):
    from ledgerport.tenancy.models import CompanyMembership

    CompanyMembership.objects.create(company=fjordlys, user=world.signatory_a2, role="signatory")
    client.force_login(world.signatory_a2)
    assert client.get(url("altinn_settings", fjordlys)).status_code == 404
    assert client.post(url("altinn_settings", fjordlys), VALID).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_leave_one_whole_version(world, fjordlys):
    if db_connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    versions = [
        {**VALID, "system_id": "11111", "password": "Aaaaaa111", "contact_mobile": "41111111"},
        {**VALID, "system_id": "22222", "password": "Bbbbbb222", "contact_mobile": "92222222"},
    ]
    barrier = threading.Barrier(2)
    errors = []

    def save(data):
        try:
            barrier.wait()
            services.settings_save(user=world.accountant_a, company=fjordlys, data=data)
        except Exception as exc:
            errors.append(exc)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in versions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    record = ProviderSettings.objects.get(company=fjordlys)
    stored = (record.account_id, vault.unseal(record.secret_ciphertext), record.contact_phone)
    assert stored in {(v["system_id"], v["password"], v["contact_mobile"]) for v in versions}


@pytest.mark.django_db(transaction=True)
def test_two_login_tests_at_once_leave_one_connection(world, fjordlys, providers_at_sandbox):
    if db_connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    record = services.settings_save(
        user=world.accountant_a, company=fjordlys, data={**VALID, "contact_mobile": "91234567"}
    )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def test_login():
        try:
            barrier.wait()
            results.append(services.login_test(company=fjordlys, record=record))
        except Exception as exc:
            errors.append(exc)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=test_login) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and [r.ok for r in results] == [True, True]
    assert Connection.objects.filter(company=fjordlys, provider="altinn").count() == 1
