"""Invoice review: the queue, filters, marking, progress, per-user state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ledgerport.documents.services import document_store, voucher_document_link
from ledgerport.ledger.models import Account, Source, Voucher, VoucherRow
from ledgerport.review.models import VoucherReview
from ledgerport.review.selectors import CardKey
from tests.ledger.factories import ledger_objects

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def year_with_documents(world):
    """Five vouchers, four with a document (one of them a big one in series B)."""
    small = ledger_objects(world.a1)
    year = small.fiscal_year
    cost, _ = Account.objects.get_or_create(
        fiscal_year=year, number="4010", defaults={"name": "Inköp", "type": "K"}
    )
    debt, _ = Account.objects.get_or_create(
        fiscal_year=year, number="2440", defaults={"name": "Leverantörsskulder", "type": "S"}
    )
    specs = [
        ("A", "2", 100, "Leverantör Alfa"),
        ("A", "3", 250, "Leverantör Beta"),
        ("B", "1", 9000, "Leverantör Alfa"),
        ("A", "4", 75, "Utan faktura"),
    ]
    for day, (series, number, amount, text) in enumerate(specs, start=10):
        voucher = Voucher.objects.create(
            fiscal_year=year,
            series=series,
            number=number,
            date=date(2024, 4, day),
            text=text,
            source=Source.SIE,
        )
        VoucherRow.objects.create(
            fiscal_year=year, voucher=voucher, account=cost, position=0, amount=Decimal(amount), period=202404
        )
        VoucherRow.objects.create(
            fiscal_year=year,
            voucher=voucher,
            account=debt,
            position=1,
            amount=-Decimal(amount),
            period=202404,
        )
    for series, number in [("A", "1"), ("A", "2"), ("A", "3"), ("B", "1")]:
        document = document_store(
            company=world.a1,
            content=PDF + f"{series}{number}".encode(),
            file_name=f"{series}{number}.pdf",
            source="test",
            external_id=f"{series}{number}",
        )
        voucher_document_link(document=document, fiscal_year=year, series=series, number=number)
    return year


def card(client, world, year, **query):
    return client.get(reverse("review:card", args=[world.a1.pk, year.pk]), query)


def test_start_opens_the_latest_year_with_documents(client, world, year_with_documents):
    client.force_login(world.accountant_a)
    response = client.get(reverse("review:start", args=[world.a1.pk]))
    assert response["Location"] == reverse("review:card", args=[world.a1.pk, year_with_documents.pk])


def test_queue_has_only_vouchers_with_documents_in_date_order(client, world, year_with_documents):
    client.force_login(world.accountant_a)
    body = card(client, world, year_with_documents).content.decode()
    assert "0 / 4 granskade" in body
    assert "A 1 · 2024-03-05" in body  # the earliest first
    assert 'data-testid="review-document"' in body
    assert 'rel="prefetch"' in body  # the next voucher's document


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"series": "B"}, 1),
        ({"account": "4010"}, 3),
        ({"min_amount": "200"}, 3),
        ({"max_amount": "200"}, 1),
        ({"supplier": "alfa"}, 2),
    ],
)
def test_filters(client, world, year_with_documents, query, expected):
    client.force_login(world.accountant_a)
    body = card(client, world, year_with_documents, **query).content.decode()
    assert f"0 / {expected} granskade" in body


def test_marking_moves_on_counts_and_is_per_user(client, world, year_with_documents):
    client.force_login(world.accountant_a)
    url = reverse("review:mark", args=[world.a1.pk, year_with_documents.pk])
    body = client.post(
        url,
        {"voucher_series": "A", "voucher_number": "1", "status": "reviewed", "i": 0},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "1 / 4 granskade" in body
    assert "A 2 · 2024-04-10" in body
    body = client.post(
        url,
        {
            "voucher_series": "A",
            "voucher_number": "2",
            "status": "flagged",
            "comment": "Saknar attest",
            "i": 1,
        },
    ).content.decode()
    assert "2 / 4 granskade" in body
    assert VoucherReview.objects.get(series="A", number="2").comment == "Saknar attest"
    client.force_login(world.admin_a)
    assert "0 / 4 granskade" in card(client, world, year_with_documents).content.decode()


def test_review_state_survives_a_ledger_reimport(world, year_with_documents, client):
    client.force_login(world.accountant_a)
    voucher = Voucher.objects.get(fiscal_year=year_with_documents, series="A", number="1")
    client.post(
        reverse("review:mark", args=[world.a1.pk, year_with_documents.pk]),
        {"voucher_series": "A", "voucher_number": "1", "status": "reviewed"},
    )
    voucher.rows.all().delete()
    voucher.delete()
    again = Voucher.objects.create(
        fiscal_year=year_with_documents, series="A", number="1", date=date(2024, 3, 5), source="fortnox"
    )
    assert again.pk != voucher.pk
    assert "1 / 4 granskade" in card(client, world, year_with_documents).content.decode()


def test_client_users_cannot_review(client, world, year_with_documents):
    client.force_login(world.signatory_a1)
    assert card(client, world, year_with_documents).status_code == 404


def test_the_analysis_tab_links_to_the_review(client, world, year_with_documents):
    client.force_login(world.accountant_a)
    body = client.get(reverse("web:company_analysis", args=[world.a1.pk])).content.decode()
    assert f'href="{reverse("review:start", args=[world.a1.pk])}"' in body
    assert "Fakturagranskning" in body


def test_card_urls_serve_htmx_a_card_and_history_restores_the_whole_page(client, world, year_with_documents):
    client.force_login(world.accountant_a)
    url = reverse("review:card", args=[world.a1.pk, year_with_documents.pk])
    first = Voucher.objects.get(fiscal_year=year_with_documents, series="A", number="1")
    second = {"after": CardKey.of(first).token()}
    card_only = client.get(url, second, HTTP_HX_REQUEST="true")
    assert "A 2 · 2024-04-10" in card_only.content.decode()
    assert "<html" not in card_only.content.decode()
    assert "HX-Request" in card_only["Vary"]  # the browser cache keeps the two bodies apart
    restored = client.get(url, second, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restored.content.decode()
    assert "A 2 · 2024-04-10" in restored.content.decode()


def test_marking_puts_the_next_vouchers_address_in_the_location_bar(client, world, year_with_documents):
    client.force_login(world.accountant_a)
    response = client.post(
        reverse("review:mark", args=[world.a1.pk, year_with_documents.pk]) + "?series=A",
        {"voucher_series": "A", "voucher_number": "1", "status": "reviewed", "i": 0, "series": "A"},
        HTTP_HX_REQUEST="true",
    )
    url = reverse("review:card", args=[world.a1.pk, year_with_documents.pk])
    second = Voucher.objects.get(fiscal_year=year_with_documents, series="A", number="2")
    assert response["HX-Push-Url"] == f"{url}?series=A&at={CardKey.of(second).token()}"


def test_a_card_opened_before_a_reimport_still_marks_and_links_its_voucher_by_number(
    client, world, year_with_documents
):
    client.force_login(world.accountant_a)
    body = card(client, world, year_with_documents).content.decode()
    voucher_url = reverse("ledger:voucher", args=[world.a1.pk, year_with_documents.start, "A", "1"])
    assert f'href="{voucher_url}"' in body
    assert 'name="voucher_series" value="A"' in body and 'name="voucher_number" value="1"' in body
    # A replacing import gives the voucher a new row id while the card is on screen.
    old = Voucher.objects.get(fiscal_year=year_with_documents, series="A", number="1")
    old.rows.all().delete()
    old.delete()
    Voucher.objects.create(
        fiscal_year=year_with_documents, series="A", number="1", date=date(2024, 3, 5), source=Source.SIE
    )
    response = client.post(
        reverse("review:mark", args=[world.a1.pk, year_with_documents.pk]),
        {"voucher_series": "A", "voucher_number": "1", "status": "reviewed", "i": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "1 / 4 granskade" in response.content.decode()
    assert client.get(voucher_url).status_code == 200
