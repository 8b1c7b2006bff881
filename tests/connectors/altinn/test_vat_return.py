"""The VAT return contract through Altinn 3 against the running sandbox: the person's ID-porten
login, validation, the instance flow to the Tax Administration's feedback, resuming, errors."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from ledgerport.audit.models import AuditEntry
from ledgerport.connectors import messages, providers, vault
from ledgerport.connectors.altinn import mva_client
from ledgerport.connectors.altinn.models import PersonLogin, VatReturnInstance
from ledgerport.connectors.http import Forbidden, ProviderError
from ledgerport.connectors.providers import PersonLoginRequired

from .vat_helpers import EXAMPLES, FILLER, NO_ROLE, envelope, idporten_login, melding

pytestmark = pytest.mark.django_db

RESULT_XSD = EXAMPLES.parent / "xsd/no.skatteetaten.fastsetting.avgift.mva.valideringsresultat.v1.xsd"
# Skatteetaten's own examples that its XSD refuses (text inside <innsending>; "omvendtAavgiftsplikt").
NOT_XSD_VALID = {"justering_kompensasjon.xml", "omvendtavgiftsplikt_mvamelding.xml"}


@pytest.fixture
def filing():
    found = providers.vat_return_filing("NO")
    assert found is not None
    return found


@pytest.fixture
def logged_in(client, world, fjordlys, providers_at_sandbox):
    client.force_login(world.accountant_a)
    response = idporten_login(client, fjordlys)
    assert response.status_code == 302 and response["Location"] == "/next/"
    return world.accountant_a


def instances(sandbox):
    return sandbox.client.get("/_control/altinn/mva/instances").json()["instances"]


def test_the_login_returns_to_next_with_the_tokens_sealed(logged_in, fjordlys):
    login = PersonLogin.objects.get(user=logged_in, firm=fjordlys.firm)
    assert login.access_token_ciphertext and login.refresh_token_ciphertext
    assert vault.unseal(login.access_token_ciphertext) not in login.access_token_ciphertext
    assert "skatteetaten:mvameldingvalidering" in login.scope
    entry = AuditEntry.objects.get(action="login", detail="ID-porten")
    assert entry.user == logged_in and entry.company == fjordlys


def test_without_a_login_the_call_asks_for_one(filing, world, fjordlys, providers_at_sandbox):
    with pytest.raises(PersonLoginRequired) as raised:
        filing.validate(fjordlys, world.accountant_a, melding(), "/back/here/")
    assert raised.value.login_url.endswith("person-login/?next=%2Fback%2Fhere%2F")
    assert not VatReturnInstance.objects.exists()


def test_a_cancelled_login_says_so(client, world, fjordlys, providers_at_sandbox):
    client.force_login(world.accountant_a)
    start = client.get(reverse("connectors:person_login", args=[fjordlys.pk, "altinn"]) + "?next=/x/")
    assert start.status_code == 302
    state = re.search(r"state=([^&]+)", start["Location"]).group(1)
    back = reverse("connectors:person_login_return", args=["altinn"])
    page = client.get(f"{back}?error=access_denied&state={state}")
    assert page.status_code == 400 and 'data-testid="person-login-error"' in page.content.decode()
    assert client.get(f"{back}?code=x&state={state}").status_code == 400  # a state works once
    assert not PersonLogin.objects.exists()


def test_every_example_validates_into_a_result_of_the_xsd(filing, logged_in, fjordlys):
    schema = etree.XMLSchema(etree.parse(str(RESULT_XSD)))
    examples = sorted((EXAMPLES / "melding").glob("*.xml"))
    assert len(examples) == 34
    for path in examples:
        result = etree.fromstring(filing.validate(fjordlys, logged_in, path.read_bytes(), "/"))
        assert schema.validate(result), (path.name, schema.error_log)
        verdict = result.findtext("{*}avvikVedMeldingslevering")
        assert verdict == ("ugyldig skattemelding" if path.name in NOT_XSD_VALID else "ingen avvik"), (
            path.name
        )


def test_the_rules_name_their_codes(filing, logged_in, fjordlys):
    wrong = melding().replace(
        b"<fastsattMerverdiavgift>5000</fastsattMerverdiavgift>",
        b"<fastsattMerverdiavgift>5000.50</fastsattMerverdiavgift>",
    )
    result = filing.validate(fjordlys, logged_in, wrong, "/")
    codes = etree.fromstring(result).xpath("//*[local-name()='avvikKode']/text()")
    assert set(codes) >= {"R082", "R018"}


def test_a_full_submission_ends_with_the_feedback_and_payment(filing, logged_in, fjordlys, sandbox):
    feedback = filing.submit(fjordlys, logged_in, envelope(), melding(), "/")
    assert feedback.done and feedback.reference == instances(sandbox)[0]["id"]
    assert b"ingen avvik" in feedback.validation_xml
    assert feedback.receipt_pdf.startswith(b"%PDF")
    payment = mva_client.payment_parse(feedback.payment_xml)
    assert payment.amount == 5000 and payment.reference == feedback.reference
    assert payment.kid.isdigit() and _luhn_valid(payment.kid)
    assert payment.due.isoformat() == "2021-06-10"  # mars-april 2021 (example mvakode3)
    again = filing.feedback(fjordlys, logged_in, feedback.reference, "/")
    assert again.done and again.payment_xml == feedback.payment_xml
    assert len(instances(sandbox)) == 1


def test_the_feedback_comes_later_and_is_polled(filing, logged_in, fjordlys, sandbox):
    sandbox.client.post("/_control/altinn/mva/feedback", json={"delay": 600})
    first = filing.submit(fjordlys, logged_in, envelope(), melding(), "/")
    assert not first.done and first.payment_xml == b""
    assert not filing.feedback(fjordlys, logged_in, first.reference, "/").done
    sandbox.client.post("/_control/altinn/mva/feedback", json={"delay": 0})
    later = filing.feedback(fjordlys, logged_in, first.reference, "/")
    assert later.done and mva_client.payment_parse(later.payment_xml).amount == 5000


def test_a_submit_killed_half_way_continues_the_same_instance(
    filing, logged_in, fjordlys, sandbox, monkeypatch
):
    real_steps = mva_client.submit_steps

    def dies_after_the_envelope(api, instance, envelope_xml, melding_xml):
        envelope_element = instance["data"][0]
        api.request("PUT", envelope_element["selfLinks"]["apps"], content=envelope_xml)
        raise RuntimeError("the worker died here")

    monkeypatch.setattr(mva_client, "submit_steps", dies_after_the_envelope)
    with pytest.raises(RuntimeError):
        filing.submit(fjordlys, logged_in, envelope(), melding(), "/")
    assert [i["task"] for i in instances(sandbox)] == ["Task_1"]
    monkeypatch.setattr(mva_client, "submit_steps", real_steps)
    feedback = filing.submit(fjordlys, logged_in, envelope(), melding(), "/")
    assert feedback.done
    assert [i["task"] for i in instances(sandbox)] == [None]
    assert VatReturnInstance.objects.get().instance_id == feedback.reference


def test_an_expired_access_token_is_refreshed(filing, logged_in, fjordlys, sandbox):
    before = PersonLogin.objects.get()
    sandbox.client.post("/_control/altinn/mva/idporten/expire")  # ID-porten ends it early: a 401
    filing.validate(fjordlys, logged_in, melding(), "/")
    after = PersonLogin.objects.get()
    assert after.refreshed_at is not None
    assert after.access_token_ciphertext != before.access_token_ciphertext
    PersonLogin.objects.update(access_expires_at=before.logged_in_at)  # our clock says expired
    filing.validate(fjordlys, logged_in, melding(), "/")
    assert PersonLogin.objects.get().refresh_token_ciphertext != after.refresh_token_ciphertext


def test_an_ended_authorization_asks_for_a_new_login(filing, logged_in, fjordlys, sandbox):
    PersonLogin.objects.update(access_expires_at=PersonLogin.objects.get().logged_in_at)
    sandbox.advance_clock(7201)  # ID-porten's authorization has ended: the refresh is refused
    with pytest.raises(PersonLoginRequired):
        filing.validate(fjordlys, logged_in, melding(), "/")
    assert not PersonLogin.objects.exists()


def test_rate_limits_are_waited_out(filing, logged_in, fjordlys, sandbox):
    sandbox.ratelimit("altinn", limit=2, window=1)
    assert filing.submit(fjordlys, logged_in, envelope(), melding(), "/").done
    assert sandbox.stats()["altinn"]["rate_limited"] > 0


def test_a_person_without_a_role_is_refused_clearly(
    filing, client, world, fjordlys, providers_at_sandbox, sandbox
):
    client.force_login(world.accountant_a)
    idporten_login(client, fjordlys, pid=NO_ROLE)
    with pytest.raises(Forbidden) as raised:
        filing.submit(fjordlys, world.accountant_a, envelope(), melding(), "/")
    assert "Regnskapsfører med signeringsrett" in messages.describe("altinn", raised.value)
    assert instances(sandbox) == []


def test_a_filling_role_cannot_complete(filing, client, world, fjordlys, providers_at_sandbox, sandbox):
    client.force_login(world.accountant_a)
    idporten_login(client, fjordlys, pid=FILLER)
    with pytest.raises(Forbidden):
        filing.submit(fjordlys, world.accountant_a, envelope(), melding(), "/")
    assert [i["task"] for i in instances(sandbox)] == ["Task_2"]


def test_a_melding_of_another_organisation_is_refused(filing, logged_in, fjordlys, sandbox):
    with pytest.raises(ProviderError) as raised:
        filing.submit(fjordlys, logged_in, envelope(), melding(orgnr="911158612"), "/")
    assert raised.value.status == 409
    assert "annen organisasjon" in messages.describe("altinn", raised.value)


def _luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        digit = int(ch) * (2 if i % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def test_the_person_login_needs_work_on_the_company(world, fjordlys, providers_at_sandbox):
    client = Client()
    client.force_login(world.admin_b)  # another firm
    assert client.get(reverse("connectors:person_login", args=[fjordlys.pk, "altinn"])).status_code == 404
