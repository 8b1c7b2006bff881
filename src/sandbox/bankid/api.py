"""The RP API v6.0 endpoints: POST JSON `/rp/v6.0/auth|sign|collect|cancel`.

Errors are BankID's: HTTP 4xx/5xx with `{"errorCode", "details"}`. The real service also
requires mutual TLS with the RP certificate; the sandbox is plain HTTP and trusts anyone.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sandbox.bankid.orders import book
from sandbox.core.http import JSONResponse, counted, sandbox

STATUS_ERRORS = {500: "internalError", 503: "maintenance", 408: "requestTimeout", 401: "unauthorized"}
MAX_VISIBLE = 40_000  # base64 characters of userVisibleData
MAX_NON_VISIBLE = 200_000
MAX_RETURN_URL = 512


class ApiError(Exception):
    def __init__(self, status: int, code: str, details: str) -> None:
        super().__init__(details)
        self.status, self.code, self.details = status, code, details


def error(status: int, code: str, details: str) -> Response:
    return JSONResponse({"errorCode": code, "details": details}, status_code=status)


def invalid(details: str) -> ApiError:
    return ApiError(400, "invalidParameters", details)


async def _json(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "unsupportedMediaType", "Content-Type must be application/json")
    try:
        data = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise invalid("Invalid JSON") from None
    if not isinstance(data, dict):
        raise invalid("Invalid JSON")
    return data


def _decoded(data: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str:
    raw = data.get(name)
    if raw is None or raw == "":
        if required:
            raise invalid(f"Missing {name}")
        return ""
    if not isinstance(raw, str) or len(raw) > limit:
        raise invalid(f"Incorrect {name}")
    try:
        return base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise invalid(f"Incorrect {name}") from None


def _requirement(data: dict[str, Any]) -> dict[str, Any]:
    requirement = data.get("requirement") or {}
    if not isinstance(requirement, dict):
        raise invalid("Incorrect requirement")
    number = requirement.get("personalNumber")
    if number is not None and not (isinstance(number, str) and re.fullmatch(r"\d{12}", number)):
        raise invalid("Incorrect personalNumber")
    return requirement


async def _start(request: Request, kind: str) -> Response:
    state = sandbox(request)
    data = await _json(request)
    ip = data.get("endUserIp")
    try:
        ipaddress.ip_address(str(ip))
    except ValueError:
        raise invalid("Incorrect endUserIp") from None
    requirement = _requirement(data)
    visible = _decoded(data, "userVisibleData", MAX_VISIBLE, required=kind == "sign")
    _decoded(data, "userNonVisibleData", MAX_NON_VISIBLE)
    fmt = data.get("userVisibleDataFormat")
    if fmt is not None and fmt != "simpleMarkdownV1":
        raise invalid("Incorrect userVisibleDataFormat")
    return_url = data.get("returnUrl") or ""
    if not isinstance(return_url, str) or len(return_url) > MAX_RETURN_URL:
        raise invalid("Incorrect returnUrl")
    return_risk = data.get("returnRisk", False)
    if not isinstance(return_risk, bool):
        raise invalid("Incorrect returnRisk")
    now = state.clock.time()
    orders = book(state)
    number = str(requirement.get("personalNumber") or "")
    if number and orders.in_progress_for(number, now):
        raise ApiError(400, "alreadyInProgress", "Order already in progress for pno")
    order = orders.create(
        kind=kind,
        now=now,
        end_user_ip=str(ip),
        requirement=requirement,
        user_visible_data=visible,
        return_url=return_url,
        return_risk=return_risk,
    )
    return JSONResponse(
        {
            "orderRef": order.order_ref,
            "autoStartToken": order.auto_start_token,
            "qrStartToken": order.qr_start_token,
            "qrStartSecret": order.qr_start_secret,
        }
    )


async def _collect(request: Request) -> Response:
    state = sandbox(request)
    data = await _json(request)
    order = book(state).get(str(data.get("orderRef", "")), state.clock.time())
    if order is None:
        raise invalid("No such order")
    return JSONResponse(order.payload())


async def _cancel(request: Request) -> Response:
    state = sandbox(request)
    data = await _json(request)
    orders = book(state)
    ref = str(data.get("orderRef", ""))
    if orders.get(ref, state.clock.time()) is None:
        raise invalid("No such order")
    del orders.orders[ref]
    return JSONResponse({})


HANDLERS = {
    "auth": lambda r: _start(r, "auth"),
    "sign": lambda r: _start(r, "sign"),
    "collect": _collect,
    "cancel": _cancel,
}


async def endpoint(request: Request) -> Response:
    name = request.path_params["name"]

    async def run() -> Response:
        if request.method != "POST":
            return error(405, "methodNotAllowed", "Only POST is allowed")
        handler = HANDLERS.get(name)
        if handler is None:
            return error(404, "notFound", "No such endpoint")
        failure = await sandbox(request).providers["bankid"].pre_request()
        if failure is not None:
            return error(failure, STATUS_ERRORS.get(failure, "internalError"), "Simulated failure")
        try:
            return await handler(request)
        except ApiError as err:
            return error(err.status, err.code, err.details)

    return await counted(request, "bankid", name, run())
