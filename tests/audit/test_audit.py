"""The audit trail records who, when, from where; it is scoped like every tenant model and
the product can neither change nor delete an entry."""

from __future__ import annotations

import pytest
from django.db import models
from django.db.models import ProtectedError
from django.test import RequestFactory

from ledgerport.audit.models import Action, AuditEntry, AuditEntryDeleteRefused
from ledgerport.audit.selectors import audit_for_target
from ledgerport.audit.services import audit_record
from tests.factories import build_world

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Mobile Safari " * 40)
    request.user = user
    return request


def test_an_entry_names_the_user_the_address_and_the_target():
    world = build_world()
    entry = audit_record(
        request=_request(world.member_a1), action=Action.VIEW, company=world.a1, target=world.a1
    )
    entry.refresh_from_db()
    assert (entry.user, entry.user_label, entry.ip) == (world.member_a1, world.member_a1.email, "192.0.2.7")
    assert entry.target_type == "tenancy.company" and entry.target_id == str(world.a1.pk)
    assert len(entry.user_agent) == 300
    assert list(audit_for_target(company=world.a1, target=world.a1)) == [entry]
    assert list(audit_for_target(company=world.a2, target=world.a1)) == []


def test_entries_are_scoped_to_the_companies_a_user_may_view():
    world = build_world()
    mine = audit_record(request=_request(world.admin_a), action=Action.VIEW, company=world.a1)
    theirs = audit_record(request=_request(world.admin_b), action=Action.VIEW, company=world.b1)
    assert set(AuditEntry.objects.for_user(world.member_a1)) == {mine}
    assert set(AuditEntry.objects.for_user(world.admin_b)) == {theirs}


def test_entries_cannot_be_changed_or_deleted():
    world = build_world()
    entry = audit_record(request=None, action=Action.UPLOAD, company=world.a1, user=world.admin_a)
    entry.detail = "rewritten"
    with pytest.raises(AuditEntryDeleteRefused):
        entry.save()
    with pytest.raises(AuditEntryDeleteRefused):
        entry.delete()
    with pytest.raises(AuditEntryDeleteRefused):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditEntryDeleteRefused):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="x")
    world.a1.delete()  # deleting a company marks it
    world.a1.refresh_from_db()
    assert world.a1.deleted_at is not None
    with pytest.raises(ProtectedError):  # and a raw delete past the marking is stopped by the key
        models.Model.delete(world.a1)
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""
