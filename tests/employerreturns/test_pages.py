"""The a-melding's pages: in bokmål for a Norwegian company, the firm's only (a client's users
and another firm's get nothing), every problem of a file shown, the submit and the feedback."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledgerport.employerreturns import services
from ledgerport.employerreturns.models import EmployerReturn, ReturnState
from ledgerport.tenancy.models import CompanyMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, company, employer_return=None):
    args = [company.pk] + ([employer_return.pk] if employer_return else [])
    return reverse(f"employerreturns:{name}", args=args)


@pytest.fixture
def firm(client, world):
    client.force_login(world.accountant_a)
    return client


@pytest.fixture
def november(fjordlys):
    return services.return_open(company=fjordlys, month="2026-11")


def test_the_month_list_opens_a_month(firm, fjordlys):
    page = firm.get(url("months", fjordlys)).content.decode()
    assert "Ingen a-melding ennå." in page and "Åpne en måned" in page
    answer = firm.post(url("months", fjordlys), {"month": "2026-11"})
    found = EmployerReturn.objects.get(company=fjordlys, month="2026-11")
    assert answer.status_code == 302 and answer["Location"] == url("detail", fjordlys, found)
    again = firm.post(url("months", fjordlys), {"month": "2026-11"})
    assert again["Location"] == answer["Location"]  # the same month, not a second one
    bad = firm.post(url("months", fjordlys), {"month": "2026-13"}).content.decode()
    assert "Skriv inn en måned som åååå-mm, fra 2014-01." in bad


def test_import_review_submit_and_feedback(firm, fjordlys, november, csv_bytes, at_sandbox):
    upload = SimpleUploadedFile("amelding.csv", csv_bytes, content_type="text/csv")
    answer = firm.post(url("import", fjordlys, november), {"file": upload})
    assert answer.status_code == 302
    page = firm.get(url("detail", fjordlys, november)).content.decode()
    assert page.count('data-testid="amelding-employee"') == 2
    assert "31\u00a0383,00" in page and "14\u00a0590,00" in page  # sumForskuddstrekk, sumArbeidsgiveravgift
    assert 'data-testid="amelding-valid"' in page and "Send inn" in page
    answer = firm.post(url("submit", fjordlys, november))
    assert answer.status_code == 302
    november.refresh_from_db()
    assert november.state == ReturnState.SUBMITTED
    firm.post(url("refresh", fjordlys, november))
    page = firm.get(url("detail", fjordlys, november)).content.decode()
    assert 'data-testid="feedback-status"' in page and "Mottatt av Skatteetaten (mottatt)" in page
    assert "Ingen avvik." in page


def test_a_broken_file_shows_every_problem_and_stores_nothing(
    firm, fjordlys, november, csv_bytes, at_sandbox
):
    broken = csv_bytes.replace(b"41200", b"41x00").replace(
        b"973587102;generelleNaeringer;1;", b"973587102;generelleNaeringer;9;"
    )
    answer = firm.post(url("import", fjordlys, november), {"file": SimpleUploadedFile("a.csv", broken)})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "Linje 9, kolonne 9: 41x00 er ikke et beløp" in page
    november.refresh_from_db()
    assert november.summary_csv == ""


def test_a_line_entered_with_wrong_values_names_each_field(firm, fjordlys, november, at_sandbox):
    answer = firm.post(
        url("line_add", fjordlys, november),
        {
            "payout_date": "20.12.2026",
            "unit": "973587103",
            "person": "12345678901",
            "amount": "abc",
            "rate": "20",
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    for field in ("payout_date", "unit", "person", "amount", "rate", "start"):
        assert f'data-testid="error-{field}"' in page, field
    assert "Utbetalingsdatoen må være i 2026-11." in page


def test_a_line_entered_is_shown(firm, fjordlys, november, at_sandbox):
    data = {
        "payout_date": "20.11.2026",
        "unit": "973587102",
        "contribution_code": "generelleNaeringer",
        "zone": "1",
        "rate": "14,1",
        "person": "27867831180",
        "name": "Kari Nordmann",
        "employment_id": "1",
        "employment_kind": "ordinaertArbeidsforhold",
        "start": "01.01.2025",
        "position_percent": "100",
        "hours_per_week": "37,5",
        "working_time": "ikkeSkift",
        "description": "fastloenn",
        "benefit": "kontantytelse",
        "triggers_contribution": "on",
        "withholding_basis": "on",
        "amount": "40 000,00",
        "withheld": "12000",
    }
    assert firm.post(url("line_add", fjordlys, november), data).status_code == 302
    page = firm.get(url("detail", fjordlys, november)).content.decode()
    assert "Kari Nordmann" in page and "5\u00a0640,00" in page  # 40 000 × 14,1 %


@pytest.mark.parametrize("who", ["signatory", "member"])
def test_a_client_user_is_refused(client, world, fjordlys, november, who):
    user = UserFactory(email=f"{who}@fjordlys.no")
    CompanyMembership.objects.create(company=fjordlys, user=user, role=who)
    client.force_login(user)
    assert client.get(url("detail", fjordlys, november)).status_code in (403, 404)
    assert client.post(url("submit", fjordlys, november)).status_code in (403, 404)


def test_another_firms_user_gets_404(client, world, fjordlys, november):
    client.force_login(world.admin_b)
    for name in ("detail", "submit", "import", "refresh"):
        method = client.get if name == "detail" else client.post
        assert method(url(name, fjordlys, november)).status_code == 404
    assert client.get(url("months", fjordlys)).status_code == 404


def test_another_companys_return_is_not_found_under_this_company(firm, world, fjordlys, november):
    other = services.return_open(company=world.a1, month="2026-11")
    assert firm.get(url("detail", fjordlys, other)).status_code == 404


def test_the_payroll_tab_links_a_norwegian_company_to_the_a_melding(firm, fjordlys, world):
    assert (
        'data-testid="amelding-link"'
        in firm.get(reverse("payroll:runs", args=[fjordlys.pk])).content.decode()
    )
    assert (
        'data-testid="amelding-link"'
        not in firm.get(reverse("payroll:runs", args=[world.a1.pk])).content.decode()
    )


def test_the_sums_are_shown_beside_the_books(firm, fjordlys, november, csv_bytes, world, at_sandbox):
    """A loaded ledger's November: 2600 credited the withheld tax; 5400/2770 one krone short."""
    import datetime
    from decimal import Decimal

    from ledgerport.ledger.models import Account, FiscalYear, PeriodSum

    year = FiscalYear.objects.create(
        company=fjordlys, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), source="saft"
    )
    for number, kind, debit, credit in [
        ("2600", "S", Decimal(0), Decimal(-31383)),
        ("5400", "K", Decimal(14589), Decimal(0)),
        ("2770", "S", Decimal(0), Decimal(-14589)),
    ]:
        account = Account.objects.create(fiscal_year=year, number=number, type=kind)
        PeriodSum.objects.create(fiscal_year=year, account=account, period=202611, debit=debit, credit=credit)
    services.return_import_csv(employer_return=november, data=csv_bytes, user=world.accountant_a)
    page = firm.get(url("detail", fjordlys, november)).content.decode()
    assert 'data-testid="amelding-reconciliation"' in page
    rows = page.split('data-testid="reconciliation-row"')[1:]
    assert 'data-account="2600"' in rows[0] and rows[0].count("31\u00a0383,00") == 2 and ">0,00<" in rows[0]
    assert 'data-account="5400"' in rows[1] and ">1,00<" in rows[1]
    assert 'data-account="2770"' in rows[2] and ">1,00<" in rows[2]
