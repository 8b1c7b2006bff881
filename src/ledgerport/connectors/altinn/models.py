"""What the mva-melding's filing keeps: a person's ID-porten login, and the Altinn instance of
each melding sent (so that a submission called again continues the same instance).

Registered with the connectors app when `provider.py` imports the package (the app's `ready`),
so the connectors' own models module need not import this package (no cycle)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ledgerport.tenancy.models import Company, Firm
from ledgerport.tenancy.scoping import TenantModel


class PersonLogin(models.Model):
    """One person's ID-porten tokens (sealed by `vault`) for the work they do for one firm. Read
    only for the requesting user, so it needs no company scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    access_token_ciphertext = models.TextField(editable=False)
    refresh_token_ciphertext = models.TextField(blank=True, editable=False)
    access_expires_at = models.DateTimeField()
    scope = models.TextField(blank=True)
    logged_in_at = models.DateTimeField(default=timezone.now)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "connectors"
        constraints = [models.UniqueConstraint(fields=["user", "firm"], name="altinn_person_login_once")]

    def __str__(self) -> str:
        return f"ID-porten login of user {self.user_id} for firm {self.firm_id}"


class VatReturnInstance(TenantModel):
    """The Altinn instance that carries one melding (by its SHA-256) of a company: created once,
    then continued by every later call until the Tax Administration's feedback is there."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    melding_sha256 = models.CharField(max_length=64)
    instance_id = models.CharField(max_length=100, blank=True)  # "partyId/guid"
    instance_url = models.URLField(max_length=500, blank=True)
    done = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "connectors"
        constraints = [
            models.UniqueConstraint(fields=["company", "melding_sha256"], name="altinn_vat_instance_once")
        ]

    def __str__(self) -> str:
        return f"VAT return instance {self.instance_id or '(not created)'} of company {self.company_id}"
