"""People who log in. E-mail is the username; a Swedish personnummer is optional.

The personnummer is never stored in clear: `personnummer_ciphertext` (Fernet, rotatable
keys) lets us show it to its owner, `personnummer_digest` (keyed HMAC) lets BankID find the
user without decrypting every row. Neither ever appears in a URL or a log line.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Logins are case-insensitive on the e-mail address.
        return self.get(email=normalize_email(username or ""))


def normalize_email(email: str) -> str:
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(_("language"), max_length=8, blank=True)
    personnummer_ciphertext = models.TextField(blank=True, editable=False)
    # NULL, not "", for "no personnummer": unique must allow many users without one.
    personnummer_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    # A client user who has no Swedish personnummer, so cannot use BankID: logs in with e-mail,
    # password and a one-time code (TOTP). A user with a personnummer must use BankID.
    no_swedish_personnummer = models.BooleanField(_("has no Swedish personal identity number"), default=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def has_personnummer(self) -> bool:
        return bool(self.personnummer_digest)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)
