"""The one HTTP layer every provider client uses (pure: no Django).

- httpx for transport; one `httpx.Client` per `ApiClient` (connection pooling).
- A shared rate limiter gives a permit for every request (`with acquire(key, stop):`), held
  until the answer arrives, so all worker processes and threads together stay under the
  provider's published limit. Setting `stop` makes a thread waiting for a permit give up.
- Thread-safe: a sync's fetch workers share one client (httpx pools the connections). The
  token source (the database, for a connection) is asked on the thread that made the
  client only; other threads use the token it read last (`share_token`). A 401 one of them
  meets withdraws that token, so the others stop sending with it, and is raised for the
  owner's thread to refresh (once) and share again.
- stamina retries 429, 5xx and transport errors with exponential backoff and jitter; a
  429's `Retry-After` header (or a body's "Try again in N seconds") sets the wait instead.
- Provider errors become typed exceptions with the provider's own code and message, which
  the UI turns into a clear text and the connection's status.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import httpx
import stamina

RETRY_IN_TEXT = re.compile(r"[Tt]ry again in (\d+) seconds?")


@dataclass
class ProviderError(Exception):
    """An error answer from a provider."""

    status: int
    message: str
    code: str = ""
    body: Any = None

    def __str__(self) -> str:
        code = f" (code {self.code})" if self.code else ""
        return f"HTTP {self.status}{code}: {self.message}"


class Unauthorized(ProviderError):
    """401: the access token is expired or invalid."""


class Forbidden(ProviderError):
    """403: missing licence, module, scope or user right — not a dead grant."""


class NotFound(ProviderError):
    pass


@dataclass
class RateLimited(ProviderError):
    retry_after: float | None = None


class ServerError(ProviderError):
    pass


@dataclass
class GrantRevoked(Exception):
    """The refresh token was refused (`invalid_grant`): a person must consent again."""

    message: str = "invalid_grant"


ErrorParser = Callable[[httpx.Response], tuple[str, str]]


def _retry_after(response: httpx.Response) -> float | None:
    header = response.headers.get("Retry-After", "")
    if header.strip().isdigit():
        return float(header)
    if match := RETRY_IN_TEXT.search(response.text[:500]):
        return float(match.group(1))
    return None


def error_for(response: httpx.Response, parse: ErrorParser) -> ProviderError:
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text[:2000]
    code, message = parse(response)
    status = response.status_code
    if status == 429:
        return RateLimited(status, message, code, body, retry_after=_retry_after(response))
    kind = {401: Unauthorized, 403: Forbidden, 404: NotFound}.get(status)
    if kind is None:
        kind = ServerError if status >= 500 else ProviderError
    return kind(status, message, code, body)


def _backoff(exc: Exception) -> bool | float:
    """stamina's hook: retry these, waiting what the provider asked for when it said."""
    if isinstance(exc, RateLimited):
        return exc.retry_after if exc.retry_after is not None else True
    return isinstance(exc, ServerError | httpx.TransportError)


@dataclass
class ApiClient:
    """Requests against one provider API for one grant."""

    base_url: str
    token: Callable[[], str]
    parse_error: ErrorParser
    acquire: Callable[[str, threading.Event], AbstractContextManager[object]] = lambda key, stop: (
        nullcontext()
    )
    rate_key: Callable[[str], str] = lambda path: "default"
    on_unauthorized: Callable[[], None] = lambda: None
    attempts: int = 6
    timeout: float = 60.0
    transport: httpx.BaseTransport | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # Headers made afresh for every request sent (a retry too), e.g. a correlation id.
    request_headers: Callable[[], Mapping[str, str]] = lambda: {}
    requests_sent: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    owner: int = field(default_factory=threading.get_ident)

    def __post_init__(self) -> None:
        self._counting = threading.Lock()
        self._retrying = threading.Lock()
        self._gave_up: Exception | None = None
        self._shared_token: str | None = None  # "": withdrawn after a 401
        self._waiting: set[int] = set()  # threads waiting for a permit
        self._http = httpx.Client(
            base_url=self.base_url.rstrip("/"),
            timeout=self.timeout,
            transport=self.transport,
            headers={"Accept": "application/json", **self.headers},
        )

    def close(self) -> None:
        self._http.close()

    def share_token(self, *, refreshed: bool = False) -> None:
        """Read the token (on the owner's thread) for the other threads' requests. A token
        withdrawn after a 401 is shared again only once the owner has `refreshed` it."""
        token = self.token()
        with self._counting:
            if refreshed or self._shared_token != "":
                self._shared_token = token

    def token_withdrawn(self) -> bool:
        """Whether another thread met a 401 with the shared token since it was shared."""
        return self._shared_token == ""

    def _token(self) -> str:
        if threading.get_ident() == self.owner:
            return self.token()
        if not (token := self._shared_token):
            raise Unauthorized(401, "The shared token was refused; the owner refreshes it.")
        return token

    def _withdraw(self, token: str) -> None:
        with self._counting:
            if self._shared_token == token:  # not one the owner has shared since
                self._shared_token = ""

    def waiting_for_permit(self, thread: int | None) -> bool:
        """Whether the thread (an ident) is waiting for the rate limiter's permit right now."""
        return thread in self._waiting

    @contextmanager
    def _permit(self, key: str) -> Iterator[None]:
        thread = threading.get_ident()
        with ExitStack() as held:
            with self._counting:
                self._waiting.add(thread)
            try:
                held.enter_context(self.acquire(key, self.stop))
            finally:
                with self._counting:
                    self._waiting.discard(thread)
            yield

    def count_request(self) -> None:
        with self._counting:
            self.requests_sent += 1

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request with retries; a single 401 triggers one token refresh and a retry."""
        try:
            return self._with_retries(method, path, **kwargs)
        except Unauthorized:
            if threading.get_ident() != self.owner:
                raise  # the refresh writes the database: the owner's thread does it
            self.on_unauthorized()
            return self._with_retries(method, path, **kwargs)

    def get_json(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None).json()

    def _with_retries(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A provider in trouble sees one thread retrying at a time, the others waiting; once
        one has used up its attempts the others raise its error without sending again."""
        retrying = False
        try:
            for attempt in stamina.retry_context(
                on=_backoff, attempts=self.attempts, wait_initial=0.5, wait_max=30.0, timeout=None
            ):
                if attempt.num > 1 and not retrying:
                    self._retrying.acquire()
                    retrying = True
                elif not retrying:
                    with self._retrying:
                        pass
                if self._gave_up is not None:
                    raise self._gave_up
                with attempt:
                    return self._send(method, path, **kwargs)
        except (ProviderError, httpx.TransportError) as exc:
            if retrying and _backoff(exc):
                self._gave_up = exc
            raise
        finally:
            if retrying:
                self._retrying.release()
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        token = self._token()
        # Built anew for every attempt, the caller's kwargs left as they came (a retry and the
        # retry after a refresh send the same headers); httpx's `headers=None` means none.
        options = dict(kwargs)
        headers = {
            "Authorization": f"Bearer {token}",
            **self.request_headers(),
            **(options.pop("headers", None) or {}),
        }
        with self._permit(self.rate_key(path)):
            self.count_request()
            response = self._http.request(method, path, headers=headers, **options)
        if response.is_success:
            return response
        if response.status_code == 401 and threading.get_ident() != self.owner:
            self._withdraw(token)
        raise error_for(response, self.parse_error)
