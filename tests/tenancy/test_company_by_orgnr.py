"""The operators' console commands find a company by its org number, never a deleted one."""

import pytest
from django.core.management import CommandError, call_command

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import company_by_orgnr


@pytest.mark.django_db
def test_a_client_added_again_after_deletion_is_the_one_found(world):
    orgnr = world.a1.orgnr
    world.a1.delete()
    with pytest.raises(Company.DoesNotExist):
        company_by_orgnr(orgnr=orgnr)
    again = Company.objects.create(firm=world.firm_a, name="Alfa Klient Ett AB", orgnr=orgnr)
    assert company_by_orgnr(orgnr=orgnr) == again
    assert company_by_orgnr(orgnr=f"{orgnr[:6]}-{orgnr[6:]}", firm=world.firm_a.name) == again


@pytest.mark.django_db
def test_a_command_naming_a_deleted_company_says_so(world):
    world.a1.delete()
    with pytest.raises(CommandError, match="No company with organisation number"):
        call_command("sync", world.a1.orgnr, "fortnox", "--wait")
