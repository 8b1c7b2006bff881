"""The user-visible part of an authorization-code flow: login page, company picker, consent page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from sandbox.core.oauth import AuthRequest
from sandbox.core.state import SandboxState
from sandbox.demo import COMPANIES, USERS, Company, User, users_for

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))

REQUEST_TTL = 3600


@dataclass(frozen=True)
class Brand:
    title: str
    product: str
    color: str
    bg: str
    login_heading: str
    login_button: str
    picker_heading: str
    picker_help: str
    consent_heading: str
    approve_button: str
    demo_password: str


def with_params(uri: str, params: dict[str, str | None]) -> str:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def redirect_error(redirect_uri: str, error: str, description: str, state: str | None) -> Response:
    """An OAuth error sent back to the client's redirect URI (RFC 6749 §4.1.2.1)."""
    return RedirectResponse(
        with_params(redirect_uri, {"error": error, "error_description": description, "state": state}),
        status_code=302,
    )


def mount_prefix(request: Request) -> str:
    return request.scope.get("root_path", "")


def public_base(request: Request) -> str:
    """Scheme, host and the provider mount, e.g. ``http://127.0.0.1:8001/fortnox``."""
    return f"{request.url.scheme}://{request.url.netloc}{mount_prefix(request)}"


class ConsentFlow:
    def __init__(
        self,
        provider: str,
        brand: Brand,
        *,
        scope_texts: dict[str, str],
        base_path: str,
        always_pick: Callable[[AuthRequest], bool] = lambda req: False,
        company_problem: Callable[[User, Company, AuthRequest], str | None] = lambda u, c, r: None,
    ) -> None:
        self.provider = provider
        self.brand = brand
        self.scope_texts = scope_texts
        self.base_path = base_path  # e.g. "/oauth-v1/auth" (below the provider mount)
        self.always_pick = always_pick
        self.company_problem = company_problem

    def _state(self, request: Request) -> SandboxState:
        return request.app.state.sandbox

    def _action(self, request: Request, step: str) -> str:
        return f"{mount_prefix(request)}{self.base_path}/{step}"

    def _client_name(self, request: Request, req: AuthRequest) -> str:
        client = self._state(request).oauth(self.provider).client(req.client_id)
        return client.name if client else req.client_id

    def error_page(
        self,
        request: Request,
        message: str,
        *,
        error: str = "invalid_request",
        status: int = 400,
        back_url: str | None = None,
        client_name: str | None = None,
    ) -> Response:
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "brand": self.brand,
                "message": message,
                "error": error,
                "back_url": back_url,
                "client_name": client_name,
                "heading": None,
            },
            status_code=status,
        )

    def login_page(
        self, request: Request, req: AuthRequest, *, error: str | None = None, email: str | None = None
    ):
        return templates.TemplateResponse(
            request,
            "login.html",
            {
                "brand": self.brand,
                "req": req.id,
                "action": self._action(request, "login"),
                "client_name": self._client_name(request, req),
                "error": error,
                "email": email,
                "demo_users": users_for(self.provider),
                "demo_password": self.brand.demo_password,
            },
            status_code=401 if error else 200,
        )

    def _picker(self, request: Request, req: AuthRequest, user: User) -> Response:
        companies = [COMPANIES[k] for k in user.memberships]
        return templates.TemplateResponse(
            request,
            "picker.html",
            {
                "brand": self.brand,
                "req": req.id,
                "action": self._action(request, "company"),
                "companies": companies,
                "email": user.email,
                "user_name": user.name,
            },
        )

    def _consent(self, request: Request, req: AuthRequest, user: User, company: Company) -> Response:
        problem = self.company_problem(user, company, req)
        if problem:
            back = with_params(
                req.redirect_uri, {"error": "access_denied", "error_description": problem, "state": req.state}
            )
            return self.error_page(
                request,
                problem,
                error="access_denied",
                status=403,
                back_url=back,
                client_name=self._client_name(request, req),
            )
        req.company_key = company.key
        scopes = [{"name": s, "text": self.scope_texts.get(s, s)} for s in req.scopes]
        return templates.TemplateResponse(
            request,
            "consent.html",
            {
                "brand": self.brand,
                "req": req.id,
                "action": self._action(request, "consent"),
                "client_name": self._client_name(request, req),
                "company": company,
                "scopes": scopes,
                "service": req.params.get("account_type", "").lower() == "service",
            },
        )

    async def _pending(self, request: Request) -> tuple[AuthRequest | None, dict[str, str], Response | None]:
        form = {k: str(v) for k, v in (await request.form()).items()}
        store = self._state(request).oauth(self.provider)
        req = store.requests.get(form.get("req", ""))
        now = self._state(request).clock.time()
        if req is None or now - req.created > REQUEST_TTL:
            return (
                None,
                form,
                self.error_page(request, "Inloggningssessionen har gått ut. Börja om från appen."),
            )
        return req, form, None

    async def login(self, request: Request) -> Response:
        req, form, problem = await self._pending(request)
        if problem:
            return problem
        assert req is not None
        email = form.get("email", "").strip().lower()
        user = USERS.get((self.provider, email))
        if user is None or user.password != form.get("password", ""):
            return self.login_page(request, req, error="Fel e-postadress eller lösenord.", email=email)
        req.user_email = user.email
        if len(user.memberships) > 1 or self.always_pick(req):
            return self._picker(request, req, user)
        return self._consent(request, req, user, COMPANIES[next(iter(user.memberships))])

    async def company(self, request: Request) -> Response:
        req, form, problem = await self._pending(request)
        if problem:
            return problem
        assert req is not None
        user = USERS.get((self.provider, req.user_email or ""))
        key = form.get("company", "")
        if user is None or key not in user.memberships:
            return self.error_page(request, "Du har inte behörighet till det valda företaget.", status=403)
        return self._consent(request, req, user, COMPANIES[key])

    async def consent(self, request: Request) -> Response:
        req, form, problem = await self._pending(request)
        if problem:
            return problem
        assert req is not None
        if not req.user_email or not req.company_key:
            return self.error_page(request, "Logga in och välj företag först.")
        if form.get("decision") != "approve":
            self._state(request).oauth(self.provider).requests.pop(req.id, None)
            return RedirectResponse(
                with_params(req.redirect_uri, {"error": "access_denied", "state": req.state}), status_code=302
            )
        state = self._state(request)
        code = state.oauth(self.provider).issue_code(req, state.clock.time())
        state.providers[self.provider].counts["codes_issued"] += 1
        return RedirectResponse(
            with_params(req.redirect_uri, {"code": code, "state": req.state}), status_code=302
        )
