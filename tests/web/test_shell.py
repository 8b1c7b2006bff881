"""The UI shell: client list, search, company tabs per role, language."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def as_accountant(client, world):
    client.force_login(world.accountant_a)
    return client


def test_client_list_shows_only_the_firms_companies(as_accountant, world):
    body = as_accountant.get(reverse("web:company_list")).content.decode()
    assert "Alfa Klient Ett AB" in body
    assert "Alfa Klient Två AB" in body
    assert world.b1.name not in body
    assert "556036-0793" in body  # org numbers shown formatted


def test_client_list_rows_escape_names_and_link_each_company(as_accountant, world):
    world.a2.name = 'Tre <b>"&"</b> AB'
    world.a2.save()
    body = as_accountant.get(reverse("web:company_list")).content.decode()
    assert "Tre &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt; AB" in body and "<b>" not in body
    for company in (world.a1, world.a2):
        assert f'<a href="{reverse("web:company_overview", args=[company.pk])}">' in body
    assert body.count('data-testid="company-row"') == 2
    assert "<td>Sverige</td>" in body  # the country in the page's language


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ett", ["Alfa Klient Ett AB"]),
        ("559023-4562", ["Alfa Klient Två AB"]),
        ("5560360793", ["Alfa Klient Ett AB"]),
    ],
)
def test_search_by_name_or_orgnr(as_accountant, query, expected):
    response = as_accountant.get(reverse("web:company_list"), {"q": query})
    names = [n for n in ("Alfa Klient Ett AB", "Alfa Klient Två AB") if n in response.content.decode()]
    assert names == expected


def test_htmx_search_returns_only_rows(as_accountant):
    response = as_accountant.get(reverse("web:company_list"), {"q": "två"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Alfa Klient Två AB" in body


def test_search_never_finds_foreign_companies(as_accountant, world):
    response = as_accountant.get(reverse("web:company_list"), {"q": "Hemliga"})
    assert world.b1.name not in response.content.decode()
    assert "Ingen klient matchar sökningen" in response.content.decode()


def test_firm_user_sees_all_tabs_in_swedish(as_accountant, world):
    body = as_accountant.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    for label in ("Översikt", "Läs in data", "Bokföring", "Analyser", "Dokument", "Ärenden"):
        assert f">{label}</a>" in body


def test_client_sees_only_client_tabs_and_is_refused_firm_tabs(client, world):
    client.force_login(world.signatory_a1)
    body = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert ">Dokument</a>" in body
    assert ">Läs in data</a>" not in body
    assert client.get(reverse("web:company_collect", args=[world.a1.pk])).status_code == 404


def test_language_switch_to_english_and_norwegian(as_accountant, world):
    url = reverse("web:company_overview", args=[world.a1.pk])
    as_accountant.post(reverse("set_language"), {"language": "en", "next": url})
    assert ">Load data</a>" in as_accountant.get(url).content.decode()
    as_accountant.post(reverse("set_language"), {"language": "nb", "next": url})
    assert ">Last inn data</a>" in as_accountant.get(url).content.decode()


def test_health_is_public(client, db):
    assert client.get(reverse("web:health")).json() == {"status": "ok"}


def test_health_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    from django.db import OperationalError

    class Down:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("ledgerport.core.health.connection", Down())
    response = client.get(reverse("web:health"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_pages_need_login(client, world):
    response = client.get(reverse("web:company_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))
