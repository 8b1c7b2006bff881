"""The one HTTP layer every provider client uses (pure: no Django).

- httpx for transport; one `httpx.Client` per `ApiClient` (connection pooling).
- A shared rate limiter is asked for a permit before every request (`acquire(key)`), so
  all worker processes together stay under the provider's published limit.
- stamina retries 429, 5xx and transport errors with exponential backoff and jitter; a
  429's `Retry-After` header (or a "Try again in N seconds" message) sets the wait instead.
- Provider errors become typed exceptions with the provider's own code and message, which
  the UI turns into a clear text and the connection's status.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
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
    acquire: Callable[[str], None] = lambda key: None
    rate_key: Callable[[str], str] = lambda path: "default"
    on_unauthorized: Callable[[], None] = lambda: None
    attempts: int = 6
    timeout: float = 60.0
    transport: httpx.BaseTransport | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    requests_sent: int = 0

    def __post_init__(self) -> None:
        self._http = httpx.Client(
            base_url=self.base_url.rstrip("/"),
            timeout=self.timeout,
            transport=self.transport,
            headers={"Accept": "application/json", **self.headers},
        )

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request with retries; a single 401 triggers one token refresh and a retry."""
        try:
            return self._with_retries(method, path, **kwargs)
        except Unauthorized:
            self.on_unauthorized()
            return self._with_retries(method, path, **kwargs)

    def get_json(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None).json()

    def _with_retries(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for attempt in stamina.retry_context(
            on=_backoff, attempts=self.attempts, wait_initial=0.5, wait_max=30.0, timeout=None
        ):
            with attempt:
                return self._send(method, path, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.acquire(self.rate_key(path))
        self.requests_sent += 1
        headers = {"Authorization": f"Bearer {self.token()}", **kwargs.pop("headers", {})}
        response = self._http.request(method, path, headers=headers, **kwargs)
        if response.is_success:
            return response
        raise error_for(response, self.parse_error)
