"""When a sync fails, the run and the connection say why in words a user can act on, and the
company's "Läs in data" tab shows it: a revoked grant, a missing licence or module (403), a 429
storm, repeated 500s. Transient errors are retried first (honouring a provider's Retry-After).

All against the sandbox over HTTP; its knobs (revoke, fail, ratelimit) play the provider's part."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from ledgerport.connectors import clients, fetching, messages, sync, sync_runs
from ledgerport.connectors.http import Forbidden, GrantRevoked, RateLimited, ServerError
from ledgerport.connectors.models import Connection, ConnectionStatus, SyncRun, SyncStatus
from ledgerport.documents.models import Document
from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company
from tests.connectors.sync_helpers import connect, fast_retries
from tests.plugins.sandbox import SandboxHelper

pytestmark = pytest.mark.django_db

EXEMPEL = "556036-0793"  # all modules
NO_LICENCE = "5568812076"  # Utan Licens Handel AB: 403 2001103 on every call
NO_BOKFORING = "5569445124"  # Fakturaservice Väst AB: 403 2001101 on bookkeeping
BYRA = "byra@demo-redovisning.se"  # reaches the five Fortnox companies
UNEXPECTED = "The sync failed unexpectedly"


def run_sync(connection: Connection) -> SyncRun:
    run = sync_runs.sync_start(connection=connection, enqueue=False)
    done = sync.sync_execute(run.pk)
    assert done is not None
    return done


def described(provider: str, exc: Exception) -> str:
    """What messages.py says for `exc`, in the language a sync writes (LANGUAGE_CODE, sv)."""
    with translation.override("sv"):
        return messages.describe(provider, exc)


def as_company(world, orgnr: str) -> Company:
    """Firm A's second company, renamed to a sandbox company's org number."""
    Company.objects.filter(pk=world.a2.pk).update(orgnr=orgnr)
    world.a2.refresh_from_db()
    return world.a2


@pytest.fixture
def small(providers_at_sandbox):
    providers_at_sandbox.seed_company(EXEMPEL, vouchers=60, files=20)
    return providers_at_sandbox


@pytest.fixture
def collect_page(client, world):
    """The company's "Läs in data" tab as an accountant of the firm sees it."""
    client.force_login(world.accountant_a)

    def get(company: Company):  # type: ignore[no-untyped-def]
        response = client.get(reverse("web:company_collect", args=[company.pk]))
        assert response.status_code == 200
        return response

    return get


@pytest.fixture
def meanwhile(small) -> Iterator[Callable[[str, int, Callable[[SandboxHelper], object]], None]]:
    """Do something to the sandbox from another thread once it has served `count` requests of a
    handler (say, the third file download): a provider changing its mind in the middle of a sync."""
    threads: list[threading.Thread] = []
    errors: list[BaseException] = []

    def when(handler: str, count: int, action: Callable[[SandboxHelper], object]) -> None:
        def watch() -> None:
            helper = SandboxHelper(small.url)
            try:
                deadline = time.monotonic() + 60
                while helper.stats()["fortnox"].get(f"api:{handler}", 0) < count:
                    assert time.monotonic() < deadline, f"the sync never made {count} {handler} requests"
                    time.sleep(0.01)
                action(helper)
            except BaseException as exc:  # reported by the fixture, not lost in the thread
                errors.append(exc)
            finally:
                helper.close()

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        threads.append(thread)

    yield when
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def assert_page_shows(response, *, status: str, message: str) -> None:
    """The provider card carries the connection's status and message; the panel the run's error."""
    assertContains(response, f'data-testid="provider-fortnox" data-status="{status}"')
    assertContains(response, f'<p class="error" role="status">{escape(message)}</p>')
    assertContains(response, f'<p class="error" role="alert" data-testid="sync-error">{escape(message)}</p>')


# ----------------------------------------------------------------------------- (a) revoked grant


