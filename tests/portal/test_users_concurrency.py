"""Write paths of the users page run twice at once (PostgreSQL: real row locks)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ledgerport.tenancy import invitations
from ledgerport.tenancy.models import CompanyMembership, Invitation
from ledgerport.tenancy.roles import CompanyRole
from ledgerport.tenancy.services import MembershipError, membership_role_set
from tests.concurrency import at_once, needs_postgres

pytestmark = [
    needs_postgres,  # row locks
    pytest.mark.django_db(transaction=True),
]


def outcomes_at_once(*calls: Callable[[], object]) -> list[str]:
    """Each call's outcome, run at once: "ok", or the message it was refused with."""
    outcomes = []
    for result in at_once(calls):
        if isinstance(result, MembershipError | invitations.InvitationError):
            outcomes.append(str(result))
        elif isinstance(result, Exception):
            raise result
        else:
            outcomes.append("ok")
    return outcomes


def test_two_signatories_demoting_each_other_at_once_leave_one():
    from tests.factories import build_world

    world = build_world()
    first = CompanyMembership.objects.get(user=world.signatory_a1, company=world.a1)
    second = CompanyMembership.objects.get(user=world.member_a1, company=world.a1)
    second.role = CompanyRole.SIGNATORY
    second.save()
    outcomes = outcomes_at_once(
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

    assert outcomes_at_once(invite, invite) == ["ok", "ok"]
    assert Invitation.objects.filter(company=world.a1, email="dubbel@klient-ett.se").count() == 1
