"""Cases (ärenden): the work a firm and its client do together, in one thread per question.

The firm opens a case for a company and names the client users it is for; they answer with
messages and files, attest or approve, and the firm closes it. A case of a special kind
(payroll attestation, a payment file, a tax difference) names what it is about in
`subject_key`, so the app that owns that thing finds its case again. Cases, messages and files
are kept like the rest of the company's records: deleting a company only marks it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ledgerport.documents.models import Document
from ledgerport.tenancy.models import Company, Firm
from ledgerport.tenancy.scoping import TenantModel


class CaseKind(models.TextChoices):
    GENERAL = "general", _("Question")
    PAYROLL = "payroll", _("Payroll attestation")
    PAYMENT_FILE = "payment_file", _("Payment file")
    TAX_DIFFERENCE = "tax_difference", _("Tax account difference")
    TAX_PAYMENT = "tax_payment", _("Tax payment")


# The kinds whose case asks the client to attest or approve ("Attestera"/"Godkänn").
APPROVABLE = (CaseKind.PAYROLL, CaseKind.PAYMENT_FILE)


class CaseStatus(models.TextChoices):
    """Reminders go out only while a case is OPEN (waiting for the client)."""

    OPEN = "open", _("Waiting for the client")
    ANSWERED = "answered", _("Answered")
    APPROVED = "approved", pgettext_lazy("case status", "Approved")
    CLOSED = "closed", _("Closed")


class Case(TenantModel):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices, default=CaseKind.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # The client users the case is for (they are reminded); any user who may see the company
    # may read it.
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # What a special kind is about, in the owning app's words ("payment_file:12"); empty for
    # a general question. At most one case that is not closed per company and subject.
    subject_key = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Since when the case waits for the client (opened, or asked again): reminders count from it.
    waiting_since = models.DateTimeField(default=timezone.now)
    # The reminder cadence of this case; empty: the firm's default (`ReminderPolicy`).
    remind_days_before = models.PositiveSmallIntegerField(
        _("days before the due date"), null=True, blank=True
    )
    remind_every_days = models.PositiveSmallIntegerField(_("then every … days"), null=True, blank=True)
    remind_max = models.PositiveSmallIntegerField(_("at most … reminders"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "status", "-created_at"], name="case_company_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "subject_key"],
                condition=~models.Q(subject_key="") & ~models.Q(status="closed"),
                name="case_one_open_per_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_waiting(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseMessage(TenantModel):
    """One entry of the thread: the firm's or the client's words (and files, `CaseFile`)."""

    scope_company_path: ClassVar[str] = "case__company"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_firm = models.BooleanField(default=False)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class CaseFileRole(models.TextChoices):
    ATTACHMENT = "attachment", _("Attachment")
    # A file the client is asked to attest or approve: its SHA-256 is what a signature covers.
    FOR_APPROVAL = "for_approval", _("For approval")


class CaseFile(TenantModel):
    """A file of the case (the stored `Document`), added with the case or with a message."""

    scope_company_path: ClassVar[str] = "case__company"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="files")
    message = models.ForeignKey(
        CaseMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    role = models.CharField(max_length=20, choices=CaseFileRole.choices, default=CaseFileRole.ATTACHMENT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.file_name


class ReminderPolicy(models.Model):
    """A firm's default reminder cadence (a case may set its own). Firm data, not a company's:
    read and written only through the cases' services for a company the user already reached."""

    firm = models.OneToOneField(Firm, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("days before the due date"), default=3)
    every_days = models.PositiveSmallIntegerField(_("then every … days"), default=3)
    max_count = models.PositiveSmallIntegerField(_("at most … reminders"), default=4)

    def __str__(self) -> str:
        return f"{self.firm}: {self.days_before}/{self.every_days}/{self.max_count}"


class CaseReminder(TenantModel):
    """One reminder of a case: the schedule's `number`th date. The row is written in the same
    transaction that mails it, so a reminder is sent once (two workers, a retried task) and a
    run that dies before its commit leaves nothing behind (the next run sends it)."""

    scope_company_path: ClassVar[str] = "case__company"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveSmallIntegerField()
    scheduled_for = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="case_reminder_once")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number}"


class CaseEvent(models.TextChoices):
    OPENED = "opened", _("New case")
    MESSAGE = "message", _("New message")
    APPROVED = "approved", pgettext_lazy("case status", "Approved")
    SIGNED = "signed", _("Signed with BankID")
    CLOSED = "closed", _("Closed")


class CaseNotification(TenantModel):
    """The bell's entry for one person about a case: opened for them, a new message, approved;
    read once they open the case. Mailed once (`mailed_at`)."""

    scope_company_path: ClassVar[str] = "case__company"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=20, choices=CaseEvent.choices)
    # Who did it (the client who approved or signed, the author of a message); None: the system.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="case_notification_inbox")]

    def __str__(self) -> str:
        return f"{self.event} {self.case_id} for {self.user_id}"


# Signatures live in their own module; imported here so Django registers the model.
from .signing_models import CaseSignature  # noqa: E402

__all__ = [
    "APPROVABLE",
    "Case",
    "CaseEvent",
    "CaseFile",
    "CaseFileRole",
    "CaseKind",
    "CaseMessage",
    "CaseNotification",
    "CaseReminder",
    "CaseSignature",
    "CaseStatus",
    "ReminderPolicy",
]
