"""The isolation checker behind the matrix test.

It enumerates every URL pattern of a URLconf, fills the pattern's object arguments with
objects of a company the user must NOT reach, and requests it as every role. Any answer
other than 403 or 404 (or 405 for a method the view does not take) is a leak. As a positive
control, each pattern must answer for at least one role on its *own* objects; otherwise a
view that 404s everything would pass for the wrong reason.

Within its own company each role may do only what its role allows (`tenancy/roles.py`):
every company route needs the action in `ROUTE_ACTIONS` ("work" unless listed), a role
without that action must be refused on GET and POST, and no page the role opens may show
a link, form or button (any URL) of such a route.

A new URL argument must be registered in `OBJECT_ARGUMENTS`, and a new public page in
`PUBLIC`, or the check fails: nothing is exempt by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ledgerport.tenancy import roles

# Pages anyone may open, logged in or not. They take no object arguments.
PUBLIC = {
    "identity:login",
    "identity:logout",
    "identity:login_totp",
    "identity:bankid_start",
    "identity:bankid_wait",
    "identity:bankid_qr",
    "identity:bankid_collect",
    "identity:bankid_cancel",
    "identity:password_reset",
    "identity:password_reset_done",
    "identity:password_reset_confirm",
    "identity:password_reset_complete",
    "set_language",
    "web:health",
    "connectors:consent",
    "connectors:authorize",
    "connectors:verify",
    "connectors:callback",
    # The return from a person's own login (ID-porten): the pending login is in the session.
    "connectors:person_login_return",
    # Accepting an invitation: the link's token is the capability.
    "portal:invitation",
    "portal:invitation_code",
    "portal:invitation_bankid",
}
# Arguments a public route may take: capabilities (unguessable tokens) and fixed choices.
PUBLIC_ARGUMENTS = {"uidb64", "token", "provider"}

# URL argument -> (object of the target company, as chosen by `target`). `target` is the
# company the request is about; later issues add e.g. "voucher_id", "document_id".
OBJECT_ARGUMENTS: dict[str, Callable[[Any], Any]] = {
    "company_id": lambda company: company.pk,
    # The ledger (tests/ledger/factories.py gets or creates a small ledger for the company).
    "fiscal_year_id": lambda company: (
        __import__("tests.ledger.factories", fromlist=["_"]).ledger_objects(company).fiscal_year.pk
    ),
    "account_id": lambda company: (
        __import__("tests.ledger.factories", fromlist=["_"]).ledger_objects(company).account.pk
    ),
    "voucher_id": lambda company: (
        __import__("tests.ledger.factories", fromlist=["_"]).ledger_objects(company).voucher.pk
    ),
    # A voucher's lasting address: its fiscal year's first day, series and number.
    "year": lambda company: (
        __import__("tests.ledger.factories", fromlist=["_"]).ledger_objects(company).fiscal_year.start
    ),
    "series": lambda company: (
        __import__("tests.ledger.factories", fromlist=["_"]).ledger_objects(company).voucher.series
    ),
    "number": lambda company: (
        __import__("tests.ledger.factories", fromlist=["_"]).ledger_objects(company).voucher.number
    ),
    "import_id": lambda company: (
        __import__("tests.ledger.factories", fromlist=["_"]).ledger_objects(company).ledger_import.pk
    ),
    "provider": lambda company: "fortnox",
    # A provider connected on its settings page (a Swedish company's page says it is not served).
    "settings_provider": lambda company: "altinn",
    "link_id": lambda company: _activation_link(company).pk,
    "document_id": lambda company: _document(company).pk,
    "sync_run_id": lambda company: _sync_run(company).pk,
    "membership_id": lambda company: _membership(company).pk,
    "invitation_id": lambda company: _invitation(company).pk,
    # The archive: a month folder of the client's own area (clients may upload there too).
    "folder": lambda company: _archive_entry(company).folder_key,
    "entry_id": lambda company: _archive_entry(company).pk,
    # Payroll: a run with its attestation case (the case has files for approval).
    "run_id": lambda company: _payroll_run(company).pk,
    "case_id": lambda company: _payroll_run(company).case_id,
    "payment_file_id": lambda company: _payment_file(company).pk,
    # The a-melding: a month's return (an empty draft).
    "employer_return_id": lambda company: _employer_return(company).pk,
    # A VAT return (mva-melding) of the company, as stored (no ledger needed).
    "return_id": lambda company: _vat_return(company).pk,
}

# The action (tenancy/roles.py) a company route needs. Unlisted routes need "work": what a
# client user (signatory, member) may reach is listed here, everything else is the firm's.
ROUTE_ACTIONS: dict[str, str] = {
    "web:company_overview": "view",
    "web:company_documents": "view",
    "web:company_cases": "view",
    "documents:content": "view",
    "documents:list": "view",
    # The company's users: the firm and the company's signatories, not its members.
    "portal:users": "invite",
    "portal:users_invite": "invite",
    "portal:users_role": "invite",
    "portal:users_remove": "invite",
    "portal:users_invitation_resend": "invite",
    "portal:users_invitation_revoke": "invite",
    "portal:users_switch": "view",
    # The audit log is the firm's ("work", the default): listed to say so.
    "portal:users_audit": "work",
    # The archive is the client's as much as the firm's (uploads: clients in their own area).
    "portal:archive_folder": "view",
    "portal:archive_upload": "view",
    "portal:archive_zip": "view",
    "portal:archive_entry": "view",
    "portal:archive_content": "view",
    # Cases: both sides read and answer (approving is case_signing's); opening,
    # closing, reopening and setting up are the firm's ("work"); the firm's default, its admin's.
    "cases:detail": "view",
    "cases:message": "view",
    "cases:new": "work",
    "cases:close": "work",
    "cases:reopen": "work",
    "cases:settings": "work",
    "cases:from_difference": "work",
    "cases:reminder_policy": "manage",
    # A case's approval: everyone who sees the company reads and answers it; only who may
    # approve (a signatory) attests or signs. Payroll's pages are the firm's ("work").
    "case_signing:approval": "view",
    "case_signing:answer": "view",
    "case_signing:attest": "approve",
    "case_signing:sign_start": "approve",
    "case_signing:sign_wait": "approve",
    "case_signing:sign_qr": "approve",
    "case_signing:sign_collect": "approve",
    "case_signing:sign_cancel": "approve",
    # Payment files: the client sees the summary; only a signatory marks it approved.
    "payments:list": "view",
    "payments:detail": "view",
    "payments:approve": "approve",
    # Tax-payment summaries and reports are published by the firm; clients see them in the archive.
    "taxpayments:page": "work",
    "taxpayments:publish": "work",
    "taxpayments:report_publish": "work",
}
DEFAULT_ACTION = "work"
# What each role of `world.users()` may do (the roles table itself, not a copy of it).
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "firm admin": roles.FIRM_ROLE_ACTIONS[roles.FirmRole.ADMIN],
    "accountant": roles.FIRM_ROLE_ACTIONS[roles.FirmRole.ACCOUNTANT],
    "signatory": roles.COMPANY_ROLE_ACTIONS[roles.CompanyRole.SIGNATORY],
    "member": roles.COMPANY_ROLE_ACTIONS[roles.CompanyRole.MEMBER],
}


def _activation_link(company: Any) -> Any:
    from ledgerport.connectors.models import ActivationLink

    return ActivationLink.objects.filter(company=company).first() or ActivationLink.objects.create(
        company=company, provider="fortnox"
    )


def _membership(company: Any) -> Any:
    """A client user of the company of its own (the matrix may change or remove it)."""
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import CompanyMembership

    user, _ = User.objects.get_or_create(email=f"matrix-{company.pk}@example.se")
    membership, _ = CompanyMembership.objects.get_or_create(company=company, user=user)
    return membership


def _invitation(company: Any) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from ledgerport.tenancy.models import Invitation

    return Invitation.objects.filter(company=company, email="matrix-invitee@example.se").first() or (
        Invitation.objects.create(
            company=company,
            email="matrix-invitee@example.se",
            token_hash=f"matrix-{company.pk}",
            expires_at=timezone.now() + timedelta(days=7),
        )
    )


def _sync_run(company: Any) -> Any:
    from ledgerport.connectors.models import Connection, SyncRun

    connection, _ = Connection.objects.get_or_create(company=company, provider="fortnox")
    return SyncRun.objects.filter(connection=connection).first() or SyncRun.objects.create(
        connection=connection
    )


def _document(company: Any) -> Any:
    from ledgerport.documents.services import document_store

    return document_store(
        company=company,
        content=b"%PDF-1.4 " + company.name.encode(),
        file_name="f.pdf",
        source="test",
        external_id="1",
    )


def _archive_entry(company: Any) -> Any:
    """A document filed in the company's own upload area (by a firm user, so it notifies)."""
    from ledgerport.documents.archive import archive_file
    from ledgerport.documents.archive_folders import Folder
    from ledgerport.documents.models import ArchiveEntry
    from ledgerport.documents.upload_checks import check_upload
    from ledgerport.tenancy.models import FirmMembership

    entry = ArchiveEntry.objects.filter(company=company).first()
    if entry is not None:
        return entry
    uploader = FirmMembership.objects.filter(firm_id=company.firm_id).first().user
    archive_file(
        company=company,
        user=uploader,
        folder=Folder(2026, "uploads", 8),
        files=[check_upload("kvitto.pdf", b"%PDF-1.4 archive " + company.name.encode())],
        by_client=False,
    )
    return ArchiveEntry.objects.filter(company=company).first()


