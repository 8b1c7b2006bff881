"""All of a person's notifications (the bell lists the latest 10 only): paged newest first across
documents and cases, unread marked, "Markera alla som lästa", only their own and only of
companies they may still see."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from ledgerport.cases.models import Case, CaseEvent, CaseNotification
from ledgerport.documents.models import UploadBatch
from ledgerport.portal.models import Notification
from ledgerport.portal.notification_feed import FeedKey, feed_page

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


def _document_note(world, user, company, at, *, read=False):
    batch = UploadBatch.objects.create(company=company, uploaded_by=world.accountant_a, folder="2026/tax/11")
    return Notification.objects.create(
        company=company,
        user=user,
        batch=batch,
        folder=batch.folder,
        count=2,
        created_at=at,
        read_at=at if read else None,
    )


def _case_note(user, case, at, *, read=False):
    return CaseNotification.objects.create(
        case=case, user=user, event=CaseEvent.MESSAGE, created_at=at, read_at=at if read else None
    )


@pytest.fixture
def feed(world):
    """30 of each kind for the member, in pairs at the same moment (ties across the sources), every
    third read; and notifications they must never see."""
    case = Case.objects.create(company=world.a1, title="Kvitton november")
    for i in range(30):
        at = START + datetime.timedelta(minutes=i)
        _document_note(world, world.member_a1, world.a1, at, read=i % 3 == 0)
        _case_note(world.member_a1, case, at, read=i % 3 == 0)
    _document_note(world, world.signatory_a1, world.a1, START)  # someone else's
    _document_note(world, world.member_a1, world.b1, START)  # a company the member does not reach
    secret = Case.objects.create(company=world.b1, title="Hemligt ärende")
    _case_note(world.member_a1, secret, START)
    return case


def _all_pages(user, size):
    items, after, pages = [], None, 0
    while True:
        page = feed_page(user=user, after=after, size=size)
        items += page.items
        pages += 1
        if not page.next:
            return items, pages
        after = FeedKey.parse(page.next)


@pytest.mark.parametrize("size", [1, 7, 25, 60, 61])
def test_paging_walks_every_notification_once_newest_first(world, feed, size):
    items, pages = _all_pages(world.member_a1, size)
    assert len(items) == 60 and len({(i.key.rank, i.key.pk) for i in items}) == 60
    assert [i.key for i in items] == sorted((i.key for i in items), reverse=True)
    assert pages == -(-60 // size)
    assert {i.company_name for i in items} == {"Alfa Klient Ett AB"}
    newest = items[0].key.created_at
    assert newest == START + datetime.timedelta(minutes=29)
    assert sum(i.unread for i in items) == 40


def test_the_page_marks_unread_links_each_entry_and_pages_on(client, world, feed):
    client.force_login(world.member_a1)
    first = client.get(reverse("portal:notifications"))
    html = first.content.decode()
    assert first.status_code == 200
    assert html.count('data-testid="feed-item"') == 25
    assert html.count('data-unread="true"') == 17  # minutes 29..17, both kinds, every third read
    assert "Hemlig" not in html
    assert f"/companies/{world.a1.pk}/cases/{feed.pk}/" in html
    assert f"/companies/{world.a1.pk}/archive/2026/tax/11/" in html
    older = re.search(r'href="([^"]+)" data-testid="feed-older"', html).group(1).replace("&amp;", "&")
    second = client.get(older).content.decode()
    assert second.count('data-testid="feed-item"') == 25 and 'data-testid="feed-newest"' in second
    # A malformed cursor is the first page, never an error.
    for garbage in ("x", "1.2", "99999999999999999.0.1", "-1.0.1", "1.0.1\x00"):
        response = client.get(reverse("portal:notifications"), {"after": garbage})
        assert response.status_code in (200, 400)


def test_mark_all_as_read_reads_only_the_persons_own(client, world, feed):
    client.force_login(world.member_a1)
    response = client.post(reverse("portal:notifications_read_all"), follow=True)
    assert response.status_code == 200
    assert 'data-unread="true"' not in response.content.decode()
    visible = [Notification.objects.filter(company=world.a1), CaseNotification.objects.filter(case=feed)]
    assert not any(rows.filter(user=world.member_a1, read_at__isnull=True).exists() for rows in visible)
    # Another person's, and the entries of a company the member no longer reaches, stay as they were.
    assert Notification.objects.filter(user=world.signatory_a1, read_at__isnull=True).count() == 1
    assert Notification.objects.filter(company=world.b1, read_at__isnull=True).count() == 1
    assert CaseNotification.objects.filter(case__company=world.b1, read_at__isnull=True).count() == 1


def test_the_bell_links_to_the_page_and_a_stranger_sees_nothing(client, world, feed):
    client.force_login(world.admin_b)
    html = client.get(reverse("portal:notifications")).content.decode()
    assert 'data-testid="feed-empty"' in html and 'data-testid="bell-all"' in html
    assert client.get(reverse("portal:notifications_read_all")).status_code == 405
    client.logout()
    assert client.get(reverse("portal:notifications")).status_code == 302  # to the login
