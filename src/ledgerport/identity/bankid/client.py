"""BankID RP API v6.0 over httpx: POST JSON to `{api_url}/auth|sign|collect|cancel`.

Mutual TLS is optional so the sandbox can be called plainly: with `cert` (and `key`) the RP
certificate is presented, with `ca` BankID's server CA is the only one trusted.
Errors come back as `{errorCode, details}` and raise `BankIDError`; no answer at all (or one
that is not BankID's JSON) raises `BankIDUnavailable`.
"""

from __future__ import annotations

import base64
import ssl
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack

import httpx

PENDING = "pending"
FAILED = "failed"
COMPLETE = "complete"


class BankIDError(Exception):
    """An error answer: `error_code` is BankID's errorCode (alreadyInProgress, invalidParameters,
    unauthorized, notFound, requestTimeout, internalError, maintenance, ...)."""

    def __init__(self, error_code: str, details: str = "", status: int = 0) -> None:
        super().__init__(f"{error_code}: {details}" if details else error_code)
        self.error_code = error_code
        self.details = details
        self.status = status


class BankIDUnavailable(BankIDError):
    """BankID did not answer (network, timeout) or answered with something that is not its JSON."""

    def __init__(self, details: str, status: int = 0) -> None:
        super().__init__("unavailable", details, status)


@dataclass(frozen=True)
class Order:
    """An auth or sign order as /auth and /sign answer it."""

    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str


@dataclass(frozen=True)
class Collect:
    """One /collect answer. `hint_code` is kept as given: unknown codes must be tolerated."""

    order_ref: str
    status: str
    hint_code: str = ""
    completion_data: dict[str, Any] = field(default_factory=dict)

    @property
    def personal_number(self) -> str:
        user = self.completion_data.get("user") or {}
        return str(user.get("personalNumber", ""))

    @property
    def name(self) -> str:
        user = self.completion_data.get("user") or {}
        return str(user.get("name", ""))

    @property
    def risk(self) -> str:
        return str(self.completion_data.get("risk", ""))


class StartOptions(TypedDict, total=False):
    """The optional fields of /auth and /sign."""

    user_non_visible_data: str | None
    personal_number: str | None  # requirement.personalNumber: only this person may answer
    return_url: str | None
    return_risk: bool
    web: dict[str, str] | None


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class BankIDClient:
    def __init__(
        self,
        api_url: str,
        *,
        cert: str | None = None,
        key: str | None = None,
        ca: str | None = None,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        verify: ssl.SSLContext | bool = True
        if ca:
            verify = ssl.create_default_context(cafile=ca)
        if cert:
            context = verify if isinstance(verify, ssl.SSLContext) else ssl.create_default_context()
            context.load_cert_chain(cert, key or None)
            verify = context
        self.api_url = api_url.rstrip("/")
        self._http = httpx.Client(
            verify=verify,
            timeout=timeout,
            headers={"Content-Type": "application/json"},
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BankIDClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post(f"{self.api_url}/{path}", json=body)
        except httpx.HTTPError as err:
            raise BankIDUnavailable(f"{type(err).__name__}: {err}") from err
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise BankIDUnavailable(
                f"HTTP {response.status_code} without a JSON object", response.status_code
            )
        if response.status_code != 200:
            code = data.get("errorCode")
            if not isinstance(code, str) or not code:
                raise BankIDUnavailable(
                    f"HTTP {response.status_code} without an errorCode", response.status_code
                )
            raise BankIDError(code, str(data.get("details", "")), response.status_code)
        return data

    def _start(
        self,
        path: str,
        *,
        end_user_ip: str,
        user_visible_data: str | None,
        **options: Unpack[StartOptions],
    ) -> Order:
        body: dict[str, Any] = {"endUserIp": end_user_ip}
        if personal_number := options.get("personal_number"):
            body["requirement"] = {"personalNumber": personal_number}
        if user_visible_data:
            body["userVisibleData"] = _b64(user_visible_data)
            body["userVisibleDataFormat"] = "simpleMarkdownV1"
        if non_visible := options.get("user_non_visible_data"):
            body["userNonVisibleData"] = _b64(non_visible)
        if return_url := options.get("return_url"):
            body["returnUrl"] = return_url
        if options.get("return_risk"):
            body["returnRisk"] = True
        if web := options.get("web"):
            body["web"] = web
        data = self._post(path, body)
        try:
            return Order(
                order_ref=str(data["orderRef"]),
                auto_start_token=str(data["autoStartToken"]),
                qr_start_token=str(data["qrStartToken"]),
                qr_start_secret=str(data["qrStartSecret"]),
            )
        except KeyError as err:
            raise BankIDUnavailable(f"/{path} answer lacks {err}") from err

    def auth(
        self, *, end_user_ip: str, user_visible_data: str | None = None, **options: Unpack[StartOptions]
    ) -> Order:
        """Start an identification order."""
        return self._start("auth", end_user_ip=end_user_ip, user_visible_data=user_visible_data, **options)

    def sign(self, *, end_user_ip: str, user_visible_data: str, **options: Unpack[StartOptions]) -> Order:
        """Start a signing order; `user_visible_data` is what the person signs."""
        if not user_visible_data:
            raise ValueError("a sign order needs the text the user signs")
        return self._start("sign", end_user_ip=end_user_ip, user_visible_data=user_visible_data, **options)

    def collect(self, order_ref: str) -> Collect:
        """The order's state. Call every two seconds while pending, never more than once a second."""
        data = self._post("collect", {"orderRef": order_ref})
        status = data.get("status")
        if status not in (PENDING, FAILED, COMPLETE):
            raise BankIDUnavailable(f"/collect answered an unknown status {status!r}")
        completion = data.get("completionData")
        return Collect(
            order_ref=str(data.get("orderRef", order_ref)),
            status=status,
            hint_code=str(data.get("hintCode") or ""),
            completion_data=completion if isinstance(completion, dict) else {},
        )

    def cancel(self, order_ref: str) -> None:
        self._post("cancel", {"orderRef": order_ref})
