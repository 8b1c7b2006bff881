"""The review card by keyset: every voucher with a document once, in order, both ways."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledgerport.documents.services import document_store, voucher_document_link
from ledgerport.ledger.models import FiscalYear, Source, Voucher
from ledgerport.review.selectors import CardKey, Filters, review_card

pytestmark = pytest.mark.django_db

# Same days, series and numbers that sort as text, a dot and a slash in them, a number the
# file repeated (two vouchers A 7 on one day), and vouchers without documents in between.
SPECS = [
    (date(2024, 1, 2), "A", "7", True),
    (date(2024, 1, 2), "A", "7", True),
    (date(2024, 1, 2), "A", "10", True),
    (date(2024, 1, 2), "B.1", "x/y", True),
    (date(2024, 1, 3), "A", "8", False),
    (date(2024, 1, 3), "", "", True),
    (date(2024, 2, 1), "A", "9", True),
    (date(2024, 2, 1), "A", "99", False),
    (date(2024, 3, 1), "C", "1.5", True),
]


@pytest.fixture
def year(world):
    year = FiscalYear.objects.create(
        company=world.a1, start=date(2024, 1, 1), end=date(2024, 12, 31), source=Source.SIE, full_ledger=True
    )
    for day, series, number, with_document in SPECS:
        Voucher.objects.create(fiscal_year=year, series=series, number=number, date=day, source=Source.SIE)
        if with_document:
            document = document_store(
                company=world.a1,
                content=b"%PDF-1.4\n" + f"{series}{number}".encode(),
                file_name="f.pdf",
                source="test",
                external_id=f"{series}-{number}",
            )
            voucher_document_link(document=document, fiscal_year=year, series=series, number=number)
    return year


def _expected(year):
    linked = {(s, n) for _, s, n, with_document in SPECS if with_document}
    vouchers = Voucher.objects.filter(fiscal_year=year).order_by("date", "series", "number", "id")
    return [v.pk for v in vouchers if (v.series, v.number) in linked]


def test_next_walks_the_whole_queue_once_and_previous_walks_it_back(year, world):
    queue = Filters()
    user = world.accountant_a
    cards = [review_card(year, queue, user)]
    while cards[-1].next:
        cards.append(review_card(year, queue, user, after=cards[-1].next))
    assert [c.voucher.pk for c in cards] == _expected(year)
    assert [c.position for c in cards] == list(range(1, len(cards) + 1))
    assert all(c.total == len(cards) for c in cards)
    assert not cards[0].previous and all(c.previous for c in cards[1:])
    back = cards[-1]
    for card in reversed(cards[:-1]):
        back = review_card(year, queue, user, before=back.previous)
        assert (back.voucher.pk, back.position) == (card.voucher.pk, card.position)
    for card in cards:  # a card's own address shows it again
        again = review_card(year, queue, user, at=CardKey.of(card.voucher).token())
        assert again.voucher.pk == card.voucher.pk


@pytest.mark.parametrize("token", ["", "junk", "2024-02-30.A.1.1", "2024-01-02.A.7.x", "a.b.c.d.e"])
def test_a_malformed_address_shows_the_first_card(year, world, token):
    queue = Filters()
    first = review_card(year, queue, world.accountant_a).voucher
    for where in ("after", "before", "at"):
        assert review_card(year, queue, world.accountant_a, **{where: token}).voucher == first


def test_past_either_end_it_stays_on_the_nearest_card(year, world):
    queue = Filters()
    order = _expected(year)
    last = Voucher.objects.get(pk=order[-1])
    first = Voucher.objects.get(pk=order[0])
    after_last = review_card(year, queue, world.accountant_a, after=CardKey.of(last).token())
    assert after_last.voucher.pk == last.pk and not after_last.next and after_last.position == len(order)
    before_first = review_card(year, queue, world.accountant_a, before=CardKey.of(first).token())
    assert before_first.voucher.pk == first.pk and not before_first.previous


def test_an_empty_queue_has_no_card(year, world):
    card = review_card(year, Filters(series="Z"), world.accountant_a)
    assert (card.voucher, card.position, card.total, card.previous, card.next) == (None, 0, 0, "", "")


def test_the_card_pages_use_no_offset(client, world, year):
    client.force_login(world.accountant_a)
    url = reverse("review:card", args=[world.a1.pk, year.pk])
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
        second = client.get(url, {"after": CardKey.of(Voucher.objects.get(pk=_expected(year)[0])).token()})
    assert "verifikation 1 av 7" in body
    assert "verifikation 2 av 7" in second.content.decode()
    assert all("OFFSET" not in q["sql"].upper() for q in queries.captured_queries)


def test_the_cached_queue_follows_new_links_removed_documents_and_verdicts(year, world):
    from ledgerport.documents.models import VoucherDocument
    from ledgerport.review.services import voucher_review_mark

    user, queue = world.accountant_a, Filters()
    last = review_card(year, queue, user, at=CardKey.of(Voucher.objects.get(series="C")).token())
    assert (last.position, last.total, last.done) == (7, 7, 0)
    review_card(year, queue, user)  # the queue is cached now
    # A sync links a document to A 8 (2024-01-03), which comes before C 1.5.
    document = document_store(
        company=world.a1, content=b"%PDF-1.4\nA8", file_name="a8.pdf", source="test", external_id="A-8"
    )
    voucher_document_link(document=document, fiscal_year=year, series="A", number="8")
    last = review_card(year, queue, user, at=CardKey.of(last.voucher).token())
    assert (last.position, last.total) == (8, 8)
    voucher_review_mark(user=user, voucher=Voucher.objects.get(series="A", number="10"), status="reviewed")
    assert review_card(year, queue, user).done == 1
    # Documents are kept for the retention period; what can go is the link to the voucher.
    VoucherDocument.objects.filter(document=document).delete()
    last = review_card(year, queue, user, at=CardKey.of(last.voucher).token())
    assert (last.position, last.total, last.done) == (7, 7, 1)
