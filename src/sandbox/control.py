"""``/_control/*``: knobs for tests and benchmarks (see README.md). Not part of any real provider."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.core.http import JSONResponse, sandbox
from sandbox.core.oauth import Client
from sandbox.core.state import RateLimit
from sandbox.demo import COMPANIES, USERS, company_by_ref
from sandbox.skatteverket import control as skatteverket_control

OAUTH_PROVIDERS = ("fortnox", "spiris")


class ControlError(Exception):
    pass


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ControlError(f"invalid JSON: {err}") from None
    if not isinstance(data, dict):
        raise ControlError("expected a JSON object")
    return data


def _provider(data: dict[str, Any], *, required: bool = True, oauth: bool = False) -> str | None:
    name = data.get("provider")
    if name is None and not required:
        return None
    choices = OAUTH_PROVIDERS if oauth else ("fortnox", "spiris", "skatteverket", "altinn", "bankid")
    if name not in choices:
        raise ControlError(f"provider must be one of {', '.join(choices)}")
    return name


def _company_key(data: dict[str, Any], provider: str | None = None) -> str:
    ref = str(data.get("company", ""))
    company = company_by_ref(ref)
    if company is None or (provider and company.provider != provider):
        raise ControlError(f"unknown company {ref!r}")
    return company.key


def control(handler):  # type: ignore[no-untyped-def]
    async def run(request: Request) -> Response:
        try:
            result = await handler(request, await _body(request) if request.method == "POST" else {})
        except ControlError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        return JSONResponse(result)

    run.__name__ = handler.__name__
    return run


@control
async def reset(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    st = sandbox(request)
    seed = data.get("seed")
    st.reset(int(seed) if seed is not None else None)
    return {"ok": True, "seed": st.seed}


@control
async def stats(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    return {"providers": sandbox(request).stats()}


@control
async def stats_reset(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    for rt in sandbox(request).providers.values():
        rt.counts.clear()
    return {"ok": True}


def _grants(request: Request, data: dict[str, Any], provider: str):  # type: ignore[no-untyped-def]
    store = sandbox(request).oauth(provider)
    token = data.get("access_token") or data.get("refresh_token") or data.get("token")
    if token:
        grants = store.find_grants(token=str(token))
    elif data.get("company"):
        grants = store.find_grants(company=_company_key(data, provider))
    elif data.get("all"):
        grants = store.find_grants()
    else:
        raise ControlError("give access_token, refresh_token, token, company or all=true")
    if not grants:
        raise ControlError("no matching grant")
    return store, grants


@control
async def expire(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    provider = _provider(data, oauth=True)
    assert provider
    store, grants = _grants(request, data, provider)
    n = store.expire_access_tokens(grants, sandbox(request).clock.time())
    return {"ok": True, "grants": len(grants), "expired_access_tokens": n}


@control
async def revoke(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    provider = _provider(data, oauth=True)
    assert provider
    store, grants = _grants(request, data, provider)
    for g in grants:
        store.revoke(g, str(data.get("reason", "revoked by the customer")))
    return {"ok": True, "revoked": [g.id for g in grants]}


@control
async def fail(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    provider = _provider(data, required=False)
    count = int(data.get("count", 1))
    status = int(data.get("status", 500))
    target = data.get("target", "api")
    if target not in ("api", "token"):
        raise ControlError("target must be api or token")
    st = sandbox(request)
    for name, rt in st.providers.items():
        if provider in (None, name):
            if target == "api":
                rt.fail_next = count
                rt.fail_status = status
            else:
                rt.fail_token_next = count
                rt.fail_token_status = status
    return {"ok": True, "count": count, "status": status, "target": target}


@control
async def latency(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    provider = _provider(data, required=False)
    seconds = float(data.get("seconds", 0))
    for name, rt in sandbox(request).providers.items():
        if provider in (None, name):
            rt.latency = seconds
    return {"ok": True, "seconds": seconds}


@control
async def ratelimit(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    provider = _provider(data)
    if provider not in (*OAUTH_PROVIDERS, "skatteverket", "altinn"):
        raise ControlError(f"{provider} has no rate limit")
    assert provider
    rt = sandbox(request).providers[provider]
    if data.get("default"):
        rt.rate_limit = rt.default_rate_limit
    elif data.get("enabled") is False:
        rt.rate_limit = None
    else:
        current = rt.rate_limit or rt.default_rate_limit
        assert current is not None
        rt.rate_limit = RateLimit(
            int(data.get("limit", current.limit)), float(data.get("window", current.window))
        )
    rt.windows.clear()
    limit = rt.rate_limit
    return {"ok": True, "limit": limit.limit if limit else None, "window": limit.window if limit else None}


@control
async def clock(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    c = sandbox(request).clock
    if data.get("reset"):
        c.offset = 0.0
    if "advance" in data:
        c.advance(float(data["advance"]))
    return {"now": c.now().isoformat(), "offset": c.offset}


@control
async def seed_company(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    key = _company_key(data)
    vouchers = int(data.get("vouchers", COMPANIES[key].vouchers))
    files = int(data.get("files", COMPANIES[key].files))
    st = sandbox(request)
    st.set_scale(key, vouchers, files)
    ledger = st.ledger(key) if data.get("eager", True) else None
    return {
        "ok": True,
        "company": key,
        "vouchers": len(ledger.vouchers) if ledger else vouchers,
        "files": sum(1 for f in ledger.files.values() if f.link_kind != "inbox") if ledger else files,
    }


@control
async def activity(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    key = _company_key(data)
    st = sandbox(request)
    new = st.ledger(key).add_activity(int(data.get("count", 1)), st.clock.now())
    return {
        "ok": True,
        "vouchers": [
            {"series": v.series, "number": v.number, "year": v.year, "id": v.uid, "date": v.date.isoformat()}
            for v in new
        ],
    }


@control
async def clients(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    provider = _provider(data, oauth=True)
    assert provider
    client_id = str(data.get("client_id") or "")
    secret = str(data.get("client_secret") or "")
    if not client_id or not secret:
        raise ControlError("client_id and client_secret are required")
    scopes = data.get("scopes")
    client = Client(
        client_id,
        secret,
        redirect_uris=list(data.get("redirect_uris") or []),
        scopes=set(scopes) if scopes is not None else None,
        allow_service_account=bool(data.get("allow_service_account", True)),
        name=str(data.get("name", "Ledgerport")),
    )
    sandbox(request).oauth(provider).clients[client_id] = client
    return {"ok": True, "client_id": client_id}


@control
async def authorize(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """Skip the HTML pages: issue an authorization code for (user, company) as if they had approved."""
    provider = _provider(data, oauth=True)
    assert provider
    st = sandbox(request)
    store = st.oauth(provider)
    client = store.client(data.get("client_id", "ledgerport-dev"))
    if client is None:
        raise ControlError("unknown client_id")
    email = str(data.get("email", "")).lower()
    user = USERS.get((provider, email))
    if user is None:
        raise ControlError("unknown user")
    key = _company_key(data, provider) if data.get("company") else next(iter(user.memberships))
    if key not in user.memberships:
        raise ControlError("the user has no access to that company")
    redirect_uri = str(data.get("redirect_uri") or "http://127.0.0.1/callback")
    scope = data.get("scope") or (
        "bookkeeping archive connectfile supplierinvoice invoice companyinformation settings inbox"
        if provider == "fortnox"
        else "ea:api offline_access ea:accounting ea:purchase ea:sales"
    )
    req = store.new_request(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        redirect_uri_sent=True,
        scopes=str(scope).split(),
        state=data.get("state"),
        code_challenge=data.get("code_challenge"),
        code_challenge_method=data.get("code_challenge_method"),
        params={"account_type": str(data.get("account_type", ""))},
        created=st.clock.time(),
    )
    req.user_email = user.email
    req.company_key = key
    code = store.issue_code(req, st.clock.time())
    return {"code": code, "redirect_uri": redirect_uri, "company": key}


@control
async def grants(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    provider = request.query_params.get("provider")
    out = {}
    for name in OAUTH_PROVIDERS:
        if provider in (None, name):
            out[name] = [g.summary() for g in sandbox(request).oauth(name).grants.values()]
    return {"grants": out}


@control
async def state(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    st = sandbox(request)
    return {
        "seed": st.seed,
        "now": st.clock.now().isoformat(),
        "clock_offset": st.clock.offset,
        "scale": {k: list(v) for k, v in st.scale.items()},
        "providers": {
            name: {
                "latency": rt.latency,
                "fail_next": rt.fail_next,
                "fail_status": rt.fail_status,
                "rate_limit": {"limit": rt.rate_limit.limit, "window": rt.rate_limit.window}
                if rt.rate_limit
                else None,
            }
            for name, rt in st.providers.items()
        },
    }


def routes() -> list[Route]:
    return [
        Route("/reset", reset, methods=["POST"]),
        Route("/stats", stats, methods=["GET"]),
        Route("/stats/reset", stats_reset, methods=["POST"]),
        Route("/expire", expire, methods=["POST"]),
        Route("/revoke", revoke, methods=["POST"]),
        Route("/fail", fail, methods=["POST"]),
        Route("/latency", latency, methods=["POST"]),
        Route("/ratelimit", ratelimit, methods=["POST"]),
        Route("/clock", clock, methods=["GET", "POST"]),
        Route("/seed", seed_company, methods=["POST"]),
        Route("/activity", activity, methods=["POST"]),
        Route("/clients", clients, methods=["POST"]),
        Route("/authorize", authorize, methods=["POST"]),
        Route("/grants", grants, methods=["GET"]),
        Route("/state", state, methods=["GET"]),
        *skatteverket_control.routes(control, ControlError),
    ]