def _payroll_run(company: Any) -> Any:
    """A payroll run of the company, its case waiting for attestation."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from ledgerport.payroll.models import PayrollRun
    from ledgerport.payroll.services import payroll_run_create
    from ledgerport.tenancy.models import FirmMembership

    run = PayrollRun.objects.filter(company=company).first()
    if run is not None:
        return run
    return payroll_run_create(
        company=company,
        user=FirmMembership.objects.filter(firm_id=company.firm_id).first().user,
        period=datetime.date(2026, 7, 1),
        payout_date=datetime.date(2026, 8, 25),
        payslips=[SimpleUploadedFile("lonebesked.pdf", b"%PDF-1.4 payslip " + company.name.encode())],
        payout_list=[SimpleUploadedFile("lista.pdf", b"%PDF-1.4 list " + company.name.encode())],
    )


def _employer_return(company: Any) -> Any:
    from ledgerport.employerreturns.services import return_open

    return return_open(company=company, month="2026-11")


def _vat_return(company: Any) -> Any:
    from ledgerport.vatreturns.models import VatReturn

    found, _created = VatReturn.objects.get_or_create(
        company=company,
        year=2026,
        term=2,
        defaults={"reference": f"matrix-{company.pk}", "receipt_pdf": b"%PDF-1.4 receipt"},
    )
    return found


def _payment_file(company: Any) -> Any:
    """A payment file uploaded by the firm (its case asks the signatories to approve it)."""
    from ledgerport.payments.models import PaymentFile
    from ledgerport.payments.services import payment_file_upload
    from ledgerport.tenancy.models import FirmMembership
    from tests.payfiles.builder import build, realistic_file

    found = PaymentFile.objects.filter(company=company).first()
    if found is not None:
        return found
    file = realistic_file()
    file.message_id = f"MATRIX-{company.pk}"
    uploader = FirmMembership.objects.filter(firm_id=company.firm_id).first().user
    return payment_file_upload(company=company, user=uploader, name="betalfil.xml", content=build(file))


@dataclass(frozen=True)
class Route:
    name: str
    arguments: tuple[str, ...]


def iter_routes(urlconf: str | None = None) -> Iterator[Route]:
    def walk(patterns: list[Any], namespace: str | None) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if namespace and entry.namespace:
                    inner = f"{namespace}:{entry.namespace}"
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                if not entry.name:
                    raise AssertionError(f"URL pattern {entry.pattern} has no name; name every route")
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(name, tuple(entry.pattern.converters))

    yield from walk(get_resolver(urlconf).url_patterns, None)


def url_for(route: Route, company: Any, urlconf: str | None) -> str:
    missing = [arg for arg in route.arguments if arg not in OBJECT_ARGUMENTS]
    if missing:
        raise AssertionError(f"{route.name}: register URL argument(s) {missing} in OBJECT_ARGUMENTS")
    kwargs = {arg: OBJECT_ARGUMENTS[arg](company) for arg in route.arguments}
    return reverse(route.name, kwargs=kwargs, urlconf=urlconf)


DENIED = {403, 404}
# 405 (the view does not take this method) is answered before any object is looked at.
REFUSED = DENIED | {405}


def check(world: Any, urlconf: str | None = None) -> list[str]:
    """Every leak found, as readable lines; empty when isolation holds."""
    problems: list[str] = []
    users = world.users()
    secret_names = [world.b1.name]
    anonymous = Client()
    routes = list(iter_routes(urlconf))
    company_routes = [r for r in routes if r.name not in PUBLIC and r.arguments]
    own_urls = {route.name: url_for(route, world.a1, urlconf) for route in company_routes}
    # Per role, the own-company URLs it may not use: no page it sees may offer them.
    forbidden = {
        role: [own_urls[r.name] for r in company_routes if _action(r) not in ROLE_ACTIONS[role]]
        for role in users
    }
    pages: dict[str, list[tuple[str, str]]] = {role: [] for role in users}
    for route in routes:
        if route.name in PUBLIC:
            if not set(route.arguments) <= PUBLIC_ARGUMENTS:
                problems.append(f"{route.name}: public routes may not take object arguments")
            continue
        if not route.arguments:
            # A list page: nobody may see another firm's companies in it.
            for role, user in users.items():
                client = Client()
                client.force_login(user)
                page = client.get(reverse(route.name, urlconf=urlconf), follow=True)
                body = page.content.decode(errors="replace")
                problems += [f"{route.name} as {role}: shows {s!r}" for s in secret_names if s in body]
                pages[role].append((route.name, body))
            continue

        reached_own = False
        action = _action(route)
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            own = own_urls[route.name]
            allowed = action in ROLE_ACTIONS[role]
            for method in ("get", "post"):
                response = getattr(client, method)(own)
                if response.status_code in REFUSED:
                    continue
                if not allowed:
                    problems.append(
                        f"{route.name} as {role}: {method.upper()} {own} answered {response.status_code},"
                        f" but the role may not {action!r}"
                    )
                reached_own = True
                if method == "get" and response.get("Content-Type", "").startswith("text/html"):
                    pages[role].append((route.name, response.content.decode(errors="replace")))
            # Foreign firm for everyone; the sibling company too for client users.
            foreign = [world.b1] if role in {"firm admin", "accountant"} else [world.b1, world.a2]
            for company in foreign:
                url = url_for(route, company, urlconf)
                for method in ("get", "post"):
                    status = getattr(client, method)(url).status_code
                    if status not in REFUSED:
                        problems.append(f"{route.name} as {role}: {method.upper()} {url} answered {status}")
        if not reached_own:
            problems.append(f"{route.name}: no role reaches its own company; the check proves nothing")
        status = anonymous.get(url_for(route, world.b1, urlconf)).status_code
        if status not in REFUSED | {302}:
            problems.append(f"{route.name} anonymous: answered {status}")
    for role, seen in pages.items():
        for name, body in seen:
            problems += [
                f"{name} as {role}: offers {url}, which the role may not use"
                for url in forbidden[role]
                if f'"{url}"' in body or f'"{url}?' in body
            ]
    return problems


def _action(route: Route) -> str:
    action = ROUTE_ACTIONS.get(route.name, DEFAULT_ACTION)
    assert action in roles.ACTIONS, f"{route.name}: unknown action {action!r}"
    return action