def test_a_grant_revoked_mid_sync_fails_the_run_and_asks_for_a_new_approval(
    world, small, meanwhile, collect_page
):
    connection = connect(small, world.a1)
    # The customer revokes the integration in Fortnox while the documents are being fetched.
    meanwhile("archive_item", 3, lambda helper: helper.revoke("fortnox", company=EXEMPEL))
    run = run_sync(connection)

    expected = described("fortnox", GrantRevoked())
    assert run.status == SyncStatus.FAILED
    assert run.error == expected, run.log
    assert "aktiveringslänk" in run.error  # it says what to do: send a new activation link
    assert expected in run.log
    # What was fetched before the revocation stays; the rest needs a new approval.
    assert FiscalYear.objects.filter(company=world.a1, voucher_count__gt=0).count() == 2
    assert Document.objects.filter(company=world.a1).count() >= 2
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.NEEDS_REAUTHORISATION
    assert connection.status_message == expected
    # One refresh was tried, it was refused, and the sync stopped there (no retry storm):
    # besides the first, only fetches already in flight on other workers met a 401.
    stats = small.stats()["fortnox"]
    assert 1 <= stats.get("status_401", 0) <= fetching.WORKERS, stats
    assert stats["token"] == 2, stats  # the consent's code exchange, the one refused refresh

    # Starting again is refused with the same advice until someone approves again.
    with pytest.raises(sync_runs.SyncRefused, match="aktiveringslänk"):
        sync_runs.sync_start(connection=connection, enqueue=False)

    page = collect_page(world.a1)
    assert_page_shows(page, status=ConnectionStatus.NEEDS_REAUTHORISATION, message=expected)
    with translation.override("sv"):
        assertContains(page, str(ConnectionStatus.NEEDS_REAUTHORISATION.label))  # the status, in words
    assertNotContains(page, 'data-testid="sync-two-latest"')  # no sync button for a dead grant


# ----------------------------------------------------------------------------- (b) 403: licence, module


@pytest.mark.parametrize(
    ("orgnr", "code", "words"),
    [
        pytest.param(NO_LICENCE, "2001103", "integrationslicens", id="no-integration-licence"),
        pytest.param(NO_BOKFORING, "2001101", "Bokföring", id="no-bokforing-module"),
    ],
)
def test_a_missing_licence_or_module_fails_with_what_to_order(
    world, providers_at_sandbox, collect_page, orgnr, code, words
):
    sandbox = providers_at_sandbox
    company = as_company(world, orgnr)
    connection = connect(sandbox, company, email=BYRA)
    run = run_sync(connection)

    expected = described("fortnox", Forbidden(403, "", code))
    assert run.status == SyncStatus.FAILED, run.log
    assert run.error == expected
    assert words in run.error and UNEXPECTED not in run.error
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ERROR
    assert connection.status_message == expected
    # A 403 is an answer, not a hiccup: asked once, not retried.
    assert sandbox.stats()["fortnox"]["status_403"] == 1
    assert not FiscalYear.objects.filter(company=company).exists()

    page = collect_page(company)
    assert_page_shows(page, status=ConnectionStatus.ERROR, message=expected)
    # Once the customer has fixed it, syncing again is allowed from the same page.
    assertContains(page, 'data-testid="sync-two-latest"')


def test_a_module_the_user_may_not_read_is_skipped_and_named_in_the_log(world, small, collect_page):
    # ekonomi@ lacks the supplier register right: Leverantörer answers 403, Bokföring works.
    connection = connect(small, world.a1, email="ekonomi@exempelbolaget.se")
    run = run_sync(connection)
    assert run.status == SyncStatus.SUCCEEDED, run.log
    assert run.state == "warnings"  # done, but not a plain "Klar" (test_sync_warnings.py)
    assert "Leverantörsfakturor" in run.log and "hoppades över" in run.log, run.log
    assert Document.objects.filter(company=world.a1).exists()
    connection.refresh_from_db()
    assert (connection.status, connection.status_message) == (ConnectionStatus.ACTIVE, "")


# ----------------------------------------------------------------------------- (c) 429


def test_a_short_429_burst_is_waited_out_and_the_sync_succeeds(world, providers_at_sandbox):
    sandbox = providers_at_sandbox
    sandbox.seed_company(EXEMPEL, vouchers=10, files=2)  # a handful of requests
    connection = connect(sandbox, world.a1)
    sandbox.fail(3, provider="fortnox", status=429)  # Fortnox sends no Retry-After: back off
    started = time.monotonic()
    run = run_sync(connection)
    spent = time.monotonic() - started

    assert run.status == SyncStatus.SUCCEEDED, run.log
    assert sandbox.stats()["fortnox"]["status_429"] == 3
    # Exponential backoff from 0.5 s: at least 0.5 + 1 + 2 s of waiting, not three instant retries.
    assert spent >= 3.5, spent
    assert FiscalYear.objects.filter(company=world.a1, voucher_count__gt=0).count() == 2
    connection.refresh_from_db()
    assert (connection.status, connection.status_message) == (ConnectionStatus.ACTIVE, "")


