"""The e-service "Ombud och behörigheter" as a deep link opens it: a BankID-style login of a test
person, the pre-filled appointment, "Nästa", "Skriv under & skicka in", and the receipt.

Only a firmatecknare of the company may appoint an ombud; anyone else is refused at signing.
"""

from __future__ import annotations

import secrets
from datetime import date
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sandbox.core.consent import Brand, mount_prefix, templates
from sandbox.core.http import sandbox
from sandbox.skatteverket.data import company_name, store, today
from sandbox.skatteverket.store import OMBUD_NAME, OMBUD_ORGNR, PERSONS, ROLES, DeepLink, Grant, Person

BRAND = Brand(
    title="Skatteverket",
    product="Ombud och behörigheter",
    color="#00508c",
    bg="#eef3f8",
    login_heading="Logga in",
    login_button="Logga in med BankID",
    picker_heading="",
    picker_help="",
    consent_heading="Utse ombud",
    approve_button="Skriv under & skicka in",
    demo_password="",
)
SESSION_COOKIE = "skv_session"


def _person(request: Request) -> Person | None:
    number = store(request).sessions.get(request.cookies.get(SESSION_COOKIE, ""))
    return next((p for p in PERSONS if p.personnummer == number), None)


def _link(request: Request) -> DeepLink | None:
    link = store(request).deep_links.get(str(request.path_params["token"]))
    if link is None or link.expires < sandbox(request).clock.time():
        return None
    return link


def _page(request: Request, name: str, status: int = 200, **context: object) -> Response:
    return templates.TemplateResponse(
        request, name, {"brand": BRAND, "prefix": mount_prefix(request), **context}, status_code=status
    )


def _orgnr(huvudman: str) -> str:
    return f"{huvudman[2:8]}-{huvudman[8:]}"


def _context(request: Request, link: DeepLink, person: Person) -> dict[str, object]:
    return {
        "link": link,
        "person": person,
        "company": company_name(request, link.huvudman),
        "orgnr": _orgnr(link.huvudman),
        "ombud_name": OMBUD_NAME,
        "ombud_orgnr": _orgnr(OMBUD_ORGNR),
        "roles": [(code, ROLES[code]) for code in link.roles],
    }


async def login(request: Request) -> Response:
    """BankID-style login: pick a test person (the real service starts BankID here)."""
    next_url = request.query_params.get("next", "")
    if request.method == "POST":
        form = await request.form()
        next_url = str(form.get("next") or "")
        person = next((p for p in PERSONS if p.personnummer == form.get("personnummer")), None)
        if person is None:
            return _page(
                request,
                "skatteverket_login.html",
                400,
                persons=PERSONS,
                next=next_url,
                error="Välj en person.",
            )
        session = secrets.token_urlsafe(16)
        store(request).sessions[session] = person.personnummer
        if not next_url.startswith(mount_prefix(request) + "/"):
            next_url = mount_prefix(request) + "/ombud/"
        response = RedirectResponse(next_url, status_code=303)
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax")
        return response
    return _page(request, "skatteverket_login.html", persons=PERSONS, next=next_url)


def _login_redirect(request: Request) -> Response:
    return RedirectResponse(
        f"{mount_prefix(request)}/legitimering?next={quote(request.url.path)}", status_code=303
    )


def _link_and_person(request: Request) -> tuple[DeepLink, Person] | Response:
    """The deep link and the logged-in person, or the page for a gone link or the login."""
    link = _link(request)
    if link is None:
        return _page(request, "skatteverket_ombud.html", 404, step="gone")
    person = _person(request)
    if person is None:
        return _login_redirect(request)
    return link, person


async def appoint(request: Request) -> Response:
    """The deep link: the appointment pre-filled; "Nästa"."""
    found = _link_and_person(request)
    if isinstance(found, Response):
        return found
    link, person = found
    if link.used:
        return _page(request, "skatteverket_ombud.html", 410, step="used", **_context(request, link, person))
    return _page(request, "skatteverket_ombud.html", step="fill", **_context(request, link, person))


async def review(request: Request) -> Response:
    """After "Nästa": the summary with "Skriv under & skicka in"."""
    found = _link_and_person(request)
    if isinstance(found, Response):
        return found
    link, person = found
    step = "used" if link.used else "review"
    return _page(request, "skatteverket_ombud.html", step=step, **_context(request, link, person))


async def sign(request: Request) -> Response:
    found = _link_and_person(request)
    if isinstance(found, Response):
        return found
    link, person = found
    context = _context(request, link, person)
    if link.used:
        return _page(request, "skatteverket_ombud.html", 410, step="used", **context)
    if not person.signatory:
        return _page(request, "skatteverket_ombud.html", 403, step="refused", **context)
    st = store(request)
    on: date = today(request)
    st.grants = [g for g in st.grants if not (g.huvudman == link.huvudman and g.role in link.roles)]
    st.grants.extend(Grant(link.huvudman, role, on, None, person.personnummer) for role in link.roles)
    link.used = True
    sandbox(request).providers["skatteverket"].counts["appointments"] += 1
    return _page(request, "skatteverket_ombud.html", step="done", **context)


def routes() -> list[Route]:
    return [
        Route("/legitimering", login, methods=["GET", "POST"]),
        Route("/ombud/utseombud/{token}", appoint),
        Route("/ombud/utseombud/{token}/granska", review),
        Route("/ombud/utseombud/{token}/signera", sign, methods=["POST"]),
    ]
