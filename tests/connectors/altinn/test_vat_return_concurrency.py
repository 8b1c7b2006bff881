"""Writes of the mva-melding's filing run twice at once: one Altinn instance per melding, one
refresh of a person's login, one stored login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ledgerport.connectors import providers
from ledgerport.connectors.altinn.models import PersonLogin, VatReturnInstance
from ledgerport.connectors.altinn.person_login import login_store
from ledgerport.connectors.oauth import TokenSet
from tests.concurrency import at_once, needs_postgres

from .vat_helpers import envelope, idporten_login, melding

pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


def test_two_submits_at_once_create_one_instance(client, world, fjordlys, providers_at_sandbox, sandbox):
    client.force_login(world.accountant_a)
    idporten_login(client, fjordlys)
    filing = providers.vat_return_filing("NO")
    assert filing is not None

    def submit():
        return filing.submit(fjordlys, world.accountant_a, envelope(), melding(), "/")

    first, second = at_once([submit, submit])
    assert not isinstance(first, Exception), first
    assert not isinstance(second, Exception), second
    assert first.done and second.done and first.reference == second.reference
    created = sandbox.client.get("/_control/altinn/mva/instances").json()["instances"]
    assert [i["id"] for i in created] == [first.reference]
    assert VatReturnInstance.objects.count() == 1


def test_two_calls_needing_a_refresh_at_once_refresh_once(client, world, fjordlys, providers_at_sandbox):
    """ID-porten's refresh tokens are single-use: a second refresh with the same one would end
    the login. The row lock makes the second call use the first one's new token."""
    client.force_login(world.accountant_a)
    idporten_login(client, fjordlys)
    login = PersonLogin.objects.get()
    PersonLogin.objects.update(access_expires_at=login.logged_in_at)  # our clock: expired
    filing = providers.vat_return_filing("NO")
    assert filing is not None

    def validate():
        return filing.validate(fjordlys, world.accountant_a, melding(), "/")

    results = at_once([validate, validate])
    assert all(isinstance(r, bytes) and b"ingen avvik" in r for r in results), results
    assert PersonLogin.objects.get().refreshed_at is not None


def test_two_logins_stored_at_once_leave_one(world, fjordlys):
    def store(token):
        return lambda: login_store(
            user=world.accountant_a,
            firm_id=fjordlys.firm_id,
            tokens=TokenSet(token, "r-" + token, timezone.now() + timedelta(seconds=120), "openid"),
        )

    results = at_once([store("a"), store("b")])
    assert not any(isinstance(r, Exception) for r in results), results
    assert PersonLogin.objects.filter(user=world.accountant_a).count() == 1
