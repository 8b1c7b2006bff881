"""Writes of cases: open one, answer it, approve it, close it. Each is one transaction and
records an audit entry; the apps above (payments, payroll, tax payments) open their cases here.

Reminders, notifications and the pages are built on these; a status changes only here."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.documents.services import documents_store
from ledgerport.documents.upload_checks import CheckedFile

from .models import (
    Case,
    CaseEvent,
    CaseFile,
    CaseFileRole,
    CaseKind,
    CaseMessage,
    CaseSignature,
    CaseStatus,
    ReminderPolicy,
)
from .notifications import case_notify

if TYPE_CHECKING:
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company

CASE_SOURCE = "case"  # the documents' origin source for files added to a case


@dataclass(frozen=True)
class CaseCadence:
    """A case's own reminder cadence; None in a field: the firm's default."""

    days_before: int | None = None
    every_days: int | None = None
    max_count: int | None = None


class CaseStateError(Exception):
    """The case is not in a state that allows this (e.g. answering a closed case)."""


def _files_add(
    *, case: Case, user: User | None, files: Iterable[CheckedFile], role: str, message: CaseMessage | None
) -> list[CaseFile]:
    files = list(files)
    if not files:
        return []
    first = CaseFile.objects.filter(case=case).count()
    ids = [f"{case.pk}/{first + index}" for index in range(len(files))]
    stored = documents_store(
        company=case.company,
        source=CASE_SOURCE,
        files=[(external_id, f.name, f.content) for external_id, f in zip(ids, files, strict=True)],
        uploaded_by=user,
        content_types={hashlib.sha256(f.content).hexdigest(): f.content_type for f in files},
    )
    return CaseFile.objects.bulk_create(
        [
            CaseFile(
                case=case,
                message=message,
                document=stored[external_id],
                file_name=f.name,
                role=role,
                added_by=user,
            )
            for external_id, f in zip(ids, files, strict=True)
        ]
    )


@transaction.atomic
def case_create(
    *,
    company: Company,
    user: User | None,
    title: str,
    body: str = "",
    kind: str = CaseKind.GENERAL,
    due_date: datetime.date | None = None,
    recipients: Iterable[User] = (),
    files: Iterable[CheckedFile] = (),
    files_for_approval: Iterable[CheckedFile] = (),
    subject_key: str = "",
    request: HttpRequest | None = None,
    cadence: CaseCadence | None = None,
) -> Case:
    """Open a case (status OPEN: waiting for the client). `user` None: opened by the system.
    The recipients (all the company's client users if none is named) are notified and mailed;
    `cadence` overrides the firm's default reminder cadence."""
    cadence = cadence or CaseCadence()
    case = Case.objects.create(
        company=company,
        kind=kind,
        title=title,
        body=body,
        due_date=due_date,
        subject_key=subject_key,
        created_by=user,
        remind_days_before=cadence.days_before,
        remind_every_days=cadence.every_days,
        remind_max=cadence.max_count,
    )
    case.recipients.set(list(recipients))
    _files_add(case=case, user=user, files=files, role=CaseFileRole.ATTACHMENT, message=None)
    _files_add(case=case, user=user, files=files_for_approval, role=CaseFileRole.FOR_APPROVAL, message=None)
    audit_record(request=request, action=Action.CASE_OPEN, company=company, target=case, user=user)
    case_notify(case=case, event=CaseEvent.OPENED, to_client=True, author=user)
    return case


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_message_add(
    *,
    case: Case,
    user: User,
    body: str,
    by_firm: bool,
    files: Iterable[CheckedFile] = (),
    request: HttpRequest | None = None,
) -> CaseMessage:
    """A message (and files) on the thread. The client's message answers an open case."""
    case = _locked(case)
    if case.status == CaseStatus.CLOSED:
        raise CaseStateError("the case is closed")
    message = CaseMessage.objects.create(case=case, author=user, by_firm=by_firm, body=body)
    _files_add(case=case, user=user, files=files, role=CaseFileRole.ATTACHMENT, message=message)
    now = timezone.now()
    fields: dict[str, object] = {"updated_at": now}
    if not by_firm and case.status == CaseStatus.OPEN:
        fields |= {"status": CaseStatus.ANSWERED, "answered_at": now}
    elif by_firm and case.status == CaseStatus.ANSWERED:
        # The firm asks again: waiting for the client, reminders count from now.
        fields |= {"status": CaseStatus.OPEN, "waiting_since": now}
    Case.objects.filter(pk=case.pk).update(**fields)
    audit_record(request=request, action=Action.CASE_MESSAGE, company=case.company, target=case, user=user)
    case_notify(case=case, event=CaseEvent.MESSAGE, to_client=by_firm, author=user)
    return message


@transaction.atomic
def case_approve(*, case: Case, user: User, request: HttpRequest | None = None) -> Case:
    """The client attests or approves what the case asks for (idempotent when approved)."""
    case = _locked(case)
    if case.status == CaseStatus.APPROVED:
        return case
    if case.status == CaseStatus.CLOSED:
        raise CaseStateError("the case is closed")
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.APPROVED, approved_at=now, updated_at=now)
    audit_record(request=request, action=Action.APPROVE, company=case.company, target=case, user=user)
    # Signing stores the person's signature in this transaction just before it approves.
    signed = CaseSignature.objects.filter(case=case, user=user).exists()
    case_notify(
        case=case, event=CaseEvent.SIGNED if signed else CaseEvent.APPROVED, to_client=False, author=user
    )
    case.refresh_from_db()
    return case


