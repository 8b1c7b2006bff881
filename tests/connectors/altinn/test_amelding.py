"""The a-melding through Altinn: the provider's EmployerReturnFiling for Norwegian companies,
the API client against the sandbox (429 waited out, AMLD errors in words)."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from django.utils import translation

from ledgerport.amelding import build_leveranse, read_csv
from ledgerport.connectors import providers
from ledgerport.connectors.altinn import amelding, amelding_api, client
from ledgerport.connectors.altinn.conf import DEV_KEY, DEV_KEY_ID
from ledgerport.connectors.http import ProviderError

pytestmark = pytest.mark.django_db

CSV = Path(__file__).resolve().parents[2] / "amelding" / "files" / "fjordlys-2026-11.csv"


def leveranse(message_id="m-1"):
    summary = read_csv(CSV.read_bytes(), accept_synthetic=True)
    return build_leveranse(
        summary, message_id=message_id, delivered_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    )


def test_norway_files_its_employer_return_through_altinn():
    assert providers.employer_return_filing("NO") is amelding.FILING
    assert providers.employer_return_filing("SE") is None


def test_submit_and_feedback_through_the_filing(fjordlys, providers_at_sandbox):
    providers_at_sandbox.control("altinn/amelding", feedback_delay=30)
    key = str(uuid.uuid4())
    receipt = amelding.FILING.submit(fjordlys, "2026-11", leveranse(), key)
    assert receipt.reference and receipt.message_id == "m-1" and not receipt.done
    assert amelding.FILING.submit(fjordlys, "2026-11", leveranse(), key).reference == receipt.reference
    assert not amelding.FILING.feedback(fjordlys, receipt.reference).done
    providers_at_sandbox.advance_clock(31)
    done = amelding.FILING.feedback(fjordlys, receipt.reference)
    assert done.done and done.accepted and done.feedback["mottakstatus"] == "mottatt"


def test_errors_are_said_in_words(fjordlys, providers_at_sandbox):
    with pytest.raises(ProviderError) as caught, translation.override("nb"):
        amelding.FILING.submit(fjordlys, "2026-10", leveranse(), str(uuid.uuid4()))
    assert caught.value.code == "AMLD_1052"
    assert caught.value.message == "Måneden i adressen og i a-meldingen er ulike."
    key = str(uuid.uuid4())
    amelding.FILING.submit(fjordlys, "2026-11", leveranse(), key)
    with pytest.raises(ProviderError) as caught:
        amelding.FILING.submit(fjordlys, "2026-11", leveranse("m-2"), key)
    assert caught.value.code == "AMLD_019" and caught.value.status == 409


def test_a_429_is_waited_out(fjordlys, providers_at_sandbox):
    providers_at_sandbox.control("altinn/amelding", rate_limit=1)
    token = client.systemuser_token(
        token_url=f"{providers_at_sandbox.url}/altinn/maskinporten/token",
        client_id="ledgerport-dev",
        scope=amelding_api.SCOPE,
        orgnr="923609016",
        key_pem=DEV_KEY.read_bytes(),
        kid=DEV_KEY_ID,
    ).access_token
    base = f"{providers_at_sandbox.url}/skatteetaten/amelding"
    assert amelding_api.feedback(api_url=base, token=token, shipment_id="x") is None
    assert amelding_api.feedback(api_url=base, token=token, shipment_id="x") is None  # after a 429 and a wait
    assert providers_at_sandbox.stats()["altinn"].get("status_429", 0) >= 1
