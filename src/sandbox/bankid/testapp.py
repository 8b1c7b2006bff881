"""The "test app": what a person's BankID app does, as web pages.

`/bankid/app` lists the pending orders (pick one, as if it had been scanned) and reads a QR
code's text (checked like the real app checks it: token, qrAuthCode, age).
`/bankid/app?autostarttoken=…` is what the operating system opens for a `bankid:///` link.
An opened order walks outstandingTransaction → started → (pick a test person) userSign →
Identifiera: complete / Avbryt: userCancel; "Simulera" forces any other hintCode.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sandbox.bankid.orders import Order, book
from sandbox.bankid.persons import PERSONS, person_by_number
from sandbox.core.consent import Brand, templates
from sandbox.core.http import sandbox

BRAND = Brand(
    title="BankID test-app",
    product="BankID",
    color="#193e4f",
    bg="#eef2f4",
    login_heading="",
    login_button="",
    picker_heading="",
    picker_help="",
    consent_heading="",
    approve_button="Identifiera",
    demo_password="",
)

# hintCodes the "Simulera" menu can force: (status, hintCode, label).
SIMULATIONS = (
    ("pending", "noClient", "noClient (appen har inte fått beställningen)"),
    ("pending", "userMrtd", "userMrtd (läs av ID-handling)"),
    ("pending", "userCallConfirm", "userCallConfirm"),
    ("failed", "expiredTransaction", "expiredTransaction (tiden gick ut)"),
    ("failed", "certificateErr", "certificateErr (spärrat/för gammalt BankID)"),
    ("failed", "startFailed", "startFailed (appen startade inte)"),
    ("failed", "userDeclinedCall", "userDeclinedCall"),
    ("failed", "notSupportedByUserApp", "notSupportedByUserApp"),
    ("failed", "transactionRiskBlocked", "transactionRiskBlocked"),
    ("failed", "userMismatch", "userMismatch"),
    ("failed", "someFutureCode", "en okänd kod (someFutureCode)"),
)


def _render(request: Request, name: str, context: dict[str, object], status: int = 200) -> Response:
    return templates.TemplateResponse(request, name, {"brand": BRAND, **context}, status_code=status)


def _order_view(order: Order, now: float) -> dict[str, object]:
    return {
        "ref": order.order_ref,
        "kind": "Underskrift" if order.kind == "sign" else "Identifiering",
        "created": datetime.fromtimestamp(order.created, UTC).strftime("%H:%M:%S UTC"),
        "age": int(now - order.created),
        "ip": order.end_user_ip,
        "text": order.user_visible_data,
        "status": order.status,
        "hint": order.hint_code,
        "person": order.person.name if order.person else "",
        "required": order.required_number,
    }


async def index(request: Request) -> Response:
    state = sandbox(request)
    now = state.clock.time()
    orders = book(state)
    token = request.query_params.get("autostarttoken")
    if token:
        order = next((o for o in orders.live(now) if o.auto_start_token == token), None)
        if order is None:
            return _render(
                request,
                "bankid_app.html",
                _index_context(state, "Startlänken hör inte till någon pågående beställning."),
                404,
            )
        orders.open(order, now)
        return RedirectResponse(
            f"{request.scope.get('root_path', '')}/app/orders/{order.order_ref}", status_code=303
        )
    return _render(request, "bankid_app.html", _index_context(state, ""))


def _index_context(state, message: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    now = state.clock.time()
    pending = [o for o in book(state).live(now) if o.status == "pending"]
    return {"orders": [_order_view(o, now) for o in pending], "message": message}


async def scan(request: Request) -> Response:
    state = sandbox(request)
    now = state.clock.time()
    form = await request.form()
    order, problem = book(state).find_by_qr(str(form.get("qr", "")), now)
    if order is None:
        return _render(request, "bankid_app.html", _index_context(state, problem), 400)
    book(state).open(order, now)
    return RedirectResponse(
        f"{request.scope.get('root_path', '')}/app/orders/{order.order_ref}", status_code=303
    )


async def order_page(request: Request) -> Response:
    state = sandbox(request)
    now = state.clock.time()
    orders = book(state)
    order = orders.get(request.path_params["ref"], now)
    if order is None:
        return _render(
            request, "bankid_app.html", _index_context(state, "Beställningen finns inte längre."), 404
        )
    if request.method == "GET":
        # Picking an order from the list is "scanning" it.
        orders.open(order, now)
    else:
        form = await request.form()
        action = str(form.get("action", ""))
        if action == "choose":
            person = person_by_number(str(form.get("person", "")))
            if person is not None:
                orders.choose(order, person, now)
        elif action == "approve":
            orders.approve(order, now)
        elif action == "cancel":
            if order.status == "pending":
                orders.fail(order, "userCancel", now)
        elif action == "simulate":
            status, _, hint = str(form.get("hint", "")).partition(":")
            if status in ("pending", "failed") and hint:
                force(order, status, hint, now)
        return RedirectResponse(str(request.url), status_code=303)
    return _render(
        request,
        "bankid_order.html",
        {
            "order": _order_view(order, now),
            "persons": PERSONS,
            "simulations": SIMULATIONS,
            "return_url": order.return_url if order.status == "complete" else "",
        },
    )


def force(order: Order, status: str, hint: str, now: float) -> None:
    order.status, order.hint_code, order.forced = status, hint, True
    order.finished_at = now if status == "failed" else None