@transaction.atomic
def case_close(*, case: Case, user: User | None, note: str = "", request: HttpRequest | None = None) -> Case:
    """Close (idempotent); `note` is added to the thread as the firm's (the system's if no user)."""
    case = _locked(case)
    if case.status == CaseStatus.CLOSED:
        return case
    if note:
        CaseMessage.objects.create(case=case, author=user, by_firm=True, body=note)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=now, updated_at=now)
    audit_record(request=request, action=Action.CASE_CLOSE, company=case.company, target=case, user=user)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_reopen(*, case: Case, user: User, request: HttpRequest | None = None) -> Case:
    """The firm opens a closed (or answered) case again: waiting for the client, reminded anew."""
    case = _locked(case)
    if case.status == CaseStatus.OPEN:
        return case
    if (
        case.subject_key
        and Case.objects.filter(company=case.company, subject_key=case.subject_key)
        .exclude(pk=case.pk)
        .exclude(status=CaseStatus.CLOSED)
        .exists()
    ):
        raise CaseStateError("another case about the same subject is open")
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, closed_at=None, waiting_since=now, updated_at=now
    )
    audit_record(request=request, action=Action.CASE_OPEN, company=case.company, target=case, user=user)
    case.refresh_from_db()
    case_notify(case=case, event=CaseEvent.OPENED, to_client=True, author=user)
    return case


@transaction.atomic
def case_settings_update(
    *,
    case: Case,
    user: User,
    due_date: datetime.date | None,
    recipients: Iterable[User],
    cadence: CaseCadence,
    request: HttpRequest | None = None,
) -> Case:
    """The firm changes the due date, the recipients or the reminder cadence."""
    case = _locked(case)
    Case.objects.filter(pk=case.pk).update(
        due_date=due_date,
        remind_days_before=cadence.days_before,
        remind_every_days=cadence.every_days,
        remind_max=cadence.max_count,
        updated_at=timezone.now(),
    )
    case.recipients.set(list(recipients))
    audit_record(request=request, action=Action.CASE_MESSAGE, company=case.company, target=case, user=user)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_revise(
    *,
    case: Case,
    user: User,
    body: str,
    due_date: datetime.date | None,
    note: str,
    request: HttpRequest | None = None,
) -> Case:
    """The thing the case is about was corrected (a republished tax payment): its text and due
    date follow, and `note` says so in the thread. Nobody is notified here: the app that
    corrected it tells the client once, with the corrected document."""
    case = _locked(case)
    if case.status == CaseStatus.CLOSED:
        raise CaseStateError("the case is closed")
    CaseMessage.objects.create(case=case, author=user, by_firm=True, body=note)
    Case.objects.filter(pk=case.pk).update(body=body, due_date=due_date, updated_at=timezone.now())
    audit_record(request=request, action=Action.CASE_MESSAGE, company=case.company, target=case, user=user)
    case.refresh_from_db()
    return case


def reminder_policy_set(*, firm_id: int, days_before: int, every_days: int, max_count: int) -> ReminderPolicy:
    """The firm's default cadence (cases without their own follow it)."""
    policy, _created = ReminderPolicy.objects.update_or_create(
        firm_id=firm_id,
        defaults={"days_before": days_before, "every_days": every_days, "max_count": max_count},
    )
    return policy
