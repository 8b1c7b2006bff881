"""The pages, in bokmål: per role, another firm's or company's user gets 404, the authority's
login is asked for by redirect, its errors are shown (never a 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.connectors.http import ProviderError
from ledgerport.mvamelding import Term
from ledgerport.tenancy.models import CompanyMembership
from ledgerport.tenancy.roles import CompanyRole
from ledgerport.vatreturns import services
from ledgerport.vatreturns.models import State, VatReturn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, company, *args):
    return reverse(f"vatreturns:{name}", args=[company.pk, *args])


def draft(company, user):
    return services.draft_compute(company=company, user=user, term=Term(2026, 2))


@pytest.mark.parametrize("role", ["admin_a", "accountant_a"])
def test_the_firm_sees_the_terms_and_the_draft_in_bokmal(client, world, norwegian, role):
    client.force_login(getattr(world, role))
    page = client.get(url("terms", norwegian) + "?year=2026")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="term-6"' in html and 'data-testid="term-0"' in html
    assert "Beregn utkast" in html and "Mva-meldinger" in html
    response = client.post(url("compute", norwegian), {"year": "2026", "term": "2"})
    vat_return = VatReturn.objects.get(company=norwegian, year=2026, term=2)
    assert response.status_code == 302 and response["Location"] == url("detail", norwegian, vat_return.pk)
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="line-86"' in html and 'data-testid="difference">0' in html
    assert "Avstemming mot mva-kontoene" in html and "Valider" in html
    assert f'data-testid="total">{vat_return.total:.0f}<' in html


def test_the_tab_shows_for_norwegian_companies_only(client, world, norwegian):
    client.force_login(world.admin_a)
    assert (
        url("terms", norwegian)
        in client.get(reverse("web:company_overview", args=[norwegian.pk])).content.decode()
    )
    assert (
        "vat-returns" not in client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    )
    page = client.get(url("terms", world.a1)).content.decode()
    assert 'data-testid="not-norwegian"' in page
    refused = client.post(url("compute", world.a1), {"year": "2026", "term": "2"}, follow=True)
    assert refused.status_code == 200 and not VatReturn.objects.exists()


@pytest.mark.parametrize("role", [CompanyRole.SIGNATORY, CompanyRole.MEMBER])
def test_the_client_s_own_people_do_not_reach_the_returns(client, world, norwegian, role):
    person = UserFactory()
    CompanyMembership.objects.create(company=norwegian, user=person, role=role)
    vat_return = draft(norwegian, world.admin_a)
    client.force_login(person)
    assert client.get(reverse("web:company_overview", args=[norwegian.pk])).status_code == 200
    for name, args in (("terms", ()), ("detail", (vat_return.pk,))):
        assert client.get(url(name, norwegian, *args)).status_code == 404
    for name in ("validate", "submit", "feedback"):
        assert client.post(url(name, norwegian, vat_return.pk)).status_code == 404
    assert client.post(url("compute", norwegian), {"year": "2026", "term": "3"}).status_code == 404


def test_another_firm_or_company_gets_404(client, world, norwegian):
    vat_return = draft(norwegian, world.admin_a)
    client.force_login(world.admin_b)
    assert client.get(url("detail", norwegian, vat_return.pk)).status_code == 404
    assert client.post(url("submit", norwegian, vat_return.pk)).status_code == 404
    client.force_login(world.admin_a)  # the return through a sibling company's address
    assert client.get(url("detail", world.a2, vat_return.pk)).status_code == 404
    assert client.post(url("validate", world.a2, vat_return.pk)).status_code == 404


def test_validate_then_submit_through_the_registry(client, world, norwegian, boundary):
    vat_return = draft(norwegian, world.admin_a)
    client.force_login(world.accountant_a)
    response = client.post(url("validate", norwegian, vat_return.pk))
    assert response.status_code == 302 and response["Location"] == url("detail", norwegian, vat_return.pk)
    assert boundary.calls[0][1][3].endswith(
        url("detail", norwegian, vat_return.pk)
    )  # next_url comes back here
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="submit"' in html and "ingen avvik" in html
    client.post(url("submit", norwegian, vat_return.pk))
    vat_return.refresh_from_db()
    assert vat_return.state == State.ACCEPTED
    html = client.get(url("detail", norwegian, vat_return.pk)).content.decode()
    assert (
        'data-testid="payment-kid">99999999999999<' in html
        and 'data-testid="payment-due">21.05.2021<' in html
    )
    receipt = client.get(url("receipt", norwegian, vat_return.pk))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_a_person_login_is_asked_for_by_redirect(client, world, norwegian, boundary):
    boundary.login_url = "http://127.0.0.1:9/idporten/authorize?state=abc"
    vat_return = draft(norwegian, world.admin_a)
    client.force_login(world.admin_a)
    response = client.post(url("validate", norwegian, vat_return.pk))
    assert response.status_code == 302 and response["Location"] == boundary.login_url


def test_provider_errors_and_a_missing_provider_are_shown_not_500(
    client, world, norwegian, boundary, monkeypatch
):
    vat_return = draft(norwegian, world.admin_a)
    client.force_login(world.admin_a)

    def broken(*args):
        raise ProviderError(503, "Service Unavailable")

    monkeypatch.setattr(boundary, "validate", broken)
    page = client.post(url("validate", norwegian, vat_return.pk), follow=True)
    assert page.status_code == 200 and "Service Unavailable" in page.content.decode()
    monkeypatch.setattr("ledgerport.connectors.providers.vat_return_filing", lambda country: None)
    page = client.post(url("validate", norwegian, vat_return.pk), follow=True)
    assert page.status_code == 200 and "Last inn data" in page.content.decode()
    page = client.post(url("submit", norwegian, vat_return.pk), follow=True)
    assert page.status_code == 200


@pytest.mark.parametrize(
    "data", [{}, {"year": "x", "term": "2"}, {"year": "2026", "term": "9"}, {"year": "1999", "term": "1"}]
)
def test_bad_input_is_refused_with_a_message(client, world, norwegian, data):
    client.force_login(world.admin_a)
    page = client.post(url("compute", norwegian), data, follow=True)
    assert page.status_code == 200 and "Velg år og termin" in page.content.decode()
    assert not VatReturn.objects.exists()


def test_garbage_ids_are_404(client, world, norwegian):
    client.force_login(world.admin_a)
    assert client.get(url("detail", norwegian, 999999)).status_code == 404
    assert client.get(url("terms", norwegian) + "?year=abc").status_code == 200
