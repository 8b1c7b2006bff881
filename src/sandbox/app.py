"""The sandbox Starlette app: one port serves every simulated provider under its own prefix."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from sandbox import altinn, bankid, control, fortnox, skatteverket, spiris
from sandbox.altinn import idporten, mva
from sandbox.altinn.persons import PERSONS as ALTINN_PERSONS
from sandbox.bankid import persons as bankid_persons
from sandbox.core.clock import Clock
from sandbox.core.consent import Brand, templates
from sandbox.core.http import JSONResponse, sandbox
from sandbox.core.state import PROVIDERS, SandboxState
from sandbox.demo import COMPANIES, companies_for, company_by_ref, users_for
from sandbox.skatteverket.store import DEV_CLIENT_ID as SKV_CLIENT_ID
from sandbox.skatteverket.store import DEV_CLIENT_SECRET as SKV_CLIENT_SECRET
from sandbox.skatteverket.store import PERSONS as SKV_PERSONS

INDEX_BRAND = Brand(
    title="Ledgerport sandbox",
    product="",
    color="#333",
    bg="#f3f3f3",
    login_heading="",
    login_button="",
    picker_heading="",
    picker_help="",
    consent_heading="",
    approve_button="",
    demo_password="",
)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok", "providers": list(PROVIDERS)})


def _company_note(c) -> str:  # type: ignore[no-untyped-def]
    if not c.integration_licence:
        return "saknar integrationslicens / API-modul (403)"
    if "bokforing" not in c.modules:
        return "saknar modulen Bokföring (403 på bokföring)"
    return ""


def _user_note(u) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for key, m in u.memberships.items():
        label = company_by_ref(key).name  # type: ignore[union-attr]
        if not m.admin:
            label += " (begränsad behörighet)"
        parts.append(label)
    return ", ".join(parts)


async def index(request: Request) -> Response:
    host = f"{request.url.scheme}://{request.url.netloc}"
    providers = [
        {
            "title": "Fortnox",
            "urls": [
                ("FORTNOX_API_URL", f"{host}/fortnox"),
                ("FORTNOX_AUTH_URL", f"{host}/fortnox/oauth-v1"),
                ("client_id / secret", "ledgerport-dev / fortnox-dev-secret"),
            ],
            "companies": [
                {"name": c.name, "orgnr": c.orgnr, "note": _company_note(c)} for c in companies_for("fortnox")
            ],
            "users": [
                {"email": u.email, "password": u.password, "note": _user_note(u)}
                for u in users_for("fortnox")
            ],
        },
        {
            "title": "Spiris",
            "urls": [
                ("SPIRIS_API_URL", f"{host}/spiris"),
                ("SPIRIS_AUTH_URL", f"{host}/spiris/identity"),
                ("client_id / secret", "ledgerport-dev / spiris-dev-secret"),
            ],
            "companies": [
                {"name": c.name, "orgnr": c.orgnr, "note": _company_note(c)} for c in companies_for("spiris")
            ],
            "users": [
                {"email": u.email, "password": u.password, "note": _user_note(u)} for u in users_for("spiris")
            ],
        },
        {
            "title": "Skatteverket",
            "urls": [
                ("SKATTEVERKET_API_URL", f"{host}/skatteverket"),
                ("SKATTEVERKET_AUTH_URL", f"{host}/skatteverket/oauth2/v1/sysorg/token"),
                ("client_id / secret", f"{SKV_CLIENT_ID} / {SKV_CLIENT_SECRET}"),
            ],
            "companies": [
                {"name": c.name, "orgnr": c.orgnr, "note": "skattekonto och arbetsgivardeklarationer"}
                for c in COMPANIES.values()
            ],
            "users": [
                {
                    "email": f"{p.name} ({p.personnummer})",
                    "password": "BankID (testperson)",
                    "note": "firmatecknare" if p.signatory else "inte firmatecknare",
                }
                for p in SKV_PERSONS
            ],
        },
        {
            "title": "Altinn / Maskinporten",
            "urls": [
                ("ALTINN_API_URL", f"{host}/altinn"),
                ("ALTINN_AUTH_URL", f"{host}/altinn/maskinporten/token"),
                ("client_id", "ledgerport-dev (nøkkel ledgerport-dev-1)"),
                ("ID-porten (mva-melding)", f"{host}/idporten (ledgerport-dev / idporten-dev-secret)"),
                ("Altinn apps / platform", f"{host}/altinn/apps, {host}/altinn/platform"),
            ],
            "companies": [
                {
                    "name": "Fjordlys Rådgivning AS",
                    "orgnr": "923609016",
                    "note": "systembruker godkjent; datasystem-ID 41975; mva-melding: "
                    + ", ".join(f"{p.name} {p.pid} ({p.role_text})" for p in ALTINN_PERSONS),
                }
            ],
        },
        {
            "title": "BankID",
            "urls": [
                ("BANKID_API_URL", f"{host}/bankid/rp/v6.0"),
                ("test-app", f"{host}/bankid/app"),
                ("testpersoner", ", ".join(f"{p.name} {p.personal_number}" for p in bankid_persons.PERSONS)),
            ],
        },
    ]
    return templates.TemplateResponse(
        request, "index.html", {"brand": INDEX_BRAND, "providers": providers, "seed": sandbox(request).seed}
    )


def _scale_from_env() -> dict[str, tuple[int, int]]:
    """SANDBOX_SCALE="556036-0793=5000:3000,559141-9816=800:300"."""
    out: dict[str, tuple[int, int]] = {}
    for item in filter(None, (os.environ.get("SANDBOX_SCALE") or "").split(",")):
        company, _, sizes = item.strip().partition("=")
        vouchers, _, files = sizes.partition(":")
        out[company] = (int(vouchers), int(files or 0))
    return out


def create_app(
    *,
    seed: int = 1,
    clock: Callable[[], float | datetime] | Clock | None = None,
    scale: dict[str, tuple[int, int]] | None = None,
) -> Starlette:
    """Build the sandbox. ``clock`` returns epoch seconds or an aware datetime (default: wall time).

    ``scale`` maps a company (key or org number) to (vouchers, files); the ledger is built lazily.
    """
    resolved: dict[str, tuple[int, int]] = {}
    for ref, sizes in {**_scale_from_env(), **(scale or {})}.items():
        company = company_by_ref(ref)
        if company is None:
            raise ValueError(f"unknown company {ref!r}")
        resolved[company.key] = (int(sizes[0]), int(sizes[1]))
    the_clock = clock if isinstance(clock, Clock) else Clock(clock)
    state = SandboxState(seed=seed, clock=the_clock, scale=resolved)
    app = Starlette(
        routes=[
            Route("/", index),
            Route("/health", health),
            Mount("/_control/bankid", routes=bankid.control_routes()),
            Mount("/_control/altinn/mva", routes=mva.control_routes()),
            Mount("/_control/altinn", routes=altinn.control_routes()),
            Mount("/_control", routes=control.routes()),
            Mount("/fortnox", routes=fortnox.routes()),
            Mount("/spiris", routes=spiris.routes()),
            Mount("/skatteverket", routes=skatteverket.routes()),
            Mount("/altinn/platform", routes=mva.platform_routes()),
            Mount("/altinn/apps", routes=mva.app_routes()),
            Mount("/altinn", routes=altinn.routes()),
            Mount("/skatteetaten/api/mva", routes=mva.validation_routes()),
            Mount("/skatteetaten", routes=altinn.skattekort_routes()),
            Mount("/idporten", routes=idporten.routes()),
            Mount("/bankid", routes=bankid.routes()),
        ]
    )
    app.state.sandbox = state
    return app


app = create_app(seed=int(os.environ.get("SANDBOX_SEED", "1")))
