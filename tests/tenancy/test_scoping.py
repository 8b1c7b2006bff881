"""The scoping matrix: every role × action × company, against the role table."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ledgerport.tenancy import roles
from ledgerport.tenancy.models import Company, CompanyMembership, Firm

# role -> action -> the companies (of a1, a2, b1) it may act on.
EXPECTED = {
    "admin_a": {
        "view": {"a1", "a2"},
        "work": {"a1", "a2"},
        "approve": set(),
        "manage": {"a1", "a2"},
        "invite": {"a1", "a2"},
    },
    "accountant_a": {
        "view": {"a1", "a2"},
        "work": {"a1", "a2"},
        "approve": set(),
        "manage": set(),
        "invite": {"a1", "a2"},
    },
    "signatory_a1": {"view": {"a1"}, "work": set(), "approve": {"a1"}, "manage": set(), "invite": {"a1"}},
    "member_a1": {"view": {"a1"}, "work": set(), "approve": set(), "manage": set(), "invite": set()},
    "signatory_a2": {"view": {"a2"}, "work": set(), "approve": {"a2"}, "manage": set(), "invite": {"a2"}},
    "admin_b": {"view": {"b1"}, "work": {"b1"}, "approve": set(), "manage": {"b1"}, "invite": {"b1"}},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("action", roles.ACTIONS)
def test_company_scoping_matrix(world, who, action):
    user = getattr(world, who)
    names = {"a1": world.a1, "a2": world.a2, "b1": world.b1}
    visible = set(Company.objects.for_user(user, action).values_list("pk", flat=True))
    assert visible == {names[key].pk for key in EXPECTED[who][action]}


@pytest.mark.parametrize("action", roles.ACTIONS)
def test_anonymous_and_inactive_see_nothing(world, action):
    assert not Company.objects.for_user(AnonymousUser(), action).exists()
    world.admin_a.is_active = False
    world.admin_a.save()
    assert not Company.objects.for_user(world.admin_a, action).exists()


def test_staff_and_superusers_get_no_bypass(world):
    world.admin_b.is_superuser = world.admin_b.is_staff = True
    world.admin_b.save()
    assert set(Company.objects.for_user(world.admin_b).values_list("name", flat=True)) == {world.b1.name}


def test_nested_models_scope_through_their_company_path(world):
    visible = CompanyMembership.objects.for_user(world.accountant_a)
    assert {m.company_id for m in visible} == {world.a1.pk, world.a2.pk}
    assert not CompanyMembership.objects.for_user(world.admin_b).filter(company=world.a1).exists()


def test_scoped_query_has_no_duplicates_for_users_with_two_memberships(world):
    # A firm accountant who is also a client user of a1 sees a1 once.
    CompanyMembership.objects.create(company=world.a1, user=world.accountant_a, role="member")
    assert Company.objects.for_user(world.accountant_a).count() == 2


def test_firms_visible_to_a_client_are_only_their_accountants(world):
    assert list(Firm.objects.for_user(world.member_a1)) == [world.firm_a]


def test_unknown_action_is_refused(world):
    with pytest.raises(ValueError, match="Unknown action"):
        Company.objects.for_user(world.admin_a, "delete")
