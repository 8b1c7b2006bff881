"""A BankID signature of a case's approval: who signed which files, when, and BankID's proof.

Kept apart from `models.py` (imported at its end) so the case skeleton and signing can grow
separately. The personnummer is never stored in clear: BankID's completion data is kept as the
API returned it except `user.personalNumber`, which is stored Fernet-encrypted plus its digest
(like a user's own). The signature (XML, base64) and OCSP response are kept as returned.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.scoping import TenantModel


class CaseSignature(TenantModel):
    scope_company_path: ClassVar[str] = "case__company"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # One signature per BankID order: completing the same order twice stores it once.
    order_ref = models.CharField(max_length=64, unique=True)
    signer_name = models.CharField(_("signed by"), max_length=200)
    personnummer_ciphertext = models.TextField(editable=False)
    personnummer_digest = models.CharField(max_length=64, editable=False)
    # The text shown in the BankID app, exactly as sent.
    user_visible_data = models.TextField()
    # [{"case_file": id, "name": ..., "sha256": ...}] of the files for approval when signed.
    file_hashes = models.JSONField(default=list)
    completion_data = models.JSONField(default=dict)
    signature = models.TextField(blank=True)
    ocsp_response = models.TextField(blank=True)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.signer_name} {self.signed_at:%Y-%m-%d %H:%M}"
