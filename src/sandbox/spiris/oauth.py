"""Spiris / Visma Connect (``https://identity.vismaonline.com``) simulated under ``/spiris/identity``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from sandbox.core.consent import Brand, ConsentFlow, redirect_error
from sandbox.core.http import JSONResponse, basic_auth, sandbox
from sandbox.core.oauth import AuthRequest, Grant, OAuthError
from sandbox.demo import COMPANIES, USERS

SCOPES = {
    "ea:api": "Åtkomst till Bokföring & Fakturering API",
    "offline_access": "Åtkomst när du inte är inloggad (refresh token)",
    "ea:accounting": "Bokföring (läsa och skriva)",
    "ea:accounting_readonly": "Bokföring (läsa)",
    "ea:purchase": "Inköp och leverantörsfakturor (läsa och skriva)",
    "ea:purchase_readonly": "Inköp och leverantörsfakturor (läsa)",
    "ea:sales": "Försäljning och kundfakturor (läsa och skriva)",
    "ea:sales_readonly": "Försäljning och kundfakturor (läsa)",
    "vls:api": "Lön",
    "openid": "Din identitet",
    "profile": "Din profil",
    "email": "Din e-postadress",
}

BRAND = Brand(
    title="Spiris",
    product="Spiris Bokföring & Fakturering",
    color="#1d3f8f",
    bg="#eef1f8",
    login_heading="Logga in på Spiris",
    login_button="Logga in",
    picker_heading="Välj företag",
    picker_help="Välj vilket företag kopplingen ska gälla.",
    consent_heading="Godkänn behörigheter",
    approve_button="Godkänn",
    demo_password="spiris-demo",
)


def _always_pick(req: AuthRequest) -> bool:
    return "forceselectcompany:true" in req.params.get("acr_values", "").replace(" ", "+").lower()


flow = ConsentFlow(
    "spiris", BRAND, scope_texts=SCOPES, base_path="/identity/connect/authorize", always_pick=_always_pick
)


async def authorize(request: Request) -> Response:
    st = sandbox(request)
    st.providers["spiris"].counts["authorize"] += 1
    store = st.oauth("spiris")
    q = request.query_params
    client = store.client(q.get("client_id"))
    if client is None:
        return flow.error_page(
            request, "Sorry, there was an error : unauthorized_client", error="unauthorized_client"
        )
    redirect_uri = q.get("redirect_uri") or ""
    if not redirect_uri or not client.redirect_allowed(redirect_uri):
        return flow.error_page(
            request, "Sorry, there was an error : invalid_request (redirect_uri)", error="invalid_request"
        )
    state = q.get("state")
    if q.get("response_type") != "code":
        return redirect_error(
            redirect_uri, "unsupported_response_type", "Only response_type=code is supported", state
        )
    scopes = (q.get("scope") or "").split()
    allowed = client.scopes if client.scopes is not None else set(SCOPES)
    bad = [s for s in scopes if s not in allowed]
    if not scopes or bad:
        return redirect_error(
            redirect_uri, "invalid_scope", f"Invalid scope: {' '.join(bad) or '(none)'}", state
        )
    if "ea:api" not in scopes:
        return redirect_error(redirect_uri, "invalid_scope", "The ea:api scope is required", state)
    method = q.get("code_challenge_method")
    if q.get("code_challenge") and (method or "plain") not in ("S256", "plain"):
        return redirect_error(redirect_uri, "invalid_request", "Transform algorithm not supported", state)
    req = store.new_request(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        redirect_uri_sent=True,
        scopes=scopes,
        state=state,
        code_challenge=q.get("code_challenge"),
        code_challenge_method=method,
        params={k: v for k, v in q.items() if k in ("prompt", "acr_values", "ui_locales")},
        created=st.clock.time(),
    )
    return flow.login_page(request, req)


def _mint(request: Request, grant: Grant) -> Response:
    st = sandbox(request)
    store = st.oauth("spiris")
    company = COMPANIES[grant.company_key]
    with_refresh = "offline_access" in grant.scopes
    access, refresh = store.mint(
        grant,
        st.clock.time(),
        with_refresh=with_refresh,
        claims={"client_id": grant.client_id, "company_id": company.database_number, "idp": "Visma Connect"},
    )
    body: dict[str, object] = {
        "access_token": access,
        "expires_in": store.access_ttl,
        "token_type": "Bearer",
        "scope": " ".join(grant.scopes),
    }
    if refresh:
        body["refresh_token"] = refresh
    if "openid" in grant.scopes:
        body["id_token"] = _id_token(store, grant, st.clock.time())
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _id_token(store: object, grant: Grant, now: float) -> str:
    """An OpenID Connect ID token: who logged in (name and e-mail with those scopes)."""
    user = USERS.get(("spiris", grant.user_email or ""))
    claims: dict[str, object] = {"aud": grant.client_id, "auth_time": int(now)}
    if user and "profile" in grant.scopes:
        claims["name"] = user.name
    if user and "email" in grant.scopes:
        claims["email"] = user.email
    return store._jwt(grant, now, claims)  # type: ignore[attr-defined]


async def token(request: Request) -> Response:
    st = sandbox(request)
    counts = st.providers["spiris"].counts
    counts["token"] += 1
    failure = st.providers["spiris"].token_failure()
    if failure:
        return JSONResponse(
            {"error": "server_error", "error_description": "Temporarily unavailable"}, status_code=failure
        )
    store = st.oauth("spiris")
    now = st.clock.time()
    try:
        if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
            raise OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        form = await request.form()
        client_id, secret = basic_auth(request)
        if client_id is None:
            client_id, secret = _s(form.get("client_id")), _s(form.get("client_secret"))
        try:
            client = store.authenticate_client(client_id, secret)
        except OAuthError as err:
            raise OAuthError("invalid_client", "", 400) from err  # IdentityServer answers 400
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = store.exchange_code(
                client, _s(form.get("code")), _s(form.get("redirect_uri")), _s(form.get("code_verifier")), now
            )
            return _mint(request, grant)
        if grant_type == "refresh_token":
            grant = store.use_refresh(client, _s(form.get("refresh_token")), now, kill_grant_on_reuse=False)
            counts["refresh"] += 1
            return _mint(request, grant)
        raise OAuthError("unsupported_grant_type", "")
    except OAuthError as err:
        counts[f"token_error_{err.error}"] += 1
        body = {"error": err.error}
        if err.description:
            body["error_description"] = err.description
        return JSONResponse(body, status_code=400)


def _s(value: object) -> str | None:
    return value if isinstance(value, str) else None
