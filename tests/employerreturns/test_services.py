"""The a-melding's services against the sandbox: import (a broken file stores nothing), enter
lines, send once (twice at once, or retried after a crash), replace, poll the feedback."""

from __future__ import annotations

import uuid

import httpx
import pytest
from django.utils import translation

from ledgerport.amelding import jsonio
from ledgerport.audit.models import AuditEntry
from ledgerport.connectors.altinn import amelding as altinn_amelding
from ledgerport.employerreturns import services
from ledgerport.employerreturns.models import EmployerReturn, ReturnState
from ledgerport.employerreturns.tasks import employer_return_poll
from tests.concurrency import at_once, needs_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the source strings), whatever an earlier test left active."""
    with translation.override("en"):
        yield


def deliveries(sandbox):
    return httpx.get(f"{sandbox.url}/_control/altinn/amelding", timeout=10).json()["deliveries"]


@pytest.fixture
def draft(fjordlys, world, csv_bytes, at_sandbox):
    found = services.return_open(company=fjordlys, month="2026-11")
    services.return_import_csv(employer_return=found, data=csv_bytes, user=world.accountant_a)
    found.refresh_from_db()
    return found


def test_import_stores_the_summary_and_it_can_be_sent(draft):
    assert services.problems_of(draft) == []
    summary = services.summary_of(draft)
    assert [e.person for _, e in summary.employees] == ["12838512311", "04919245730"]
    assert AuditEntry.objects.filter(company=draft.company, action="upload", detail="a-melding CSV").exists()


def test_a_broken_file_stores_nothing(draft, world, csv_bytes):
    before = draft.summary_csv
    broken = csv_bytes.replace(b"41200", b"41x00").replace(b"04919245730;11639", b"04919245730;-5")
    with pytest.raises(services.EmployerReturnError) as caught:
        services.return_import_csv(employer_return=draft, data=broken, user=world.accountant_a)
    assert any("Line 9, column 9" in m for m in caught.value.messages)
    draft.refresh_from_db()
    assert draft.summary_csv == before


def test_a_file_of_another_company_or_month_is_refused(fjordlys, world, csv_bytes, at_sandbox):
    december = services.return_open(company=fjordlys, month="2026-12")
    with pytest.raises(services.EmployerReturnError) as caught:
        services.return_import_csv(employer_return=december, data=csv_bytes, user=world.accountant_a)
    assert caught.value.messages == ["The file is for 2026-11, not 2026-12."]
    december.refresh_from_db()
    assert december.summary_csv == ""


def test_submit_files_once_and_the_poll_stores_the_feedback(draft, world, at_sandbox):
    sent = services.return_submit(employer_return=draft, user=world.accountant_a)
    assert sent.state == ReturnState.SUBMITTED and sent.reference and sent.message_id
    again = services.return_submit(employer_return=draft, user=world.accountant_a)
    assert again.reference == sent.reference
    assert len(deliveries(at_sandbox)) == 1
    document = jsonio.loads(sent.leveranse_json)["leveranse"]
    assert (
        document["meldingsId"] == sent.message_id
        and document["opplysningspliktig"]["norskIdentifikator"] == "923609016"
    )
    assert employer_return_poll.apply(args=(sent.pk,)).get() == ReturnState.ACCEPTED
    sent.refresh_from_db()
    assert sent.feedback["mottakstatus"] == "mottatt" and sent.feedback["beregnetArbeidsgiveravgift"] == 14590
    assert services.return_poll(pk=sent.pk).state == ReturnState.ACCEPTED  # again: nothing changes
    assert AuditEntry.objects.filter(action="file", detail__startswith="a-melding 2026-11").count() == 1


def test_the_feedback_waits_until_ready(draft, world, at_sandbox):
    at_sandbox.control("altinn/amelding", feedback_delay=60)
    sent = services.return_submit(employer_return=draft, user=world.accountant_a)
    assert services.return_poll(pk=sent.pk).state == ReturnState.SUBMITTED
    at_sandbox.advance_clock(61)
    assert services.return_poll(pk=sent.pk).state == ReturnState.ACCEPTED


def test_a_submit_killed_after_the_authority_answered_files_once_when_retried(draft, world, at_sandbox):
    fixed = services._fix_delivery(draft.pk)
    # The process sent the delivery and died before its commit: the authority has it.
    altinn_amelding.submit(
        fixed.company, fixed.month, jsonio.loads(fixed.leveranse_json), str(fixed.idempotency_key)
    )
    sent = services.return_submit(employer_return=draft, user=world.accountant_a)
    assert sent.state == ReturnState.SUBMITTED
    assert len(deliveries(at_sandbox)) == 1 and deliveries(at_sandbox)[0]["forsendelseId"] == sent.reference


def test_a_failed_submit_keeps_the_draft_and_its_key(draft, world, at_sandbox):
    httpx.request(
        "DELETE", f"{at_sandbox.url}/_control/altinn/systemusers", json={"orgnr": "923609016"}, timeout=10
    )
    with pytest.raises(services.EmployerReturnError) as caught:
        services.return_submit(employer_return=draft, user=world.accountant_a)
    assert caught.value.messages == ["The company has not approved Ledgerport's system user in Altinn."]
    draft.refresh_from_db()
    assert draft.state == ReturnState.DRAFT and draft.idempotency_key
    key = draft.idempotency_key
    at_sandbox.control("altinn/systemusers", orgnr="923609016")
    sent = services.return_submit(employer_return=draft, user=world.accountant_a)
    assert sent.idempotency_key == key and len(deliveries(at_sandbox)) == 1


def test_a_received_return_is_replaced_by_the_next(draft, world, csv_bytes, at_sandbox):
    first = services.return_submit(employer_return=draft, user=world.accountant_a)
    services.return_poll(pk=first.pk)
    services.return_import_csv(
        employer_return=draft, data=csv_bytes.replace(b"41200", b"42200"), user=world.accountant_a
    )
    draft.refresh_from_db()
    assert draft.state == ReturnState.DRAFT and draft.replaces == first.message_id and len(draft.history) == 1
    second = services.return_submit(employer_return=draft, user=world.accountant_a)
    assert jsonio.loads(second.leveranse_json)["leveranse"]["erstatterMeldingsId"] == first.message_id
    assert services.return_poll(pk=second.pk).state == ReturnState.ACCEPTED


def test_a_sent_return_cannot_be_changed_until_answered(draft, world, csv_bytes, at_sandbox):
    at_sandbox.control("altinn/amelding", feedback_delay=600)
    services.return_submit(employer_return=draft, user=world.accountant_a)
    with pytest.raises(services.EmployerReturnError):
        services.return_import_csv(employer_return=draft, data=csv_bytes, user=world.accountant_a)


def test_lines_entered_on_the_page_make_a_valid_return(fjordlys, world, at_sandbox):
    import datetime
    from decimal import Decimal

    found = services.return_open(company=fjordlys, month="2026-11")
    line = {
        "payout_date": datetime.date(2026, 11, 20),
        "unit": "973587102",
        "contribution_code": "generelleNaeringer",
        "zone": "1",
        "rate": Decimal("14.1"),
        "person": "27867831180",
        "name": "Kari Nordmann",
        "employment_id": "1",
        "employment_kind": "ordinaertArbeidsforhold",
        "start": datetime.date(2025, 1, 1),
        "position_percent": Decimal(50),
        "hours_per_week": Decimal("37.5"),
        "occupation": "",
        "working_time": "ikkeSkift",
        "description": "timeloenn",
        "benefit": "kontantytelse",
        "triggers_contribution": True,
        "withholding_basis": True,
        "amount": Decimal("12000.00"),
        "withheld": Decimal(0),
    }
    services.return_line_add(employer_return=found, line=line, user=world.accountant_a)
    services.return_line_add(
        employer_return=found,
        line={**line, "description": "bonus", "amount": Decimal(1000), "withheld": Decimal(3900)},
        user=world.accountant_a,
    )
    found.refresh_from_db()
    assert services.problems_of(found) == []
    summary = services.summary_of(found)
    employee = summary.units[0].employees[0]
    assert (
        len(employee.employments) == 1
        and employee.income_total == Decimal(13000)
        and employee.withheld == 3900
    )
    assert summary.units[0].contributions[0].basis == Decimal(13000)
    services.return_employee_remove(employer_return=found, person="27867831180")
    found.refresh_from_db()
    assert found.summary_csv == ""


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_file_once(settings, providers_at_sandbox):
    from tests.factories import CompanyFactory, build_world

    settings.NO_SYNTHETIC_PERSONS = True
    world = build_world()
    company = CompanyFactory(firm=world.firm_a, name="Fjordlys", country="NO", orgnr="923609016")
    found = services.return_open(company=company, month="2026-11")
    from tests.employerreturns.conftest import CSV

    services.return_import_csv(employer_return=found, data=CSV.read_bytes(), user=world.accountant_a)
    results = at_once(
        [
            lambda: services.return_submit(
                employer_return=EmployerReturn.objects.get(pk=found.pk), user=world.accountant_a
            ),
            lambda: services.return_submit(
                employer_return=EmployerReturn.objects.get(pk=found.pk), user=world.accountant_a
            ),
        ]
    )
    assert all(isinstance(r, EmployerReturn) for r in results), results
    assert {r.reference for r in results} == {EmployerReturn.objects.get(pk=found.pk).reference}
    assert len(deliveries(providers_at_sandbox)) == 1
    assert len({uuid.UUID(str(r.idempotency_key)) for r in results}) == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_polls_at_once_store_the_feedback_once(settings, providers_at_sandbox):
    sandbox = providers_at_sandbox
    from tests.employerreturns.conftest import CSV
    from tests.factories import CompanyFactory, build_world

    settings.NO_SYNTHETIC_PERSONS = True
    sandbox.control("altinn/amelding", feedback_delay=0)
    world = build_world()
    company = CompanyFactory(firm=world.firm_a, name="Fjordlys", country="NO", orgnr="923609016")
    found = services.return_open(company=company, month="2026-11")
    services.return_import_csv(employer_return=found, data=CSV.read_bytes(), user=world.accountant_a)
    services.return_submit(employer_return=found, user=world.accountant_a)
    results = at_once([lambda: services.return_poll(pk=found.pk), lambda: services.return_poll(pk=found.pk)])
    assert [r.state for r in results] == [ReturnState.ACCEPTED, ReturnState.ACCEPTED]
    assert (
        results[0].feedback_at
        == results[1].feedback_at
        == EmployerReturn.objects.get(pk=found.pk).feedback_at
    )
