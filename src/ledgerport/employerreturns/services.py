"""Writes of a month's a-melding: import or enter the summary, send it once, read the feedback.

Sending is two transactions, each holding the return's row lock: the first fixes what is sent
(meldingsId, the leveranse's bytes, the idempotency key) and commits; the second sends those
bytes under that key and records the receipt. A process killed between the authority's answer
and the second commit, or a second click, sends the same bytes under the same key again, and
the authority answers with the first delivery: the month is filed once.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport import amelding
from ledgerport.amelding import AmeldingError, MonthSummary, jsonio
from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.connectors.http import ProviderError
from ledgerport.connectors.providers import employer_return_filing
from ledgerport.core.norway_fields import synthetic_persons_accepted
from ledgerport.tenancy.models import Company

from .messages import describe
from .models import EmployerReturn, ReturnState

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ledgerport.identity.models import User


class EmployerReturnError(Exception):
    """Refused, with every reason in words for people."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _locked(pk: int) -> EmployerReturn:
    return EmployerReturn.objects.select_for_update().select_related("company").get(pk=pk)


def return_open(*, company: Company, month: str) -> EmployerReturn:
    """The company's return of the month, created as an empty draft the first time."""
    found, _created = EmployerReturn.objects.get_or_create(company=company, month=month)
    return found


def summary_of(employer_return: EmployerReturn) -> MonthSummary | None:
    """The draft's summary as stored (format-checked only); None before any line."""
    if not employer_return.summary_csv:
        return None
    return amelding.read_csv(
        employer_return.summary_csv.encode(), accept_synthetic=synthetic_persons_accepted(), checked=False
    )


def problems_of(employer_return: EmployerReturn) -> list[str]:
    """What stops the draft from being sent, in words; [] when it may be sent."""
    summary = summary_of(employer_return)
    if summary is None:
        return [_("The a-melding has no lines yet: import a file or add a line.")]
    found = amelding.check(summary, accept_synthetic=synthetic_persons_accepted())
    if not found:
        try:
            amelding.build_xml(summary, message_id=str(uuid.uuid4()), delivered_at=timezone.now())
        except AmeldingError as exc:
            found = exc.problems
    return [describe(p) for p in found]


def _editable(employer_return: EmployerReturn) -> None:
    """Ready to be changed (the row locked): a sent return waiting for feedback cannot be; an
    answered one becomes a new draft replacing it; a draft's fixed delivery is dropped."""
    if employer_return.state == ReturnState.SUBMITTED:
        raise EmployerReturnError(
            [_("The a-melding is waiting for the authority's feedback and cannot be changed now.")]
        )
    if employer_return.state in (ReturnState.ACCEPTED, ReturnState.REJECTED):
        employer_return.history = [
            *employer_return.history,
            {
                "message_id": employer_return.message_id,
                "reference": employer_return.reference,
                "state": employer_return.state,
                "submitted_at": employer_return.submitted_at.isoformat()
                if employer_return.submitted_at
                else "",
                "feedback": employer_return.feedback,
            },
        ]
        # A rejected delivery was never received: the new one replaces what was, if anything.
        if employer_return.state == ReturnState.ACCEPTED:
            employer_return.replaces = employer_return.message_id
        employer_return.state = ReturnState.DRAFT
        employer_return.reference = ""
        employer_return.feedback = {}
        employer_return.submitted_at = None
        employer_return.feedback_at = None
    employer_return.message_id = ""
    employer_return.idempotency_key = None
    employer_return.leveranse_json = ""


def _store(employer_return: EmployerReturn, summary: MonthSummary) -> None:
    _editable(employer_return)
    employer_return.summary_csv = amelding.write_csv(summary)
    employer_return.save()


def return_import_csv(
    *, employer_return: EmployerReturn, data: bytes, user: User, request: HttpRequest | None = None
) -> MonthSummary:
    """Replace the month's lines by the file's; a file with any problem stores nothing."""
    company = employer_return.company
    try:
        summary = amelding.read_csv(data, accept_synthetic=synthetic_persons_accepted())
    except AmeldingError as exc:
        raise EmployerReturnError([describe(p) for p in exc.problems]) from exc
    wrong = []
    if summary.orgnr != company.orgnr:
        wrong.append(
            _("The file is for organisation number %(file)s, not this company's %(company)s.")
            % {"file": summary.orgnr, "company": company.orgnr}
        )
    if summary.month != employer_return.month:
        wrong.append(
            _("The file is for %(file)s, not %(month)s.")
            % {"file": summary.month, "month": employer_return.month}
        )
    if wrong:
        raise EmployerReturnError(wrong)
    with transaction.atomic():
        locked = _locked(employer_return.pk)
        _store(locked, summary)
        audit_record(
            request=request,
            action=Action.UPLOAD,
            company=company,
            target=locked,
            user=user,
            detail="a-melding CSV",
        )
    return summary


def return_line_add(*, employer_return: EmployerReturn, line: dict[str, Any], user: User) -> None:
    """Add one income line entered on the page (with its virksomhet, arbeidsforhold and
    withheld tax, each added when new)."""
    with transaction.atomic():
        locked = _locked(employer_return.pk)
        summary = summary_of(locked) or MonthSummary(
            orgnr=locked.company.orgnr, month=locked.month, payout_date=line["payout_date"]
        )
        _store(locked, _with_line(summary, line))