def test_a_429_storm_that_outlasts_the_retries_fails_clearly_and_the_next_sync_recovers(
    world, small, collect_page
):
    connection = connect(small, world.a1)
    small.fail(1000, provider="fortnox", status=429)
    with fast_retries(attempts=6):  # the attempts of http.ApiClient, without the minutes of waiting
        run = run_sync(connection)

    expected = described("fortnox", RateLimited(429, "API rate limit exceeded"))
    assert run.status == SyncStatus.FAILED
    assert run.error == expected, run.log
    assert "begränsar" in run.error and UNEXPECTED not in run.error
    assert small.stats()["fortnox"]["status_429"] == 6  # it did retry, then gave up
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ERROR
    assert connection.status_message == expected
    assert_page_shows(collect_page(world.a1), status=ConnectionStatus.ERROR, message=expected)

    # The storm passes; the next sync works and the connection is green again.
    small.fail(0, provider="fortnox")
    again = run_sync(connection)
    assert again.status == SyncStatus.SUCCEEDED, again.log
    connection.refresh_from_db()
    assert (connection.status, connection.status_message) == (ConnectionStatus.ACTIVE, "")
    page = collect_page(world.a1)
    assertContains(page, 'data-testid="provider-fortnox" data-status="active"')
    assertNotContains(page, escape(expected))


def test_a_spiris_429_is_retried_after_exactly_the_wait_it_asks_for(world, providers_at_sandbox):
    """Spiris says "Try again in N seconds"; the client sleeps that long (not a shorter backoff),
    so the one retry succeeds: exactly one 429 for two calls inside a 2-second window of 1."""
    sandbox = providers_at_sandbox
    Company.objects.filter(pk=world.a2.pk).update(orgnr="5591419816")  # Nordljus Konsult AB
    world.a2.refresh_from_db()
    connection = connect(sandbox, world.a2, provider="spiris")
    sandbox.ratelimit("spiris", limit=1, window=2)
    api = clients.for_connection(connection)
    try:
        api.get_json("/v2/fiscalyears")
        started = time.monotonic()
        api.get_json("/v2/fiscalyears")
        waited = time.monotonic() - started
    finally:
        api.close()
    stats = sandbox.stats()["spiris"]
    assert stats["rate_limited"] == 1, stats  # a 0.5 s first backoff would have been refused again
    assert stats["status_200"] >= 2
    assert 1.0 <= waited < 5.0, waited


def test_a_sync_against_a_much_tighter_provider_limit_backs_off_and_succeeds(world, providers_at_sandbox):
    """The provider allows far less than its published limit (5 per 2 s instead of 25 per 5 s):
    our limiter lets the requests through, the provider answers 429, the client backs off."""
    sandbox = providers_at_sandbox
    sandbox.seed_company(EXEMPEL, vouchers=10, files=2)
    connection = connect(sandbox, world.a1)
    sandbox.ratelimit("fortnox", limit=5, window=2)
    run = run_sync(connection)
    stats = sandbox.stats()["fortnox"]
    assert run.status == SyncStatus.SUCCEEDED, run.log
    assert stats.get("rate_limited", 0) >= 1, stats
    assert stats.get("status_429", 0) == stats["rate_limited"]
    assert FiscalYear.objects.filter(company=world.a1, voucher_count__gt=0).count() == 2
    assert Document.objects.filter(company=world.a1).exists()
    connection.refresh_from_db()
    assert (connection.status, connection.status_message) == (ConnectionStatus.ACTIVE, "")


# ----------------------------------------------------------------------------- (d) 500s


def test_repeated_500s_fail_with_a_clear_message(world, small, meanwhile, collect_page):
    connection = connect(small, world.a1)
    # The provider breaks down in the middle of the document downloads, for good.
    meanwhile("archive_item", 2, lambda helper: helper.fail(1000, provider="fortnox", status=500))
    with fast_retries(attempts=6):
        run = run_sync(connection)

    expected = described("fortnox", ServerError(500, "System exception"))
    assert run.status == SyncStatus.FAILED
    assert run.error == expected, run.log
    assert "fel" in run.error and "System exception" in run.error and UNEXPECTED not in run.error
    # One request's six attempts; fetches in flight on the other workers when the provider
    # broke met one 500 each, and then waited and gave up without sending again.
    assert 6 <= small.stats()["fortnox"]["status_500"] <= 6 + fetching.WORKERS - 1
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ERROR
    assert connection.status_message == expected
    assert_page_shows(collect_page(world.a1), status=ConnectionStatus.ERROR, message=expected)


def test_a_few_500s_are_retried_and_the_sync_succeeds(world, small):
    connection = connect(small, world.a1)
    small.fail(2, provider="fortnox", status=500)
    with fast_retries(attempts=6):
        run = run_sync(connection)
    assert run.status == SyncStatus.SUCCEEDED, run.log
    assert small.stats()["fortnox"]["status_500"] == 2
    assert Document.objects.filter(company=world.a1).exists()
