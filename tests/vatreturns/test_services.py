"""Computing, validating and submitting a return, up to the registry's filing boundary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.connectors.providers import PersonLoginRequired
from ledgerport.mvamelding import Term, read_melding, validate
from ledgerport.vatreturns import services, tasks
from ledgerport.vatreturns.feedback import NoFiling, VatReturnRefused, feedback_fetch
from ledgerport.vatreturns.models import State, VatReturn
from tests.concurrency import at_once, needs_postgres
from tests.factories import CompanyFactory

from .conftest import INVALID

pytestmark = pytest.mark.django_db
TERM = Term(2026, 2)


def compute(company, user, term=TERM):
    return services.draft_compute(company=company, user=user, term=term)


def test_the_draft_is_stored_with_its_melding_and_reconciliation(norwegian, world):
    vat_return = compute(norwegian, world.accountant_a)
    assert vat_return.state == State.DRAFT and vat_return.problems == []
    assert vat_return.total == vat_return.ledger_total != 0
    melding = read_melding(vat_return.melding_xml.encode())
    assert melding.orgnr == "923609016" and melding.period == ("skattleggingsperiodeToMaaneder", "mars-april")
    assert melding.total == vat_return.total
    assert [line["code"] for line in vat_return.lines if line["code"] == "86"] == ["86", "86"]
    assert {row["account"] for row in vat_return.reconciliation} >= {"2700", "2710", "2713"}
    assert validate(vat_return.melding_xml.encode()) == []


def test_recomputing_replaces_the_draft_and_forgets_the_old_validation(norwegian, world, boundary):
    first = compute(norwegian, world.accountant_a)
    services.validate_with_authority(vat_return=first, user=world.accountant_a, next_url="/back/")
    second = compute(norwegian, world.admin_a)
    assert second.pk == first.pk and second.reference != first.reference
    assert (
        second.state == State.DRAFT and second.validation_status == "" and second.computed_by == world.admin_a
    )
    assert VatReturn.objects.filter(company=norwegian).count() == 1


def test_a_swedish_company_gets_no_return(world):
    with pytest.raises(VatReturnRefused):
        compute(world.a1, world.admin_a)
    assert not VatReturn.objects.exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_computations_at_once_make_one_return(world):
    from .conftest import fjordlys

    company = fjordlys(world.firm_a)
    results = at_once([lambda: compute(company, world.admin_a), lambda: compute(company, world.accountant_a)])
    assert all(isinstance(r, VatReturn) for r in results), results
    assert VatReturn.objects.filter(company=company).count() == 1
    assert results[0].pk == results[1].pk
    assert connection.vendor == "postgresql"


def test_validation_by_the_authority(norwegian, world, boundary):
    vat_return = compute(norwegian, world.accountant_a)
    done = services.validate_with_authority(vat_return=vat_return, user=world.accountant_a, next_url="/back/")
    assert done.state == State.VALIDATED and done.validation_status == "ingen avvik"
    ((name, (company_id, user_id, melding, next_url)),) = boundary.calls
    assert (name, company_id, user_id, next_url) == (
        "validate",
        norwegian.pk,
        world.accountant_a.pk,
        "/back/",
    )
    assert melding == vat_return.melding_xml.encode()


def test_deviations_from_the_authority_keep_it_a_draft(norwegian, world, boundary):
    boundary.validation = INVALID
    vat_return = compute(norwegian, world.accountant_a)
    done = services.validate_with_authority(vat_return=vat_return, user=world.accountant_a, next_url="/")
    assert done.state == State.DRAFT and done.validation_status == "ugyldig skattemelding"
    assert done.validation_deviations[0]["reasons"][0][0] == "R001"


def test_an_unreadable_answer_is_refused_and_nothing_stored(norwegian, world, boundary):
    boundary.validation = b"<html>gateway</html>"
    vat_return = compute(norwegian, world.accountant_a)
    with pytest.raises(VatReturnRefused):
        services.validate_with_authority(vat_return=vat_return, user=world.accountant_a, next_url="/")
    vat_return.refresh_from_db()
    assert vat_return.state == State.DRAFT and vat_return.validation_xml == ""


def test_person_login_required_passes_through(norwegian, world, boundary):
    boundary.login_url = "https://login.example/authorize?next=x"
    vat_return = compute(norwegian, world.accountant_a)
    with pytest.raises(PersonLoginRequired) as raised:
        services.validate_with_authority(vat_return=vat_return, user=world.accountant_a, next_url="/")
    assert raised.value.login_url == boundary.login_url


def test_no_filing_provider_is_said_plainly(norwegian, world, no_filing):
    vat_return = compute(norwegian, world.accountant_a)
    with pytest.raises(NoFiling):
        services.validate_with_authority(vat_return=vat_return, user=world.accountant_a, next_url="/")


def _validated(company, user):
    vat_return = compute(company, user)
    return services.validate_with_authority(vat_return=vat_return, user=user, next_url="/")


def test_submit_needs_a_validated_return(norwegian, world, boundary):
    vat_return = compute(norwegian, world.accountant_a)
    with pytest.raises(VatReturnRefused):
        services.submit(vat_return=vat_return, user=world.accountant_a, next_url="/")
    assert [c[0] for c in boundary.calls] == []


def test_submit_stores_envelope_feedback_and_payment_and_is_audited(norwegian, world, boundary):
    vat_return = _validated(norwegian, world.accountant_a)
    done = services.submit(vat_return=vat_return, user=world.accountant_a, next_url="/")
    assert done.state == State.ACCEPTED and done.authority_reference == "50267437/instance-1"
    assert (done.payment_kid, done.payment_amount, str(done.payment_due), done.payment_account) == (
        "99999999999999", Decimal(0), "2021-05-21", "12345678903",
    )  # fmt: skip
    assert bytes(done.receipt_pdf).startswith(b"%PDF")
    _name, (_c, _u, envelope, melding, _n) = boundary.calls[-1]
    assert validate(envelope) == [] and melding == vat_return.melding_xml.encode()
    entry = AuditEntry.objects.get(action=Action.FILE)
    assert entry.company == norwegian and entry.user == world.accountant_a and "50267437" in entry.detail
    with pytest.raises(VatReturnRefused):  # never twice, never recomputed
        services.submit(vat_return=done, user=world.accountant_a, next_url="/")
    with pytest.raises(VatReturnRefused):
        compute(norwegian, world.accountant_a)


def test_feedback_not_yet_done_is_polled_until_it_is(
    norwegian, world, boundary, django_capture_on_commit_callbacks
):
    boundary.done = False
    vat_return = _validated(norwegian, world.accountant_a)
    with django_capture_on_commit_callbacks() as callbacks:
        done = services.submit(vat_return=vat_return, user=world.accountant_a, next_url="/")
    assert done.state == State.SUBMITTED and len(callbacks) == 1
    with pytest.raises(Exception, match="Retry"):
        tasks.feedback_poll.apply(args=[done.pk], throw=True).get()
    boundary.done = True
    tasks.feedback_poll.apply(args=[done.pk], throw=True).get()
    done.refresh_from_db()
    assert done.state == State.ACCEPTED and done.payment_kid == "99999999999999"
    polls = len(boundary.calls)
    tasks.feedback_poll.apply(args=[done.pk], throw=True).get()  # idempotent: nothing asked again
    assert feedback_fetch(vat_return=done, user=world.accountant_a, next_url="/").state == State.ACCEPTED
    assert len(boundary.calls) == polls


def test_the_poll_stops_and_says_so_when_the_login_has_expired(norwegian, world, boundary):
    boundary.done = False
    vat_return = services.submit(
        vat_return=_validated(norwegian, world.accountant_a), user=world.accountant_a, next_url="/"
    )
    boundary.login_url = "https://login.example/"
    tasks.feedback_poll.apply(args=[vat_return.pk], throw=True).get()
    vat_return.refresh_from_db()
    assert vat_return.state == State.SUBMITTED and vat_return.feedback_note == "login required"


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_file_once(world, boundary):
    from .conftest import fjordlys

    company = fjordlys(world.firm_a)
    vat_return = _validated(company, world.admin_a)
    results = at_once(
        [
            lambda: services.submit(vat_return=vat_return, user=world.admin_a, next_url="/"),
            lambda: services.submit(vat_return=vat_return, user=world.accountant_a, next_url="/"),
        ]
    )
    assert sum(isinstance(r, VatReturn) for r in results) == 1
    assert sum(isinstance(r, VatReturnRefused) for r in results) == 1
    assert [c[0] for c in boundary.calls].count("submit") == 1
    assert AuditEntry.objects.filter(action=Action.FILE).count() == 1


def test_another_company_s_ledger_is_not_in_the_draft(world):
    from .conftest import fjordlys

    fjordlys(world.firm_b)
    empty = CompanyFactory(firm=world.firm_a, country="NO", orgnr="974760673")
    vat_return = compute(empty, world.admin_a)
    assert vat_return.lines == [] and vat_return.total == 0 and vat_return.problems == []
