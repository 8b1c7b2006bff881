"""Writes of payment files: the firm's upload (read, then stored with its case, or nothing)
and the client's "approved in the bank"."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.cases.models import CaseKind
from ledgerport.cases.services import case_approve, case_create
from ledgerport.documents.upload_checks import UploadRefused, check_upload, safe_file_name
from ledgerport.ledger.templatetags.ledger import money
from ledgerport.payfiles import PaymentFileRefused, read_payment_file
from ledgerport.tenancy.models import Company, CompanyMembership
from ledgerport.tenancy.roles import company_roles_for

from .models import PaymentFile
from .reasons import problem_text
from .summaries import summary_of

if TYPE_CHECKING:
    from ledgerport.identity.models import User

MAX_BYTES = 5 * 1024 * 1024  # a month's supplier payments are tens of kB


class PaymentUploadRefused(Exception):
    """The file was not stored; `messages` say why (the elements of a malformed file)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def _read(name: str, content: bytes) -> tuple[str, bytes]:
    shown = safe_file_name(name)
    if len(content) > MAX_BYTES:
        raise PaymentUploadRefused(
            [
                _("%(name)s is larger than %(limit)s and was not uploaded.")
                % {"name": shown, "limit": filesizeformat(MAX_BYTES)}
            ]
        )
    return shown, content


def payment_file_upload(
    *, company: Company, user: User, name: str, content: bytes, request: HttpRequest | None = None
) -> PaymentFile:
    """Read the file; if it is sound, store it with a case asking the company's signatories
    to approve it in their bank. A refused file stores nothing (`PaymentUploadRefused`)."""
    shown, content = _read(name, content)
    try:
        parsed = read_payment_file(content)
        checked = check_upload(shown, content)
    except PaymentFileRefused as refused:
        raise PaymentUploadRefused(
            [_("%(name)s is not a payment file the bank would take:") % {"name": shown}]
            + [problem_text(problem) for problem in refused.problems]
        ) from None
    except UploadRefused as refused:
        raise PaymentUploadRefused([str(refused)]) from None
    sha256 = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        # One upload at a time per company, so the same file is never opened twice.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        # The same bytes approved once, or still waiting (a closed, unapproved case may go again).
        earlier = (
            PaymentFile.objects.filter(company=company, sha256=sha256)
            .filter(Q(approved_at__isnull=False) | ~Q(case__status="closed"))
            .order_by("approved_at")
            .first()
        )
        if earlier is not None and earlier.approved_at is not None:
            # The very same bytes again: the bank would pay twice (or refuse the message id).
            raise PaymentUploadRefused(
                [
                    _("%(name)s was already approved in the bank on %(date)s.")
                    % {"name": shown, "date": timezone.localdate(earlier.approved_at).isoformat()}
                ]
            )
        if earlier is not None:
            raise PaymentUploadRefused(
                [
                    _("%(name)s was already uploaded on %(date)s and is waiting for approval.")
                    % {"name": shown, "date": timezone.localdate(earlier.uploaded_at).isoformat()}
                ]
            )
        payment_file = PaymentFile.objects.create(
            company=company,
            file_name=shown,
            sha256=sha256,
            message_id=parsed.message_id,
            number_of_transactions=parsed.number_of_transactions,
            control_sum=parsed.control_sum,
            summary=summary_of(parsed),
            uploaded_by=user,
        )
        signatories = [
            membership.user
            for membership in CompanyMembership.objects.filter(
                company=company, role__in=company_roles_for("approve"), user__is_active=True
            ).select_related("user")
        ]
        case = case_create(
            company=company,
            user=user,
            title=_("Approve the payment file %(name)s in your bank") % {"name": shown},
            body=_(
                "Payments: %(count)d, total %(total)s. Check the summary, approve the file in your"
                " bank and then mark it approved here."
            )
            % {"count": parsed.number_of_transactions, "total": money(parsed.control_sum)},
            kind=CaseKind.PAYMENT_FILE,
            due_date=min(batch.date for batch in parsed.batches),
            recipients=signatories,
            files_for_approval=[checked],
            subject_key=f"payment_file:{payment_file.pk}",
            request=request,
        )
        payment_file.case = case
        payment_file.document = case.files.get().document
        payment_file.save(update_fields=["case", "document"])
        audit_record(request=request, action=Action.UPLOAD, company=company, target=payment_file, user=user)
    return payment_file


@transaction.atomic
def payment_file_approve(
    *, payment_file: PaymentFile, user: User, request: HttpRequest | None = None
) -> bool:
    """The client says they approved the file in their bank. True if this call recorded it;
    False if it was approved already (a second click, or two at once: one wins)."""
    locked = PaymentFile.objects.select_for_update().get(pk=payment_file.pk)
    if locked.approved_at is not None:
        return False
    assert locked.case is not None
    case_approve(case=locked.case, user=user, request=request)  # CaseStateError when closed
    locked.approved_by = user
    locked.approved_at = timezone.now()
    locked.save(update_fields=["approved_by", "approved_at"])
    return True
