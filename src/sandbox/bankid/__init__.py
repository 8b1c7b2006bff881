"""BankID RP API v6.0 simulator: the API (`/rp/v6.0/*`), the test app (`/app`) and its knobs."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.bankid import api, testapp
from sandbox.bankid.orders import book
from sandbox.bankid.persons import person_by_number
from sandbox.core.http import JSONResponse, sandbox


async def health(request: Request) -> Response:
    return JSONResponse({"provider": "bankid", "status": "ok", "implemented": True})


def routes() -> list[Route]:
    return [
        Route("/health", health),
        Route("/rp/v6.0/{name:path}", api.endpoint, methods=["GET", "POST", "PUT", "DELETE"]),
        Route("/app", testapp.index),
        Route("/app/scan", testapp.scan, methods=["POST"]),
        Route("/app/orders/{ref}", testapp.order_page, methods=["GET", "POST"]),
    ]


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        data = None
    return data if isinstance(data, dict) else {}


async def control_orders(request: Request) -> Response:
    """`GET /_control/bankid/orders`: every known order (the tests' view of the app)."""
    state = sandbox(request)
    now = state.clock.time()
    return JSONResponse(
        {
            "orders": [
                {
                    **o.payload(),
                    "kind": o.kind,
                    "endUserIp": o.end_user_ip,
                    "autoStartToken": o.auto_start_token,
                    "qrStartToken": o.qr_start_token,
                    "requirement": o.requirement,
                    "userVisibleData": o.user_visible_data,
                    "returnUrl": o.return_url,
                    "returnRisk": o.return_risk,
                }
                for o in book(state).live(now)
            ]
        }
    )


async def control_hint(request: Request) -> Response:
    """`POST /_control/bankid/hint {"orderRef"?, "status": "pending"|"failed", "hintCode"}`:
    force the state of one order (or of every pending one)."""
    state = sandbox(request)
    data = await _body(request)
    status, hint = data.get("status"), data.get("hintCode")
    if status not in ("pending", "failed") or not isinstance(hint, str) or not hint:
        return JSONResponse({"error": "status must be pending or failed, hintCode a string"}, status_code=400)
    now = state.clock.time()
    ref = data.get("orderRef")
    targets = [o for o in book(state).live(now) if (o.order_ref == ref if ref else o.status == "pending")]
    for order in targets:
        testapp.force(order, status, hint, now)
    return JSONResponse({"orders": [o.order_ref for o in targets]})


async def control_act(request: Request) -> Response:
    """`POST /_control/bankid/act {"orderRef"?, "action": "open"|"choose"|"approve"|"cancel",
    "personalNumber"?}`: what the test app's buttons do (the newest pending order by default)."""
    state = sandbox(request)
    data = await _body(request)
    now = state.clock.time()
    orders = book(state)
    pending = [o for o in orders.live(now) if o.status == "pending"]
    ref = data.get("orderRef")
    order = (
        next((o for o in pending if o.order_ref == ref), None) if ref else (pending[-1] if pending else None)
    )
    if order is None:
        return JSONResponse({"error": "no such pending order"}, status_code=404)
    action = data.get("action")
    if action == "open":
        orders.open(order, now)
    elif action == "choose":
        person = person_by_number(str(data.get("personalNumber", "")))
        if person is None:
            return JSONResponse({"error": "unknown test person"}, status_code=400)
        orders.open(order, now)
        orders.choose(order, person, now)
    elif action == "approve":
        orders.approve(order, now)
    elif action == "cancel":
        orders.fail(order, "userCancel", now)
    else:
        return JSONResponse({"error": "action must be open, choose, approve or cancel"}, status_code=400)
    return JSONResponse(order.payload())


async def control_timeouts(request: Request) -> Response:
    """`POST /_control/bankid/timeouts {"start"?: s, "ttl"?: s}`: how long orders wait."""
    orders = book(sandbox(request))
    data = await _body(request)
    if "start" in data:
        orders.start_timeout = float(data["start"])
    if "ttl" in data:
        orders.ttl = float(data["ttl"])
    return JSONResponse({"start": orders.start_timeout, "ttl": orders.ttl})


def control_routes() -> list[Route]:
    return [
        Route("/orders", control_orders),
        Route("/hint", control_hint, methods=["POST"]),
        Route("/act", control_act, methods=["POST"]),
        Route("/timeouts", control_timeouts, methods=["POST"]),
    ]
