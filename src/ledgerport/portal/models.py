"""The portal's notifications: one per recipient and upload batch (the bell in the top bar)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from ledgerport.documents.models import UploadBatch
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel


class Notification(TenantModel):
    """New documents in a folder, for one user; read once the user opens that folder."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(UploadBatch, on_delete=models.PROTECT, related_name="+")
    folder = models.CharField(max_length=20)
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When its e-mail went out: a retried or doubled task sends each notification's mail once.
    mailed_at = models.DateTimeField(null=True, blank=True)
    # What the documents say, for information ("the Tax Agency pays back …"): an English source
    # text (marked with gettext_noop where it is written) and its values, translated when shown,
    # so each person reads it in their own language. Empty: "N new documents".
    message = models.CharField(max_length=200, blank=True)
    message_args = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "user"], name="notification_unique")]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.count} new in {self.folder}"

    @property
    def message_text(self) -> str:
        """The information in the active language ("" when there is none)."""
        return gettext(self.message) % self.message_args if self.message else ""
