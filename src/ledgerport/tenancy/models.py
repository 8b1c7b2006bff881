"""Firms (the tenants), their client companies and who belongs where."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from . import orgnumbers
from .roles import CompanyRole, FirmRole
from .scoping import ScopedQuerySet, TenantModel, visible_company_ids


class Country(models.TextChoices):
    SE = "SE", _("Sweden")
    NO = "NO", _("Norway")


class FirmQuerySet(models.QuerySet["Firm"]):
    def for_user(self, user: Any, action: str = "view") -> FirmQuerySet:
        """Firms whose companies the user may act on (clients see their accountant's name)."""
        return self.filter(companies__in=visible_company_ids(Company, user, action)).distinct()


class Firm(models.Model):
    name = models.CharField(_("name"), max_length=200)
    orgnr = models.CharField(_("organisation number"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FirmQuerySet.as_manager()

    class Meta:
        verbose_name = _("firm")
        verbose_name_plural = _("firms")

    def __str__(self) -> str:
        return self.name


class CompanyQuerySet(ScopedQuerySet):
    def alive(self) -> CompanyQuerySet:
        """Companies not deleted: for the operators' and scheduled paths that act without a user
        (`for_user` already leaves deleted companies out)."""
        return self.filter(deleted_at__isnull=True)

    def delete(self) -> Any:
        """Deleting companies marks them (see `Company.delete`)."""
        return self.filter(deleted_at__isnull=True).update(deleted_at=timezone.now()), {}


class Company(TenantModel):
    scope_company_path: ClassVar[str] = ""

    objects = CompanyQuerySet.as_manager()  # type: ignore[misc]  # deleting marks

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="companies")
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.SE)
    # Stored compact (digits only); shown formatted per country.
    orgnr = models.CharField(_("organisation number"), max_length=20)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("first month of the fiscal year"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Deleting a client company only marks it: it leaves every list and page, and its books,
    # documents and audit trail stay for the retention the bookkeeping act requires.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    # Set by `selectors.company_get`: (the user's id, what that user may do here). Not a field.
    acting_user_actions: tuple[int, frozenset[str]] | None = None

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            # A deleted (marked) company does not block adding the client again.
            models.UniqueConstraint(
                fields=["firm", "country", "orgnr"],
                condition=models.Q(deleted_at__isnull=True),
                name="company_unique_orgnr_per_firm",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="company_fiscal_year_start_month_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Mark, never erase: the books, documents and audit trail are kept for seven years."""
        if self.deleted_at is None:
            self.deleted_at = timezone.now()
            type(self)._default_manager.filter(pk=self.pk).update(deleted_at=self.deleted_at)
        return 0, {}

    def clean(self) -> None:
        super().clean()
        try:
            self.orgnr = orgnumbers.compact(self.country, self.orgnr)
        except orgnumbers.InvalidOrgnr as exc:
            raise ValidationError({"orgnr": str(exc)}) from exc

    @property
    def fiscal_year_start_month_name(self) -> str:
        return str(MONTHS[self.fiscal_year_start_month])

    @property
    def orgnr_display(self) -> str:
        return orgnumbers.display(self.country, self.orgnr)


class FirmMembership(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="firm_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=FirmRole.choices, default=FirmRole.ACCOUNTANT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "user"], name="firm_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.firm} ({self.role})"


class CompanyMembership(TenantModel):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=CompanyRole.choices, default=CompanyRole.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="company_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"


class Invitation(TenantModel):
    """An invitation of one person (by e-mail) to a client company with a company role.

    The link's token is never stored, only its SHA-256 (`token_hash`); resending draws a new
    token, so the old link stops working. A person with a Swedish personnummer accepts with
    BankID (the personnummer is stored like a user's: encrypted, plus a keyed digest, and the
    BankID answer must match it); one without sets a password and enrols a one-time code."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=CompanyRole.choices, default=CompanyRole.MEMBER)
    personnummer_ciphertext = models.TextField(blank=True, editable=False)
    personnummer_digest = models.CharField(max_length=64, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One open invitation per person and company: inviting again replaces it.
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.company} ({self.role})"

    @property
    def has_personnummer(self) -> bool:
        return bool(self.personnummer_digest)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "pending" if self.expires_at > timezone.now() else "expired"
