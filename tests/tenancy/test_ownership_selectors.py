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
