"""Writes of payroll runs: create one (and its attestation case), file the final payroll."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.cases.models import CaseKind, CaseStatus
from ledgerport.cases.services import case_close, case_create
from ledgerport.documents.archive import Upload, archive_file, uploads_check
from ledgerport.documents.archive_folders import Area, Folder
from ledgerport.documents.upload_checks import CheckedFile
from ledgerport.portal.notifications import batch_notify
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.roles import CompanyRole
from ledgerport.tenancy.selectors import memberships_of

from .models import PayrollRun, RunStatus

if TYPE_CHECKING:
    from ledgerport.identity.models import User

# Days before the payout the client is asked to attest by, unless the firm says otherwise.
ATTEST_DAYS_BEFORE_PAYOUT = 2


class PayrollError(Exception):
    """Refused input or state, with a message for the user."""


def payout_folder(payout_date: datetime.date) -> Folder:
    """The archive's month folder of a payout: the payout's month decides, not the month worked
    (July's work paid in August is filed under "08. Augusti"; December's paid in January under
    the next year)."""
    return Folder(payout_date.year, Area.PAYROLL, payout_date.month)


def period_label(period: datetime.date) -> str:
    """ "juli 2026": the month worked, in the UI language."""
    return f"{str(MONTHS[period.month]).lower()} {period.year}"


def _pdfs(uploads: list[Upload], what: str) -> list[CheckedFile]:
    if not uploads:
        raise PayrollError(_("Choose the %(what)s (PDF).") % {"what": what})
    files = uploads_check(uploads)
    for f in files:
        if f.content_type != "application/pdf":
            raise PayrollError(_("%(name)s is not a PDF.") % {"name": f.name})
    return files


def payroll_run_create(
    *,
    company: Company,
    user: User,
    period: datetime.date,
    payout_date: datetime.date,
    payslips: list[Upload],
    payout_list: list[Upload],
    due_date: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> PayrollRun:
    """A run and its case "Attest lönekörning <month year>" with the preliminary payslips and
    the payout list for approval. All or nothing (`BatchRefused`/`PayrollError` name the file
    or field)."""
    period = period.replace(day=1)
    if payout_date < period:
        raise PayrollError(_("The payout date cannot be before the month worked."))
    due = due_date or payout_date - datetime.timedelta(days=ATTEST_DAYS_BEFORE_PAYOUT)
    if due > payout_date:
        raise PayrollError(_("The attestation is due at the latest on the payout date."))
    files = _pdfs(payslips, _("preliminary payslips")) + _pdfs(payout_list, _("payout list"))
    signatories = [
        m.user
        for m in memberships_of(company=company).filter(role=CompanyRole.SIGNATORY).select_related("user")
    ]
    with transaction.atomic():
        run = PayrollRun.objects.create(
            company=company, period=period, payout_date=payout_date, created_by=user
        )
        label = period_label(period)
        run.case = case_create(
            company=company,
            user=user,
            title=_("Payroll attestation %(period)s") % {"period": label},
            body=_(
                "Here are the preliminary payslips and the payout list for %(period)s, paid out on "
                "%(payout)s. Answer the case with any changes, or attest the payroll."
            )
            % {"period": label, "payout": payout_date.isoformat()},
            kind=CaseKind.PAYROLL,
            due_date=due,
            recipients=signatories,
            files_for_approval=files,
            subject_key=f"payroll:{run.pk}",
            request=request,
        )
        run.save(update_fields=["case"])
    return run


def payroll_finish(
    *, run: PayrollRun, user: User, uploads: list[Upload], request: HttpRequest | None = None
) -> PayrollRun:
    """After payout: file the final payslips and bank list under the month of payout, tell the
    client, close the case. Once only: a second call (or one at the same time) is refused."""
    files = _pdfs(uploads, _("final payslips and bank list"))
    folder = payout_folder(run.payout_date)
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.DONE:
            raise PayrollError(_("This payroll is already filed."))
        if run.case is None or run.case.status != CaseStatus.APPROVED:
            raise PayrollError(_("The payroll has not been attested yet."))
        batch = archive_file(company=run.company, user=user, folder=folder, files=files, by_client=False)
        batch_notify(batch=batch, count=len(files))
        case_close(
            case=run.case,
            user=user,
            note=_("The salaries are paid out. The payslips and the bank list are in Documents › %(path)s.")
            % {"path": f"{folder.year} › {Area(folder.area).label} › {folder.label}"},
            request=request,
        )
        PayrollRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, folder=folder.key, finished_at=timezone.now()
        )
        audit_record(request=request, action=Action.UPLOAD, company=run.company, target=run, user=user)
    run.refresh_from_db()
    return run
