"""No page scrolls sideways at 390 px, and no amount is cut (a wide table scrolls inside its own
box). Every URL pattern (enumerated as the isolation matrix does) is filled with real objects —
a company with an imported ledger, a sync run with its log, an upload with warnings, documents —
and opened as every role; public pages anonymously too. htmx fragments are measured inside
their company page, as they are shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ledgerport.connectors.models import ActivationLink, Connection, ConnectionStatus, SyncRun, SyncStatus
from ledgerport.documents.services import document_store, voucher_document_link
from ledgerport.ledger.models import Account, FiscalYear, LedgerImport, Voucher
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.tenancy.models import Company, CompanyMembership
from ledgerport.tenancy.roles import CompanyRole
from ledgerport.tenancy.services import company_create
from tests import isolation
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in
from tests.browser.test_review_flow import png
from tests.browser.test_review_touch import pdf_bytes
from tests.factories import build_world
from tests.ledger.conftest import VISMA, VISMA_ORGNR

PHONE = {"width": 390, "height": 844}
LONG_LOG = "\n".join(
    f"12:00:{second:02d} GET https://api.fortnox.se/3/vouchers/A/{second}?financialyear=2&lastmodified="
    "2024-01-01T00:00:00Z 200 (0.21 s)"
    for second in range(30)
)


@dataclass
class Objects:
    company: Company
    year: FiscalYear
    account: Account
    voucher: Voucher
    upload: LedgerImport
    run: SyncRun
    link: ActivationLink
    document: Any


@pytest.fixture
def objects(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    company = company_create(
        firm=world.firm_a, name="Övningsbolaget i Norrland med långt namn AB", orgnr=VISMA_ORGNR
    )
    for user, role in ((world.signatory_a1, CompanyRole.SIGNATORY), (world.member_a1, CompanyRole.MEMBER)):
        CompanyMembership.objects.create(company=company, user=user, role=role)
    with VISMA.open("rb") as stream:
        ledger_import_sie(company=company, stream=stream, file_name=VISMA.name)
    year = FiscalYear.objects.filter(company=company, voucher_count__gt=0).order_by("-start").first()
    voucher = max(Voucher.objects.filter(fiscal_year=year), key=lambda v: v.rows.count())
    account = max(Account.objects.filter(fiscal_year=year), key=lambda a: a.rows.count())
    upload = LedgerImport.objects.create(
        company=company,
        file="ledger/imports/x.se",
        file_name="Bokföring_2024_export_från_Visma_Administration_2000_med_alla_verifikationer.SE",
        sha256="0" * 64,
        status="succeeded",
        message="Inläst: 2 räkenskapsår, 1 234 verifikationer, 5 678 rader.",
        warnings=[
            {"line": 1200 + n, "message": f"Verifikation A {n} balanserar inte: differens 0,01"}
            for n in range(5)
        ],
    )
    connection = Connection.objects.create(
        company=company,
        provider="fortnox",
        status=ConnectionStatus.ACTIVE,
        external_company_name=company.name,
        external_orgnr=company.orgnr_display,
    )
    run = SyncRun.objects.create(
        connection=connection,
        status=SyncStatus.SUCCEEDED,
        progress={"ledger": [2, 2], "documents": [211, 226]},
        log=LONG_LOG,
        requests=237,
        finished_at=timezone.now(),
    )
    link = ActivationLink.objects.create(company=company, provider="fortnox")
    pdf = document_store(
        company=company,
        content=pdf_bytes(),
        file_name="Leverantörsfaktura_1001_Kontorsmaterial.pdf",
        source="test",
        external_id="1",
    )
    image = document_store(
        company=company, content=png((200, 60, 60)), file_name="kvitto.png", source="test", external_id="2"
    )
    for document in (pdf, image):
        voucher_document_link(
            document=document, fiscal_year=year, series=voucher.series, number=voucher.number
        )
    return world, Objects(company, year, account, voucher, upload, run, link, pdf)


def arguments(o: Objects) -> dict[str, Any]:
    return {
        "company_id": o.company.pk,
        "fiscal_year_id": o.year.pk,
        "account_id": o.account.pk,
        "voucher_id": o.voucher.pk,
        "import_id": o.upload.pk,
        "provider": "fortnox",
        "link_id": o.link.pk,
        "document_id": o.document.pk,
        "sync_run_id": o.run.pk,
        "token": o.link.token,
        "uidb64": "MQ",  # a password-reset link that is no longer valid: its page
    }


def url_for(route: isolation.Route, o: Objects) -> str:
    known = arguments(o)
    # An argument added later is filled as the isolation matrix fills it.
    kwargs = {
        arg: known[arg] if arg in known else isolation.OBJECT_ARGUMENTS[arg](o.company)
        for arg in route.arguments
    }
    return reverse(route.name, kwargs=kwargs)


def routes() -> list[isolation.Route]:
    # Logging out last: everything else is seen logged in.
    return sorted(isolation.iter_routes(), key=lambda route: "logout" in route.name)


def measure(page, context, url: str, hosts: list[str]) -> tuple[str, list[str]]:
    """("page" | "fragment" | "other" | status, problems) for one GET."""
    first = context.request.get(url, max_redirects=0)
    location = urlsplit(first.headers.get("location", ""))
    if first.status in (301, 302, 303, 307) and location.netloc not in ("", urlsplit(first.url).netloc):
        return "other", []  # off to another site (a provider's login page): not ours to measure
    response = context.request.get(url)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return "other" if response.ok else str(response.status), []
    body = response.text()
    if "<html" in body:
        page.goto(url)
        page.wait_for_load_state()
        return "page", page.evaluate(SIDEWAYS)
    if not response.ok:
        return str(response.status), []
    # An htmx fragment: measured where it is shown, swapped in for the element it replaces
    # (same id or test id) on the first company page that has one, else added to a tab.
    for host in hosts:
        page.goto(host)
        if page.evaluate(SWAP, [body, host == hosts[-1]]):
            return "fragment", page.evaluate(SIDEWAYS)
    raise AssertionError(f"no page to show the fragment {url} in")


SWAP = """([html, fallback]) => {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const root = template.content.firstElementChild;
    const key = root && (root.id ? "#" + CSS.escape(root.id)
        : root.dataset.testid ? `[data-testid="${root.dataset.testid}"]` : null);
    const target = key && document.querySelector(key);
    if (target) target.replaceWith(template.content);
    else if (fallback) document.querySelector(".tab-body").append(template.content);
    return Boolean(target || fallback);
}"""


def test_no_page_scrolls_sideways_at_390px_for_any_role(browser, live_server, objects):
    world, o = objects
    hosts = [reverse(f"web:company_{tab}", args=[o.company.pk]) for tab in ("collect", "ledger", "overview")]
    problems: list[str] = []
    seen: dict[str, set[str]] = {}
    people = [("anonymous", None), *world.users().items()]
    for role, user in people:
        context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if user is not None:
                log_in(page, user.email)
            for route in routes():
                if user is None and route.name not in isolation.PUBLIC:
                    continue
                url = url_for(route, o)
                kind, found = measure(page, context, url, hosts)
                seen.setdefault(route.name, set()).add(kind)
                problems += [f"{role}: {route.name} {url}: {problem}" for problem in found]
        finally:
            context.close()

    assert problems == [], "\n".join(problems)
    # Every route was looked at: as a page or a fragment by some role, or it is not HTML
    # (a file, JSON) or takes no GET (405) for anyone.
    unseen = [name for name, kinds in seen.items() if not kinds & {"page", "fragment", "other", "405"}]
    assert unseen == [], {name: seen[name] for name in unseen}
    measured = {name for name, kinds in seen.items() if kinds & {"page", "fragment"}}
    assert {
        "web:company_list",
        "web:company_collect",
        "web:company_documents",
        "ledger:general_ledger",
        "ledger:account",
        "ledger:voucher",
        "analysis:balance_sheet",
        "analysis:income_statement",
        "ledger:import_status",
        "connectors:sync_run",
        "connectors:consent",
        "review:card",
        "identity:login",
    } <= measured, sorted(measured)


def test_the_check_sees_a_page_that_scrolls_sideways(browser, live_server, objects):
    """The measurement itself: a wide element and a cut amount are reported."""
    world, o = objects
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=PHONE)
    page = context.new_page()
    try:
        log_in(page, world.accountant_a.email)
        page.goto(reverse("ledger:general_ledger", args=[o.company.pk, o.year.pk]))
        expect(page.locator("td.num").first).to_be_visible()
        assert page.evaluate(SIDEWAYS) == []
        page.evaluate(
            """() => {
                document.querySelector(".table-scroll").style.overflow = "hidden";
                document.querySelector("h2").style.whiteSpace = "nowrap";
                document.querySelector("h2").textContent = "Ett mycket långt namn ".repeat(8);
            }"""
        )
        problems = page.evaluate(SIDEWAYS)
        assert any(p.startswith("page is ") and "h2" in p for p in problems), problems
        assert any(p.startswith("amount ") and "cut by div.table-scroll" in p for p in problems), problems
    finally:
        context.close()
