"""Skattekort: the employees' tax deduction cards for an income year, fetched through the system
user from the sandbox and shown (table, percentage, frikort); NAV's fixtures parse."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ledgerport.audit.models import AuditEntry
from ledgerport.connectors.altinn import client

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[3] / "../shared/specs/no-skattekort/examples/nav-test-fixtures"
EMPLOYEES = ["12838512311", "04919245730", "27867831180", "09819922389"]  # the sandbox's, synthetic
SETTINGS = {
    "method": "systemuser",
    "language": "nb",
    "contact_email": "lonn@fjordlys.no",
    "contact_mobile": "91234567",
}


def settings_url(company):
    return reverse("connectors:provider_settings", args=[company.pk, "altinn"])


@pytest.fixture
def logged_in(client, world, fjordlys, settings, providers_at_sandbox):
    settings.NO_SYNTHETIC_PERSONS = True
    client.force_login(world.accountant_a)
    client.post(settings_url(fjordlys), SETTINGS)
    return client


def fetch(client, company, employees, year="2026"):
    data = {"form": "skattekort", "income_year": year, "employees": "\n".join(employees)}
    return client.post(settings_url(company), data).content.decode()


def test_the_cards_are_fetched_and_shown(logged_in, fjordlys):
    page = fetch(logged_in, fjordlys, EMPLOYEES)
    assert 'data-testid="skattekort-table"' in page
    assert page.count('data-testid="skattekort-row"') == 5  # two deductions on the first card
    assert "Tabell 8115" in page and "35 %" in page and "10,5 måneder" in page
    assert "Prosentkort" in page and "28 %" in page
    assert "Frikort" in page and "65000 kr" in page
    assert "Ikke skattekort" in page and "Skattekort 2026" in page
    assert AuditEntry.objects.filter(company=fjordlys, action="view", detail="skattekort 2026").exists()


def test_a_wrong_number_is_named_by_its_line(logged_in, fjordlys):
    page = fetch(logged_in, fjordlys, [EMPLOYEES[0], "12345678901"])
    assert "Linje 2: skriv inn et gyldig fødselsnummer eller D-nummer (11 siffer)." in page
    assert 'data-testid="skattekort-table"' not in page


def test_synthetic_persons_outside_test_mode_are_refused(logged_in, fjordlys, settings):
    settings.NO_SYNTHETIC_PERSONS = False
    assert "Linje 1:" in fetch(logged_in, fjordlys, EMPLOYEES[:1])


def test_a_year_beyond_next_is_refused(logged_in, fjordlys):
    assert "Skriv inn et år til og med neste år." in fetch(logged_in, fjordlys, EMPLOYEES, year="2999")


def test_a_data_system_cannot_fetch_cards(logged_in, fjordlys):
    logged_in.post(
        settings_url(fjordlys),
        {**SETTINGS, "method": "datasystem", "system_id": "41975", "password": "Fjordlys2026"},
    )
    page = fetch(logged_in, fjordlys, EMPLOYEES)
    assert "Skattekort hentes gjennom systembrukeren (Altinn 3)." in page


def test_without_an_approved_system_user_the_error_is_shown(logged_in, fjordlys, providers_at_sandbox):
    providers_at_sandbox.client.request("DELETE", "/_control/altinn/systemusers", json={"orgnr": "923609016"})
    page = fetch(logged_in, fjordlys, EMPLOYEES)
    assert 'data-testid="skattekort-error"' in page and "invalid_authorization_details" in page


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("hentSkattekort_*.json")), ids=lambda p: p.stem)
def test_nav_fixtures_parse(path):
    body = json.loads(path.read_text())
    if body.get("status") != "FORESPOERSEL_OK":
        with pytest.raises(client.AltinnError):
            client.parse_tax_cards(body)
        return
    cards = client.parse_tax_cards(body)
    assert cards and all(card.employee and card.result for card in cards)


def test_the_table_card_of_the_fixture():
    body = json.loads((FIXTURES / "hentSkattekort_skattekortopplysningerOK.json").read_text())
    (card,) = client.parse_tax_cards(body)
    main = card.deductions[0]
    assert (main.kind, main.table, main.percent, main.months) == (
        "table",
        "8140",
        Decimal("43"),
        Decimal("10.5"),
    )
    assert card.deductions[1].kind == "percent" and "oppholdPaaSvalbard" in card.extra


@given(st.decimals(min_value=0, max_value=100, places=2), st.sampled_from(["8115", "7100", "9400"]))
def test_rates_keep_their_decimals(percent, table):
    body = {
        "status": "FORESPOERSEL_OK",
        "arbeidsgiver": [
            {
                "arbeidstaker": [
                    {
                        "arbeidstakeridentifikator": "12838512311",
                        "resultatForSkattekort": "skattekortopplysningerOK",
                        "skattekort": {
                            "forskuddstrekk": [
                                {
                                    "trekkode": "loennFraHovedarbeidsgiver",
                                    "trekktabell": {"tabellnummer": table, "prosentsats": float(percent)},
                                },
                                {
                                    "trekkode": "loennFraBiarbeidsgiver",
                                    "trekkprosent": {"prosentsats": str(percent)},
                                },
                            ]
                        },
                    }
                ]
            }
        ],
    }
    (card,) = client.parse_tax_cards(json.loads(json.dumps(body)))
    assert card.deductions[0].percent == Decimal(str(float(percent))) and card.deductions[0].table == table
    assert card.deductions[1].percent == percent
