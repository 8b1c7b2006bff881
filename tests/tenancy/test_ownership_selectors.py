"""The two ownership reads every view goes through (tenancy/selectors.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.selectors import company_get, fiscal_year_get


def year(company, *, staging: bool = False) -> FiscalYear:
    return FiscalYear.all_objects.create(
        company=company, start=date(2025, 1, 1), end=date(2025, 12, 31), staging=staging
    )


def test_company_get_finds_only_what_the_user_may_do(world):
    assert company_get(user=world.accountant_a, pk=world.a1.pk, action="work") == world.a1
    assert company_get(user=world.member_a1, pk=world.a1.pk, action="view") == world.a1
    for user, company, action in [
        (world.admin_b, world.a1, "view"),  # another firm's client
        (world.member_a1, world.a2, "view"),  # a sibling company
        (world.member_a1, world.a1, "work"),  # a client role may look, not work
    ]:
        with pytest.raises(Http404):
            company_get(user=user, pk=company.pk, action=action)


def test_fiscal_year_get_is_the_year_of_this_company_or_404(world):
    own, sibling, foreign = year(world.a1), year(world.a2), year(world.b1)
    found = fiscal_year_get(company=world.a1, pk=own.pk)
    assert found == own
    for other in (sibling, foreign):
        with pytest.raises(Http404):
            fiscal_year_get(company=world.a1, pk=other.pk)
    with pytest.raises(Http404):
        fiscal_year_get(company=world.a1, pk=own.pk + 10_000)


def test_fiscal_year_get_never_shows_a_year_being_loaded(world):
    hidden = year(world.a1, staging=True)
    with pytest.raises(Http404):
        fiscal_year_get(company=world.a1, pk=hidden.pk)


def test_can_answers_from_the_roles_company_get_read_as_the_scoping_would(world, django_assert_num_queries):
    from ledgerport.tenancy.models import Company, CompanyMembership
    from ledgerport.tenancy.roles import ACTIONS
    from ledgerport.tenancy.selectors import can

    # Both a firm's accountant and a client's signatory: the actions of both roles.
    CompanyMembership.objects.create(company=world.a1, user=world.accountant_a, role="signatory")
    users = [world.admin_a, world.accountant_a, world.signatory_a1, world.member_a1, world.admin_b]
    checked = 0
    for user in users:
        for company in (world.a1, world.a2, world.b1):
            try:
                found = company_get(user=user, pk=company.pk, action="view")
            except Http404:
                continue
            for action in ACTIONS:
                expected = Company.objects.for_user(user, action).filter(pk=company.pk).exists()
                with django_assert_num_queries(0):
                    assert can(user, found, action) is expected, (user, company, action)
                checked += 1
    assert checked == len(ACTIONS) * 7  # admin_a and accountant_a: a1, a2; the clients: a1; admin_b: b1
    found = company_get(user=world.accountant_a, pk=world.a1.pk, action="view")
    assert can(world.accountant_a, found, "approve") and not can(world.accountant_a, found, "manage")
    with django_assert_num_queries(1):  # another user: asked through the scoping
        assert can(world.member_a1, found, "work") is False
