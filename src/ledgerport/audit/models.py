"""The audit trail: who did what to which object of a company, when, from where.

Entries are written once and never changed or deleted by the product: the Swedish
bookkeeping act keeps a company's documents, and the record of who saw them, for seven
years after the fiscal year ends. Deleting through the ORM refuses (`AuditEntry.delete`,
the queryset's `delete`); the company foreign key protects them from a cascade.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import ScopedQuerySet, TenantModel


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    UPLOAD = "upload", _("Uploaded")
    APPROVE = "approve", _("Approved")
    ATTEST = "attest", _("Attested")
    LOGIN = "login", _("Logged in")
    INVITE = "invite", _("Invited")
    ROLE = "role", _("Changed role")
    CASE_OPEN = "case_open", _("Opened a case")
    CASE_MESSAGE = "case_message", _("Wrote in a case")
    CASE_CLOSE = "case_close", _("Closed a case")
    FILE = "file", _("Filed with the authority")


class AuditEntryDeleteRefused(Exception):
    """Audit entries are kept for the retention period; nothing in the product deletes one."""


class AuditQuerySet(ScopedQuerySet):
    def delete(self) -> Any:
        raise AuditEntryDeleteRefused("audit entries are never deleted")

    def update(self, **kwargs: Any) -> Any:
        raise AuditEntryDeleteRefused("audit entries are never changed")


class AuditEntry(TenantModel):
    """One event. `company` is empty for events outside any company (a login)."""

    scope_company_path: ClassVar[str] = "company"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The user's e-mail at the time: the entry reads the same if the account changes later.
    user_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    # What was acted on: a model label ("documents.document") and its id, plus a readable name.
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()  # type: ignore[misc]  # the same manager, stricter

    class Meta:
        indexes = [
            models.Index(fields=["company", "-at"], name="audit_company_at"),
            models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditEntryDeleteRefused("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditEntryDeleteRefused("audit entries are never deleted")
