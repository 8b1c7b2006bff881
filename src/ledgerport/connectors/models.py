"""Connections to providers, the links that ask for consent, and sync runs."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel

from . import providers

ACTIVATION_LINK_LIFETIME = timedelta(days=30)


class ConnectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACTIVE = "active", _("Active")
    NEEDS_REAUTHORISATION = "needs_reauthorisation", _("Needs new approval")
    REVOKED = "revoked", _("Revoked")
    ERROR = "error", _("Error")


class Connection(TenantModel):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="connections")
    provider = models.CharField(max_length=20, choices=providers.choices)
    status = models.CharField(
        max_length=30, choices=ConnectionStatus.choices, default=ConnectionStatus.PENDING
    )
    status_message = models.TextField(blank=True)
    # The provider's identity of the company (its tenant or company id).
    external_company_id = models.CharField(max_length=100, blank=True)
    external_company_name = models.CharField(max_length=200, blank=True)
    external_orgnr = models.CharField(max_length=20, blank=True)
    scopes = models.TextField(blank=True)
    # The consent record: who approved, when, from where.
    consent_name = models.CharField(max_length=200, blank=True)
    consent_email = models.EmailField(blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    # Tokens, encrypted by `vault`.
    access_token_ciphertext = models.TextField(blank=True, editable=False)
    refresh_token_ciphertext = models.TextField(blank=True, editable=False)
    access_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    token_refreshed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "provider"], name="connection_one_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.get_provider_display()} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == ConnectionStatus.ACTIVE


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> datetime:
    return timezone.now() + ACTIVATION_LINK_LIFETIME


class ActivationLink(TenantModel):
    """A shareable consent link: valid 30 days, used once."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="activation_links")
    provider = models.CharField(max_length=20, choices=providers.choices)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    # The OAuth round trip started from this link: its state and PKCE verifier.
    oauth_state = models.CharField(max_length=64, blank=True, db_index=True)
    code_verifier = models.CharField(max_length=128, blank=True)

    class Meta:
        indexes = [models.Index(fields=["company", "provider", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.company} · {self.provider} link"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


def heartbeat_interval() -> float:
    """Seconds between a running sync's heartbeats."""
    return float(getattr(settings, "SYNC_HEARTBEAT_SECONDS", 5.0))


def heartbeat_stale() -> timedelta:
    """No heartbeat for this long: the run's process may be gone (its lock decides)."""
    return timedelta(seconds=3 * heartbeat_interval())


class SyncStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


class SyncRun(TenantModel):
    scope_company_path: ClassVar[str] = "connection__company"

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="sync_runs")
    fiscal_years = models.JSONField(default=list)  # [{"start": "2025-01-01", "end": "2025-12-31"}]
    overwrite_uploaded_ledger = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    progress = models.JSONField(default=dict)  # {"ledger": [done, total], "documents": [done, total]}
    log = models.TextField(blank=True)
    error = models.TextField(blank=True)
    requests = models.PositiveIntegerField(default=0)
    timings = models.JSONField(default=dict)  # seconds per phase: {"ledger": 1.2, "documents": 40.1, ...}
    # What a successful run skipped: [{"area": "Leverantörsfakturor", "message": why and the fix}].
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Liveness: refreshed every few seconds by the process working on the run (and set when
    # it is queued), so a run whose worker vanished is noticed and resumed (`sync_runs.sync_watchdog`).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the last executor
    attempts = models.PositiveIntegerField(default=0)  # executions started (1 + resumes)

    class Meta:
        indexes = [models.Index(fields=["connection", "-created_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.connection} sync {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (SyncStatus.QUEUED, SyncStatus.RUNNING)

    @property
    def state(self) -> str:
        """The status the UI shows: a success that skipped something is not a plain "done"."""
        if self.status == SyncStatus.SUCCEEDED and self.warnings:
            return "warnings"
        return str(self.status)

    @property
    def state_label(self) -> str:
        return str(_("Done with warnings")) if self.state == "warnings" else self.get_status_display()

    @property
    def is_stale(self) -> bool:
        """Active, but its worker has not been heard of for a while (the watchdog resumes it)."""
        return (
            self.status == SyncStatus.RUNNING
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - heartbeat_stale()
        )


# --- Providers connected by settings the firm enters (an ID and a secret, say) ----------------


class ProviderSettings(TenantModel):
    """A company's settings for a provider connected on a settings page rather than by a
    consent link: the method the provider package offers, an account id and a secret (kept
    encrypted by `vault`), the language the provider should answer in, a contact for its
    notices, and the last "test the login". What each field means is the package's."""

    scope_company_path: ClassVar[str] = "company"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="provider_settings")
    provider = models.CharField(max_length=20, choices=providers.choices)
    method = models.CharField(max_length=20, blank=True)
    account_id = models.CharField(max_length=40, blank=True)
    secret_ciphertext = models.TextField(blank=True, editable=False)
    language = models.CharField(max_length=8, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    tested_at = models.DateTimeField(null=True, blank=True)
    test_ok = models.BooleanField(null=True, blank=True)
    test_message = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "provider"], name="provider_settings_one_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.get_provider_display()} settings"

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_ciphertext)