def _with_line(summary: MonthSummary, line: dict[str, Any]) -> MonthSummary:
    units = list(summary.units)
    index = next((i for i, u in enumerate(units) if u.orgnr == line["unit"]), None)
    if index is None:
        units.append(amelding.Unit(line["unit"]))
        index = len(units) - 1
    unit = units[index]
    employees = list(unit.employees)
    at = next((i for i, e in enumerate(employees) if e.person == line["person"]), None)
    if at is None:
        employees.append(amelding.Employee(line["person"], line["name"]))
        at = len(employees) - 1
    employee = employees[at]
    employments = employee.employments
    if not any(e.employment_id == line["employment_id"] for e in employments):
        employments += (
            amelding.Employment(
                employment_id=line["employment_id"],
                kind=line["employment_kind"],
                start=line["start"],
                position_percent=line["position_percent"],
                hours_per_week=line["hours_per_week"],
                occupation=line["occupation"],
                working_time=line["working_time"],
            ),
        )
    income = amelding.Income(
        description=line["description"],
        benefit=line["benefit"],
        triggers_contribution=line["triggers_contribution"],
        withholding_basis=line["withholding_basis"],
        amount=line["amount"],
        employment_id=line["employment_id"],
    )
    withholdings = employee.withholdings
    if line["withheld"]:
        withholdings += (amelding.Withholding(line["withheld"]),)
    employees[at] = replace(
        employee,
        name=employee.name or line["name"],
        employments=employments,
        incomes=(*employee.incomes, income),
        withholdings=withholdings,
    )
    basis = sum((i.amount for e in employees for i in e.incomes if i.triggers_contribution), Decimal(0))
    contributions = (
        (amelding.Contribution(line["contribution_code"], line["zone"], basis, line["rate"]),)
        if basis
        else ()
    )
    units[index] = replace(unit, employees=tuple(employees), contributions=contributions)
    return replace(summary, units=tuple(units))


def return_employee_remove(*, employer_return: EmployerReturn, person: str) -> None:
    with transaction.atomic():
        locked = _locked(employer_return.pk)
        summary = summary_of(locked)
        if summary is None:
            return
        units = []
        for unit in summary.units:
            employees = tuple(e for e in unit.employees if e.person != person)
            basis = sum(
                (i.amount for e in employees for i in e.incomes if i.triggers_contribution), Decimal(0)
            )
            contributions = tuple(replace(c, basis=basis) for c in unit.contributions[:1]) if basis else ()
            if employees:
                units.append(replace(unit, employees=employees, contributions=contributions))
        if units:
            _store(locked, replace(summary, units=tuple(units)))
        else:
            _editable(locked)
            locked.summary_csv = ""
            locked.save()


def _fix_delivery(pk: int) -> EmployerReturn:
    """The first transaction: what will be sent, fixed once per draft."""
    with transaction.atomic():
        locked = _locked(pk)
        if locked.state != ReturnState.DRAFT or locked.idempotency_key:
            return locked
        problems = problems_of(locked)
        if problems:
            raise EmployerReturnError(problems)
        summary = summary_of(locked)
        assert summary is not None
        locked.message_id = str(uuid.uuid4())
        locked.idempotency_key = uuid.uuid4()
        document = amelding.build_leveranse(
            summary, message_id=locked.message_id, delivered_at=timezone.now(), replaces=locked.replaces
        )
        locked.leveranse_json = jsonio.dumps(document)
        locked.save()
        return locked


def return_submit(
    *, employer_return: EmployerReturn, user: User, request: HttpRequest | None = None
) -> EmployerReturn:
    """Send the draft to the authority once; a return already sent is left as it is."""
    company = employer_return.company
    filing = employer_return_filing(company.country)
    if filing is None:
        raise EmployerReturnError([_("No provider files the a-melding for this company's country.")])
    _fix_delivery(employer_return.pk)
    with transaction.atomic():
        locked = _locked(employer_return.pk)
        if locked.state != ReturnState.DRAFT:
            return locked
        try:
            receipt = filing.submit(
                company, locked.month, jsonio.loads(locked.leveranse_json), str(locked.idempotency_key)
            )
        except ProviderError as exc:
            raise EmployerReturnError([exc.message]) from exc
        locked.state = ReturnState.SUBMITTED
        locked.reference = receipt.reference
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save()
        audit_record(
            request=request,
            action=Action.FILE,
            company=company,
            target=locked,
            user=user,
            detail=f"a-melding {locked.month} {locked.message_id}",
        )
    return locked


def return_poll(*, pk: int) -> EmployerReturn:
    """Ask for the feedback of a sent return; the state follows it once it has come. Calling
    it again, or at the same time, changes nothing more."""
    with transaction.atomic():
        locked = _locked(pk)
        if locked.state != ReturnState.SUBMITTED:
            return locked
        filing = employer_return_filing(locked.company.country)
        if filing is None:
            return locked
        try:
            receipt = filing.feedback(locked.company, locked.reference)
        except ProviderError as exc:
            raise EmployerReturnError([exc.message]) from exc
        if not receipt.done:
            return locked
        locked.state = ReturnState.ACCEPTED if receipt.accepted else ReturnState.REJECTED
        locked.feedback = receipt.feedback
        locked.feedback_at = timezone.now()
        locked.save()
        return locked


def month_default(today: datetime.date | None = None) -> str:
    """The month usually reported now: the one before (the a-melding is due on the 5th)."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{first:%Y-%m}"
