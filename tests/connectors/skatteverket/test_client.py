"""The Skatteverket client against the sandbox over real HTTP: token, gateway headers and
correlation ids, role codes from /roller, the deep link, the grant, the tax account and the
employer-declaration periods, error bodies, and the 429 path."""

from __future__ import annotations

import contextlib
import time
from decimal import Decimal

import httpx
import pytest

from ledgerport.connectors import clients
from ledgerport.connectors.http import ApiClient, Forbidden, NotFound, ProviderError
from ledgerport.connectors.models import Connection
from ledgerport.connectors.skatteverket import client as skv_client
from ledgerport.connectors.skatteverket.client import ClientCredentials, SkatteverketClient, api_root
from tests.connectors.skatteverket.conftest import ORGNR, grant, remove_grant, today

pytestmark = pytest.mark.django_db


def _client(world) -> SkatteverketClient:
    connection, _ = Connection.objects.get_or_create(company=world.a1, provider="skatteverket")
    return SkatteverketClient(clients.for_connection(connection))


def test_roles_come_from_roller_and_the_grant_is_read_back(world, skv):
    api = _client(world)
    codes = api.role_codes()
    assert codes == ["SKAKLAS", "AGDREG"]  # the sandbox's codes, found by their descriptions
    assert api.missing_roles(ORGNR, today()) == list(skv_client.REQUIRED_ROLES)
    link = api.deep_link(ORGNR)
    assert link.startswith(skv.url + "/skatteverket/ombud/utseombud/")
    grant(skv)
    assert api.missing_roles(ORGNR, today()) == []
    assert {g.role for g in api.grants(ORGNR)} == {"SKAKLAS", "AGDREG"}
    remove_grant(skv)
    assert api.missing_roles(ORGNR, today()) == list(skv_client.REQUIRED_ROLES)


def test_tax_account_and_declarations_are_read_as_decimals(world, skv):
    grant(skv)
    api = _client(world)
    balance = api.balance(ORGNR)
    assert balance.balance == Decimal("247.50") and isinstance(balance.balance, Decimal)
    assert balance.ocr == "1655603607938"
    booked, upcoming = api.transactions(ORGNR)
    assert [(t.ident, t.amount) for t in booked] == [
        ("T1", Decimal("5000")),
        ("T2", Decimal("-3142")),
        ("T3", Decimal("-1598.5")),
        ("T4", Decimal("-12")),
    ]
    assert [(t.text, t.amount, t.due is not None) for t in upcoming] == [
        ("Debiterad preliminärskatt", Decimal("-2000"), True)
    ]
    period = f"{today().replace(day=1):%Y%m}"
    assert api.receipts(ORGNR, period) == []  # nothing declared this month
    with pytest.raises(NotFound):
        api.summary(ORGNR, period)


def test_without_a_grant_the_data_is_refused_with_skatteverkets_bodies(world, skv):
    api = _client(world)
    with pytest.raises(Forbidden) as tax:
        api.balance(ORGNR)
    assert tax.value.message == "Auktorisation saknas"
    with pytest.raises(Forbidden) as agi:
        api.receipts(ORGNR, "202601")
    assert agi.value.code == "403" and "behörighet" in agi.value.message
    with pytest.raises(ProviderError) as none:  # a company without a tax account: felkod 3
        grant(skv, "5590234562")
        api.balance("5590234562")
    assert (none.value.status, none.value.code) == (404, "3")


def test_every_call_carries_gateway_keys_and_a_fresh_correlation_id(world, skv):
    grant(skv)
    api = _client(world)
    for _ in range(3):
        api.balance(ORGNR)
    stats = skv.stats()["skatteverket"]
    # Every request (a retry after a stale token too) has its own id.
    assert stats["correlation_ids"] == stats["api"] >= 3 and stats.get("correlation_reused", 0) == 0
    # Without the gateway keys the sandbox refuses (as the gateway does).
    bare = httpx.get(f"{skv.url}/skatteverket/beskattning/skattekonto/v2/skattekonton/16{ORGNR}/saldo")
    assert bare.status_code == 401


def test_the_token_is_fetched_once_and_again_after_the_sandbox_forgot_it(world, skv):
    grant(skv)
    credentials = ClientCredentials(
        f"{skv.url}/skatteverket/oauth2/v1/sysorg/token", "ledgerport-dev", "skatteverket-dev-secret"
    )
    api = SkatteverketClient(
        ApiClient(
            base_url=api_root(f"{skv.url}/skatteverket/beskattning/skattekonto/v2"),  # holds a base path
            token=credentials,
            parse_error=skv_client.parse_error,
            on_unauthorized=credentials.invalidate,
            headers=skv_client.gateway_headers("ledgerport-dev", "skatteverket-dev-secret"),
            request_headers=skv_client.correlation_headers,
        )
    )
    api.balance(ORGNR)
    api.balance(ORGNR)
    assert credentials.fetched == 1
    skv.control("reset")  # the sandbox forgets its tokens (and grants and scenarios)
    grant(skv)
    from tests.connectors.skatteverket.conftest import scenario

    skv.control("skatteverket/scenario", **scenario())
    assert api.balance(ORGNR).ocr == "1655603607938"  # 401 -> a new token -> the answer
    assert credentials.fetched == 2


def test_a_wrong_secret_is_a_clear_error_and_the_secret_is_not_logged(world, skv, caplog):
    credentials = ClientCredentials(
        f"{skv.url}/skatteverket/oauth2/v1/sysorg/token", "ledgerport-dev", "s3cr3t-x"
    )
    with caplog.at_level("DEBUG"), pytest.raises(ProviderError) as refused:
        credentials()
    assert refused.value.status == 401 and refused.value.code == "invalid_client"
    assert "s3cr3t-x" not in caplog.text


def test_429_is_retried_after_retry_after_and_the_limiter_avoids_it(world, skv):
    grant(skv)
    skv.ratelimit("skatteverket", limit=2, window=1.0)
    connection, _ = Connection.objects.get_or_create(company=world.a1, provider="skatteverket")
    unlimited = clients.for_connection(connection)
    unlimited.acquire = lambda key, stop: contextlib.nullcontext()  # no limiter: meet the 429
    api = SkatteverketClient(unlimited)
    started = time.monotonic()
    balances = [api.balance(ORGNR).balance for _ in range(5)]  # waits the Retry-After it is told
    assert balances == [Decimal("247.50")] * 5
    stats = skv.stats()["skatteverket"]
    assert stats["status_429"] >= 1 and stats["status_200"] == 5
    assert time.monotonic() - started >= 1.0  # it waited, it did not hammer

    # With the product's limiter (4 a second, the sandbox's default) no request meets a 429.
    skv.ratelimit("skatteverket", default=True)
    skv.control("stats/reset")
    limited = _client(world)
    for _ in range(9):
        limited.balance(ORGNR)
    assert skv.stats()["skatteverket"].get("status_429", 0) == 0


def test_api_root_accepts_a_url_with_a_base_path():
    assert api_root("https://api.test.skatteverket.se") == "https://api.test.skatteverket.se"
    assert (
        api_root("https://api.test.skatteverket.se/beskattning/skattekonto/v2/")
        == "https://api.test.skatteverket.se"
    )
    assert (
        api_root("https://api.test.skatteverket.se/enkeltesttjanst/behorighet/ombudshantering/v2")
        == "https://api.test.skatteverket.se/enkeltesttjanst"
    )
    assert skv_client.huvudman("556036-0793") == "165560360793"
