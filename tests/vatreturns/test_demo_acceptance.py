"""ACCEPTANCE: a draft of every term of the seeded Norwegian demo company validates against the
XSD and our rules, and its total equals the ledger's VAT accounts. (Accepted by the sandbox:
tests/browser/test_vat_return_flow.py, through the real provider package.)"""

from __future__ import annotations

import pytest
from django.utils import timezone

from ledgerport.demo.seed import seed_demo
from ledgerport.mvamelding import ANNUAL, Term, validate
from ledgerport.tenancy.models import Company
from ledgerport.vatreturns import services

pytestmark = pytest.mark.django_db


def test_every_term_of_the_demo_company_validates_and_reconciles():
    seed_demo()
    company = Company.objects.get(orgnr="923609016", country="NO")
    year = timezone.localdate().year
    user = company.firm.memberships.first().user
    for number in [1, 2, 3, 4, 5, 6, ANNUAL]:
        vat_return = services.draft_compute(company=company, user=user, term=Term(year, number))
        assert vat_return.problems == [] and validate(vat_return.melding_xml.encode()) == []
        assert vat_return.lines and vat_return.total == vat_return.ledger_total, number
        codes = {line["code"] for line in vat_return.lines}
        assert {"1", "3", "11", "13", "31", "33", "86", "14"} <= codes
    annual = services.draft_compute(company=company, user=user, term=Term(year, ANNUAL))
    assert {"5", "6", "81"} <= {line["code"] for line in annual.lines}
