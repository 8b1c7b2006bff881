"""The approval page and its buttons, per role; BankID unreachable gives a message, not a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.cases import services
from ledgerport.cases.models import CaseKind, CaseSignature, CaseStatus
from ledgerport.documents.upload_checks import CheckedFile
from ledgerport.identity.services import user_set_personnummer

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return services.case_create(
        company=world.a1,
        user=world.admin_a,
        title="Attest lönekörning juli 2026",
        kind=CaseKind.PAYROLL,
        files_for_approval=[CheckedFile("lista.pdf", "application/pdf", b"%PDF-1.4 lista")],
    )


def url(case, name="approval"):
    return reverse(f"case_signing:{name}", args=[case.company_id, case.pk])


def test_a_signatory_without_bankid_attests_with_the_button(client, world, case):
    client.force_login(world.signatory_a1)
    page = client.get(url(case), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert url(case, "attest") in page and url(case, "sign_start") not in page
    assert client.post(url(case, "attest")).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED


def test_a_signatory_with_a_personnummer_is_offered_bankid_only(client, world, case, settings):
    user_set_personnummer(user=world.signatory_a1, number="191212121212")
    client.force_login(world.signatory_a1)
    page = client.get(url(case)).content.decode()
    assert url(case, "sign_start") in page and url(case, "attest") not in page
    client.post(url(case, "attest"))
    settings.BANKID_API_URL = "http://127.0.0.1:9/bankid/rp/v6.0"  # nobody answers
    response = client.post(url(case, "sign_start"), follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == url(case)
    assert list(response.context["messages"])
    collect = client.post(url(case, "sign_collect"))
    assert collect.status_code == 286  # no order: htmx stops polling
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not CaseSignature.objects.exists()


def test_a_member_and_the_firm_read_but_do_not_attest(client, world, case):
    for user in (world.member_a1, world.accountant_a):
        client.force_login(user)
        page = client.get(url(case)).content.decode()
        assert "lista.pdf" in page and url(case, "attest") not in page
        assert client.post(url(case, "attest")).status_code == 404
        assert client.post(url(case, "sign_start")).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_client_answers_with_changes(client, world, case):
    client.force_login(world.member_a1)
    client.post(url(case, "answer"), {"body": "Anna ska ha 2 timmar övertid."})
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED and case.messages.get().body == "Anna ska ha 2 timmar övertid."
    client.force_login(world.signatory_a2)  # another company's client
    assert client.post(url(case, "answer"), {"body": "x"}).status_code == 404


def test_sign_orders_are_started_at_the_sandbox_and_limited_per_session(
    client, world, case, settings, sandbox
):
    settings.BANKID_API_URL = f"{sandbox.url}/bankid/rp/v6.0"
    user_set_personnummer(user=world.signatory_a1, number="191212121212")
    client.force_login(world.signatory_a1)
    for _ in range(10):
        assert client.post(url(case, "sign_start")).url == url(case, "sign_wait")
    wait = client.get(url(case, "sign_wait")).content.decode()
    assert "SHA-256" in wait and world.a1.name in wait
    refused = client.post(url(case, "sign_start"), follow=True)
    assert refused.redirect_chain[-1][0] == url(case)
    assert "För många BankID-försök" in str(next(iter(refused.context["messages"])))
    orders = sandbox.client.get("/_control/bankid/orders").json()["orders"]
    # Each start cancelled the session's previous order: one sign order is left pending.
    assert [(o["kind"], o["status"]) for o in orders if o["status"] == "pending"] == [("sign", "pending")]
