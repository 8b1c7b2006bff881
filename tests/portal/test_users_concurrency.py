"""Write paths of the users page run twice at once (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from ledgerport.tenancy import invitations
from ledgerport.tenancy.models import CompanyMembership, Invitation
from ledgerport.tenancy.roles import CompanyRole
from ledgerport.tenancy.services import MembershipError, membership_role_set

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except (MembershipError, invitations.InvitationError) as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_signatories_demoting_each_other_at_once_leave_one():
    from tests.factories import build_world

    world = build_world()
    first = CompanyMembership.objects.get(user=world.signatory_a1, company=world.a1)
    second = CompanyMembership.objects.get(user=world.member_a1, company=world.a1)
    second.role = CompanyRole.SIGNATORY
    second.save()
    outcomes = at_once(
        lambda: membership_role_set(membership=first, role=CompanyRole.MEMBER),
        lambda: membership_role_set(membership=second, role=CompanyRole.MEMBER),
    )
    assert outcomes.count("ok") == 1, outcomes
    assert CompanyMembership.objects.filter(company=world.a1, role=CompanyRole.SIGNATORY).count() == 1


def test_two_invitations_of_one_address_at_once_leave_one_open_invitation():
    from tests.factories import build_world

    world = build_world()

    def invite() -> object:
        return invitations.invitation_create(
            company=world.a1,
            email="dubbel@klient-ett.se",
            role="member",
            invited_by=world.admin_a,
            base_url="http://t/",
        )

    assert at_once(invite, invite) == ["ok", "ok"]
    assert Invitation.objects.filter(company=world.a1, email="dubbel@klient-ett.se").count() == 1
