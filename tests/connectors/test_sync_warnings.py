"""A sync that skipped a document area ends "Klar med varningar" naming what was skipped and
how the client fixes it, never a plain green "Klar". Provider errors are told apart by code
*and* message (Spiris' 4002 has four meanings); an unknown one shows the provider's own text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from ledgerport.connectors import messages, providers, sync, sync_runs
from ledgerport.connectors.http import Forbidden, ProviderError
from ledgerport.connectors.models import Connection, SyncRun, SyncStatus
from ledgerport.documents.models import Document
from ledgerport.tenancy.models import Company
from tests.connectors.sync_helpers import connect

pytestmark = pytest.mark.django_db

EXEMPEL = "556036-0793"
NORDLJUS = "5591419816"


def run_sync(connection: Connection) -> SyncRun:
    run = sync_runs.sync_start(connection=connection, enqueue=False)
    done = sync.sync_execute(run.pk)
    assert done is not None
    return done


def sv(provider: str, exc: Exception, area: str = "") -> str:
    with translation.override("sv"):
        return messages.describe(provider, exc, area=area)


@pytest.fixture
def small(providers_at_sandbox):
    providers_at_sandbox.seed_company(EXEMPEL, vouchers=60, files=20)
    return providers_at_sandbox


def collect_page(client, world, company):
    client.force_login(world.accountant_a)
    response = client.get(reverse("web:company_collect", args=[company.pk]))
    assert response.status_code == 200
    return response


def assert_done_with_warnings(page, run: SyncRun, words: list[str]) -> None:
    assertContains(page, 'data-testid="sync-run" data-status="warnings"')
    assertContains(page, "Klar med varningar")
    assertContains(page, 'data-testid="sync-warnings"')
    assertNotContains(page, 'data-testid="sync-done"')  # not the green "Synkade …"
    assertNotContains(page, 'data-status="succeeded"')
    for word in words:
        assertContains(page, word)


def test_a_fortnox_user_without_the_supplier_register_right_ends_done_with_warnings(client, world, small):
    # ekonomi@ lacks the supplier register right: Leverantörer answers 403 2003275.
    connection = connect(small, world.a1, email="ekonomi@exempelbolaget.se")
    run = run_sync(connection)

    assert run.status == SyncStatus.SUCCEEDED, run.log  # the ledger and the other documents are in
    assert run.state == "warnings"
    assert [w["area"] for w in run.warnings] == ["Leverantörsfakturor"], run.warnings
    message = run.warnings[0]["message"]
    assert "leverantörsregister" in message and "administratör" in message, message  # what and who fixes it
    assert Document.objects.filter(company=world.a1).exists()
    assert_done_with_warnings(collect_page(client, world, world.a1), run, ["Leverantörsfakturor", message])


def test_a_fortnox_approval_without_the_supplier_invoice_scope_says_to_approve_again(client, world, small):
    scope = providers.get("fortnox").scope.replace("supplierinvoice", "").strip()
    connection = connect(small, world.a1, scope=" ".join(scope.split()))
    run = run_sync(connection)

    assert run.state == "warnings", run.log
    message = run.warnings[0]["message"]
    assert run.warnings[0]["area"] == "Leverantörsfakturor"
    assert message == sv(
        "fortnox", Forbidden(403, "Har inte behörighet för scope.", "2000663"), "Leverantörsfakturor"
    )
    assert "aktiveringslänk" in message and "leverantörsfakturor" in message
    assert_done_with_warnings(collect_page(client, world, world.a1), run, [message])


def test_a_spiris_approval_without_the_purchase_scope_is_not_called_a_missing_api_module(
    client, world, providers_at_sandbox
):
    Company.objects.filter(pk=world.a2.pk).update(orgnr=NORDLJUS)
    world.a2.refresh_from_db()
    scope = "ea:api offline_access ea:accounting_readonly ea:sales_readonly openid profile email"
    connection = connect(providers_at_sandbox, world.a2, provider="spiris", scope=scope)
    run = run_sync(connection)

    assert run.state == "warnings", run.log
    assert [w["area"] for w in run.warnings] == ["Leverantörsfakturor"]
    message = run.warnings[0]["message"]
    assert "API-modul" not in message, message  # 4002 here means a missing scope, not the module
    assert "aktiveringslänk" in message, message
    assert_done_with_warnings(collect_page(client, world, world.a2), run, [message])


def test_a_clean_sync_is_plainly_done(client, world, small):
    run = run_sync(connect(small, world.a1))
    assert (run.status, run.state, run.warnings) == (SyncStatus.SUCCEEDED, "succeeded", []), run.log
    page = collect_page(client, world, world.a1)
    assertContains(page, 'data-testid="sync-done"')
    assertNotContains(page, "Klar med varningar")


@pytest.mark.parametrize(
    ("message", "expected", "not_expected"),
    [
        ("ForbiddenRequestException - No access to module: api_standard", "API-modul", "godkännandet"),
        (
            "ForbiddenRequestException - Insufficient scope. Requires any of: ea:purchase, ea:purchase_readonly",
            "aktiveringslänk",
            "API-modul",
        ),
        ("ForbiddenRequestException - No access to module: invoicing", "invoicing", "API-modul"),
        (
            "ForbiddenRequestException - The user does not have full program permission "
            "(Fullständig programbehörighet) for this company.",
            "fullständig programbehörighet",
            "API-modul",
        ),
        ("ForbiddenRequestException - Something new", "Something new", "API-modul"),
    ],
)
def test_spiris_4002_is_told_apart_by_its_message(message, expected, not_expected):
    text = sv("spiris", Forbidden(403, message, "4002"), "Kundfakturor")
    assert expected in text and not_expected not in text, text


def test_an_unknown_provider_error_shows_the_providers_own_text():
    for provider, code in (("fortnox", "2009999"), ("spiris", "4999")):
        text = sv(provider, ProviderError(400, "Kontot 9999 finns inte.", code))
        assert "Kontot 9999 finns inte." in text, text
        text = sv(provider, Forbidden(403, "Ny sorts nekad åtkomst", code))
        assert "Ny sorts nekad åtkomst" in text, text


def test_a_run_that_skipped_an_area_is_no_watermark_for_the_next(world, small):
    """Once the client fixes the right, the next sync fetches the skipped area whole, not only
    what changed since the run that could not read it."""
    connection = connect(small, world.a1, email="ekonomi@exempelbolaget.se")
    warned = run_sync(connection)
    assert warned.state == "warnings"
    before = Document.objects.filter(company=world.a1).count()
    connection = connect(small, world.a1)  # approved again by the administrator
    fixed = run_sync(connection)
    assert fixed.state == "succeeded", fixed.log
    assert "hoppades över" not in fixed.log
    assert Document.objects.filter(company=world.a1).count() > before
    assert small.stats()["fortnox"].get("api:supplier_invoices", 0) >= 1
