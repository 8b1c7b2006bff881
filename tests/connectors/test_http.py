"""The HTTP layer: typed errors, retries honouring Retry-After, one refresh on 401.

The provider is replaced by an httpx.MockTransport here (an external service, not our code);
end-to-end behaviour against the sandbox is tested in test_consent_flow.py.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import httpx
import pytest

from ledgerport.connectors.fortnox.client import parse_error as fortnox_error
from ledgerport.connectors.http import ApiClient, Forbidden, RateLimited, ServerError, Unauthorized
from ledgerport.connectors.spiris.client import parse_error as spiris_error


def client(handler, **kwargs) -> ApiClient:
    kwargs.setdefault("parse_error", fortnox_error)
    return ApiClient(
        base_url="http://provider", token=lambda: "t", transport=httpx.MockTransport(handler), **kwargs
    )


@pytest.fixture(autouse=True)
def _no_real_sleep(monkeypatch):
    import stamina

    stamina.set_testing(True, attempts=6)
    yield
    stamina.set_testing(False)


def test_429_then_success_is_retried():
    answers = iter([httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200, json={"ok": 1})])
    api = client(lambda request: next(answers))
    assert api.get_json("/3/x") == {"ok": 1}
    assert api.requests_sent == 2


def test_persistent_5xx_gives_up_with_server_error():
    api = client(
        lambda request: httpx.Response(500, json={"ErrorInformation": {"message": "boom"}}), attempts=3
    )
    with pytest.raises(ServerError):
        api.get_json("/3/x")


def test_fortnox_403_is_forbidden_with_code_and_message_and_not_retried():
    body = {"ErrorInformation": {"error": 1, "message": "Api-licens saknas.", "code": 2001103}}
    api = client(lambda request: httpx.Response(403, json=body))
    with pytest.raises(Forbidden) as excinfo:
        api.get_json("/3/companyinformation")
    assert (excinfo.value.code, excinfo.value.message) == ("2001103", "Api-licens saknas.")
    assert api.requests_sent == 1


def test_spiris_429_wait_is_read_from_the_message():
    body = {
        "ErrorCode": 4010,
        "DeveloperErrorMessage": "API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.",
    }
    api = client(lambda request: httpx.Response(429, json=body), parse_error=spiris_error, attempts=1)
    with pytest.raises(RateLimited) as excinfo:
        api.get_json("/v2/vouchers")
    assert excinfo.value.retry_after == 55
    assert excinfo.value.code == "4010"


def test_a_retry_sends_the_callers_headers_again():
    answers = iter([httpx.Response(503), httpx.Response(200, json={"ok": 1})])
    seen = []

    def handler(request):
        seen.append(request.headers.get("If-None-Match"))
        return next(answers)

    api = client(handler)
    response = api.request("GET", "/3/x", headers={"If-None-Match": "v1"})
    assert response.json() == {"ok": 1}
    assert seen == ["v1", "v1"]


def test_a_refresh_after_401_sends_the_callers_headers_again():
    seen = []

    def handler(request):
        seen.append((request.headers["Authorization"], request.headers.get("If-None-Match")))
        return httpx.Response(200 if len(seen) > 1 else 401, json={})

    api = client(handler, on_unauthorized=lambda: None)
    api.request("GET", "/3/x", headers={"If-None-Match": "v1"})
    assert [header for _, header in seen] == ["v1", "v1"]


def test_headers_none_sends_the_token_only():
    seen = []

    def handler(request):
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={})

    client(handler).request("GET", "/3/x", headers=None)
    assert seen == ["Bearer t"]


def test_401_refreshes_once_and_retries_with_the_new_token():
    tokens = iter(["old", "new"])
    current = {"token": next(tokens)}
    seen = []

    def handler(request):
        seen.append(request.headers["Authorization"])
        return httpx.Response(200 if request.headers["Authorization"] == "Bearer new" else 401, json={})

    api = ApiClient(
        base_url="http://provider",
        token=lambda: current["token"],
        parse_error=fortnox_error,
        on_unauthorized=lambda: current.update(token=next(tokens)),
        transport=httpx.MockTransport(handler),
    )
    api.get_json("/3/x")
    assert seen == ["Bearer old", "Bearer new"]


def test_every_request_asks_the_limiter_with_its_key():
    keys = []

    @contextmanager
    def acquire(key, stop):
        keys.append(key)
        yield
        keys.append("answered")  # the permit is held until the answer arrived

    api = client(lambda r: httpx.Response(200, json={}), acquire=acquire, rate_key=lambda path: f"k:{path}")
    api.get_json("/3/a")
    api.get_json("/3/b")
    assert keys == ["k:/3/a", "answered", "k:/3/b", "answered"]


def _on_a_worker(call):
    """`call()` on another thread: its result or the exception it raised."""
    outcome = []

    def run():
        try:
            outcome.append(call())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    return outcome[0]


def test_only_the_owner_thread_reads_and_refreshes_the_token():
    """Fetch workers use the token the sync's thread shared; a 401 withdraws it so the others
    stop sending with it, and the sync's thread refreshes it, once."""
    current = ["old"]
    reads, refreshes, sent = [], [], []

    def read_token():
        reads.append(threading.get_ident())
        return current[0]

    def handler(request):
        sent.append(request.headers["Authorization"])
        return httpx.Response(401 if request.headers["Authorization"] == "Bearer old" else 200, json={})

    api = ApiClient(
        base_url="http://provider",
        token=read_token,
        parse_error=fortnox_error,
        on_unauthorized=lambda: refreshes.append(1),
        transport=httpx.MockTransport(handler),
    )
    api.share_token()
    assert isinstance(_on_a_worker(lambda: api.get_json("/3/a")), Unauthorized)
    assert api.token_withdrawn() and refreshes == []  # the worker neither refreshed nor retried
    assert isinstance(_on_a_worker(lambda: api.get_json("/3/b")), Unauthorized)
    assert sent == ["Bearer old"]  # the second worker did not send with the withdrawn token
    api.share_token()  # a routine re-read does not share the refused token again
    assert api.token_withdrawn()

    current[0] = "new"  # what the owner's refresh stores
    api.share_token(refreshed=True)
    assert _on_a_worker(lambda: api.get_json("/3/c")) == {}
    assert sent == ["Bearer old", "Bearer new"]
    assert set(reads) == {threading.get_ident()}


def test_a_thread_waiting_for_its_permit_is_known_as_waiting():
    window = threading.Event()

    @contextmanager
    def acquire(key, stop):
        window.wait(10)  # the window is full until the test opens it
        yield

    api = client(lambda request: httpx.Response(200, json={}), acquire=acquire)
    api.share_token()  # for the worker thread
    worker = threading.Thread(target=api.get_json, args=("/3/x",))
    worker.start()
    deadline = time.monotonic() + 5
    while not api.waiting_for_permit(worker.ident) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert api.waiting_for_permit(worker.ident)
    window.set()
    worker.join(5)
    assert not api.waiting_for_permit(worker.ident)
    assert api.requests_sent == 1
