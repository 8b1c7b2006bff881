"""Logins are recorded with their method, address and user agent; the firm reads a company's
log filtered and in keyset pages; client users do not reach it."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.identity.services import user_set_totp
from tests.factories import PASSWORD, UserFactory

AGENT = "Mozilla/5.0 (Testbrowser)"


def audit_url(company):
    return reverse("portal:users_audit", kwargs={"company_id": company.pk})


def test_a_password_login_is_recorded_per_client_company_with_method_ip_and_agent(world):
    client = Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR="203.0.113.7")
    response = client.post(
        reverse("identity:login"), {"username": world.signatory_a1.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.LOGIN, user=world.signatory_a1)
    assert (entry.company, entry.detail, entry.ip, entry.user_agent) == (
        world.a1,
        "password",
        "203.0.113.7",
        AGENT,
    )


def test_a_firm_users_login_has_no_company(world):
    client = Client()
    client.post(reverse("identity:login"), {"username": world.accountant_a.email, "password": PASSWORD})
    entry = AuditEntry.objects.get(action=Action.LOGIN, user=world.accountant_a)
    assert entry.company is None and entry.detail == "password"


def test_a_password_and_code_login_is_recorded_as_such(world):
    from django_otp.oath import totp

    user = world.member_a1
    user.no_swedish_personnummer = True
    user.save()
    key = "3132333435363738393031323334353637383930"
    user_set_totp(user=user, key_hex=key)
    client = Client()
    client.post(reverse("identity:login"), {"username": user.email, "password": PASSWORD})
    assert not AuditEntry.objects.filter(action=Action.LOGIN).exists()  # only the password so far
    client.post(reverse("identity:login_totp"), {"token": f"{totp(bytes.fromhex(key)):06d}"})
    assert AuditEntry.objects.get(action=Action.LOGIN, user=user).detail == "password+totp"


def test_failed_logins_are_left_to_axes(world):
    Client().post(reverse("identity:login"), {"username": world.signatory_a1.email, "password": "wrong"})
    assert not AuditEntry.objects.filter(action=Action.LOGIN).exists()


def _entries(world, count, **fields):
    start = timezone.now() - timedelta(days=1)
    for i in range(count):
        AuditEntry.objects.create(
            company=world.a1,
            user=world.signatory_a1,
            user_label=world.signatory_a1.email,
            action=fields.get("action", Action.VIEW),
            target_label=f"dok-{i:03d}",
            at=fields.get("at", start + timedelta(seconds=i // 2)),  # pairs share a time: keyset on id too
        )


def test_the_firm_pages_through_the_log_by_keyset(client, world):
    _entries(world, 73)
    client.force_login(world.accountant_a)
    first = client.get(audit_url(world.a1))
    body = first.content.decode()
    assert first.status_code == 200 and "dok-072" in body and "dok-023" in body and "dok-022" not in body
    older = first.context["older"]
    second = client.get(older).content.decode()
    assert "dok-022" in second and "dok-000" in second and "dok-023" not in second
    assert client.get(older).context["older"] is None
    # Every entry exactly once over the pages.
    assert len(first.context["entries"]) + len(client.get(older).context["entries"]) == 73


def test_the_firm_filters_the_log(client, world):
    _entries(world, 3)
    _entries(world, 2, action=Action.DOWNLOAD, at=timezone.now() - timedelta(days=10))
    other = UserFactory(email="annan@alfa.se")
    AuditEntry.objects.create(
        company=world.a1, user=other, user_label=other.email, action=Action.VIEW, target_label="x"
    )
    client.force_login(world.admin_a)
    by_action = client.get(audit_url(world.a1), {"action": "download"}).context["entries"]
    assert [e.action for e in by_action] == ["download", "download"]
    by_user = client.get(audit_url(world.a1), {"user": "annan@"}).context["entries"]
    assert [e.user_label for e in by_user] == ["annan@alfa.se"]
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    recent = client.get(audit_url(world.a1), {"date_from": since}).context["entries"]
    assert {e.action for e in recent} == {"view"} and len(recent) == 4
    # Garbage in the query is ignored, never a 500.
    assert (
        client.get(audit_url(world.a1), {"before": "not-a-cursor", "date_from": "2026-13-45"}).status_code
        == 200
    )


def test_client_users_do_not_reach_the_log_and_no_company_sees_anothers(client, world):
    AuditEntry.objects.create(company=world.a2, action=Action.VIEW, target_label="syskonets-hemlighet")
    for user in (world.signatory_a1, world.member_a1):
        client.force_login(user)
        assert client.get(audit_url(world.a1)).status_code == 404
    client.force_login(world.admin_a)
    assert "syskonets-hemlighet" not in client.get(audit_url(world.a1)).content.decode()
    client.force_login(world.admin_b)
    assert client.get(audit_url(world.a2)).status_code == 404


def test_a_deep_page_costs_what_the_first_does(client, world):
    _entries(world, 120)
    client.force_login(world.accountant_a)
    with CaptureQueriesContext(connection) as first:
        response = client.get(audit_url(world.a1))
    deeper = client.get(response.context["older"]).context["older"]
    with CaptureQueriesContext(connection) as third:
        assert len(client.get(deeper).context["entries"]) == 20
    # The same statements as the first page: no OFFSET to skip, no COUNT of what lies behind.
    assert len(third.captured_queries) == len(first.captured_queries)
    # (The top bar's bell counts its own unread notifications; only the log's reads matter here.)
    log_reads = [q["sql"] for q in third.captured_queries if "audit_auditentry" in q["sql"]]
    assert log_reads and not any("OFFSET" in sql or "COUNT(" in sql for sql in log_reads)
