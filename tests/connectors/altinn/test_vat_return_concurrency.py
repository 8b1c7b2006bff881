"""Two submits of one melding at the same moment file it once: one Altinn instance."""

from __future__ import annotations

import pytest

from ledgerport.connectors import providers
from ledgerport.connectors.altinn.models import VatReturnInstance
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
