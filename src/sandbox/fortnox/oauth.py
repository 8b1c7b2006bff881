"""Fortnox OAuth2 (``https://apps.fortnox.se/oauth-v1``) simulated under ``/fortnox/oauth-v1``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from sandbox.core.consent import Brand, ConsentFlow, redirect_error
from sandbox.core.http import JSONResponse, basic_auth, sandbox
from sandbox.core.oauth import AuthRequest, Grant, OAuthError
from sandbox.demo import COMPANIES, Company, User

SCOPES = {
    "bookkeeping": "Bokföring (räkenskapsår, konton, verifikationer, SIE)",
    "archive": "Arkiv (filer)",
    "inbox": "Inkorg (filer)",
    "connectfile": "Koppla filer (verifikationer, leverantörsfakturor)",
    "supplierinvoice": "Leverantörsfakturor",
    "supplier": "Leverantörsregister",
    "invoice": "Kundfakturor",
    "customer": "Kundregister",
    "companyinformation": "Företagsinformation",
    "settings": "Inställningar",
    "costcenter": "Kostnadsställen",
    "project": "Projekt",
    "article": "Artiklar",
    "order": "Order",
    "offer": "Offerter",
    "payment": "Betalningar",
    "currency": "Valutor",
    "profile": "Användarprofil",
    "print": "Utskrifter",
    "salary": "Lön",
    "time": "Tidredovisning",
    "assets": "Inventarier",
}

BRAND = Brand(
    title="Fortnox",
    product="Fortnox",
    color="#0b6b3a",
    bg="#eef5f0",
    login_heading="Logga in i Fortnox",
    login_button="Logga in",
    picker_heading="Välj företag",
    picker_help="Välj vilket företag integrationen ska aktiveras för.",
    consent_heading="Aktivering",
    approve_button="Godkänn & aktivera",
    demo_password="fortnox-demo",
)


def _company_problem(user: User, company: Company, req: AuthRequest) -> str | None:
    if req.params.get("account_type", "").lower() == "service" and not user.memberships[company.key].admin:
        return "Endast systemadministratörer kan godkänna ett tjänstekonto för integrationen."
    return None


flow = ConsentFlow(
    "fortnox", BRAND, scope_texts=SCOPES, base_path="/oauth-v1/auth", company_problem=_company_problem
)


async def authorize(request: Request) -> Response:
    st = sandbox(request)
    st.providers["fortnox"].counts["authorize"] += 1
    store = st.oauth("fortnox")
    q = request.query_params
    client = store.client(q.get("client_id"))
    if client is None:
        return flow.error_page(request, "Auth code or ClientID supplied is invalid", error="invalid_client")
    sent = q.get("redirect_uri")
    if sent:
        if not client.redirect_allowed(sent):
            return flow.error_page(
                request,
                "redirect_uri matchar inte den som är registrerad för appen.",
                error="invalid_request",
            )
        redirect_uri = sent
    elif client.redirect_uris:
        redirect_uri = client.redirect_uris[0]
    else:
        return flow.error_page(request, "redirect_uri saknas.", error="invalid_request")
    state = q.get("state")
    if q.get("response_type") != "code":
        return redirect_error(redirect_uri, "unsupported_response_type", "response_type must be code", state)
    scopes = (q.get("scope") or "").split()
    if not scopes:
        return redirect_error(redirect_uri, "invalid_scope", "scope is required", state)
    allowed = client.scopes if client.scopes is not None else set(SCOPES)
    bad = [s for s in scopes if s not in allowed]
    if bad:
        return redirect_error(redirect_uri, "invalid_scope", f"Scope not allowed: {' '.join(bad)}", state)
    if not state:
        return redirect_error(redirect_uri, "invalid_request", "state is required", None)
    method = q.get("code_challenge_method")
    if q.get("code_challenge") and (method or "plain") not in ("S256", "plain"):
        return redirect_error(redirect_uri, "invalid_request", "unsupported code_challenge_method", state)
    if q.get("account_type", "").lower() == "service" and not client.allow_service_account:
        return flow.error_page(request, "Client does not allow service account", error="invalid_request")
    req = store.new_request(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        redirect_uri_sent=bool(sent),
        scopes=scopes,
        state=state,
        code_challenge=q.get("code_challenge"),
        code_challenge_method=method,
        params={k: v for k, v in q.items() if k in ("access_type", "account_type")},
        created=st.clock.time(),
    )
    return flow.login_page(request, req)


def _token_error(err: OAuthError) -> Response:
    headers = {"WWW-Authenticate": 'Basic realm="fortnox"'} if err.status == 401 else None
    return JSONResponse(
        {"error": err.error, "error_description": err.description}, status_code=err.status, headers=headers
    )


def _mint(request: Request, grant: Grant, *, with_refresh: bool) -> Response:
    st = sandbox(request)
    company = COMPANIES[grant.company_key]
    access, refresh = st.oauth("fortnox").mint(
        grant,
        st.clock.time(),
        with_refresh=with_refresh,
        claims={"tenantId": company.database_number, "clientid": grant.client_id, "authsource": "OAUTH2"},
    )
    body: dict[str, object] = {
        "access_token": access,
        "scope": " ".join(grant.scopes),
        "expires_in": st.oauth("fortnox").access_ttl,
        "token_type": "bearer",
    }
    if refresh:
        body["refresh_token"] = refresh
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def token(request: Request) -> Response:
    st = sandbox(request)
    counts = st.providers["fortnox"].counts
    counts["token"] += 1
    failure = st.providers["fortnox"].token_failure()
    if failure:
        return JSONResponse(
            {"error": "server_error", "error_description": "Temporarily unavailable"}, status_code=failure
        )
    store = st.oauth("fortnox")
    now = st.clock.time()
    try:
        client_id, secret = basic_auth(request)
        if client_id is None:
            raise OAuthError("invalid_client", "Client authentication (HTTP Basic) is required.", 401)
        client = store.authenticate_client(client_id, secret)
        form = await request.form()
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = store.exchange_code(
                client,
                _s(form.get("code")),
                _s(form.get("redirect_uri")),
                _s(form.get("code_verifier")),
                now,
            )
            if grant.service and not client.allow_service_account:
                raise OAuthError("unauthorized_client", "Client does not allow service account")
            return _mint(request, grant, with_refresh=True)
        if grant_type == "refresh_token":
            grant = store.use_refresh(client, _s(form.get("refresh_token")), now, kill_grant_on_reuse=True)
            counts["refresh"] += 1
            return _mint(request, grant, with_refresh=True)
        if grant_type == "client_credentials":
            tenant = request.headers.get("tenantid", "")
            grant = next(
                (
                    g
                    for g in store.grants.values()
                    if g.service
                    and not g.revoked
                    and g.client_id == client.client_id
                    and str(COMPANIES[g.company_key].database_number) == tenant
                ),
                None,
            )
            if grant is None:
                raise OAuthError("invalid_grant", "No service account consent for this client and TenantId.")
            return _mint(request, grant, with_refresh=False)
        raise OAuthError("unsupported_grant_type", f"Unsupported grant_type: {grant_type}")
    except OAuthError as err:
        counts[f"token_error_{err.error}"] += 1
        return _token_error(err)


async def revoke(request: Request) -> Response:
    st = sandbox(request)
    store = st.oauth("fortnox")
    try:
        client = store.authenticate_client(*basic_auth(request))
    except OAuthError as err:
        return _token_error(err)
    form = await request.form()
    grants = [g for g in store.find_grants(token=_s(form.get("token"))) if g.client_id == client.client_id]
    for g in grants:
        store.revoke(g, "revoked by client")
    return JSONResponse({"revoked": bool(grants)})


def _s(value: object) -> str | None:
    return value if isinstance(value, str) else None
