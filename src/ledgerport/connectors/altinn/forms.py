"""The Altinn settings form: Norwegian fields and messages (`core.norway_fields`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ledgerport.core import norway_fields as no


class AltinnMethod(models.TextChoices):
    SYSTEM_USER = "systemuser", _("Altinn 3 system user (Maskinporten)")
    DATA_SYSTEM = "datasystem", _("Altinn 2 data system (ID and password)")


class AltinnLanguage(models.TextChoices):
    BOKMAL = "nb", _("Norwegian Bokmål")
    NYNORSK = "nn", _("Norwegian Nynorsk")
    ENGLISH = "en", _("English")


class AltinnSettingsForm(forms.Form):
    method = no.ChoiceField(
        label=_("How the company connects"), choices=AltinnMethod.choices, widget=forms.RadioSelect
    )
    system_id = no.DigitsField(
        label=_("Data system ID"),
        required=False,
        max_length=20,
        help_text=_("The ID Altinn showed when the data system was registered."),
    )
    password = no.DataSystemPasswordField(
        label=_("Password"),
        required=False,
        max_length=100,
        help_text=_("Upper- and lower-case letters and digits, no special characters."),
    )
    language = no.ChoiceField(label=_("Preferred language"), choices=[("", "—"), *AltinnLanguage.choices])
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        error_messages={
            "required": _("This field must be filled in."),
            "invalid": _("Enter a valid e-mail address."),
        },
        help_text=_("Skatteetaten writes here when an employee's tax deduction card changes."),
    )
    contact_mobile = no.MobileField(label=_("Contact mobile number"))

    def __init__(self, *args: Any, has_password: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_password = has_password
        if has_password:
            self.fields["password"].help_text = _("A password is stored. Leave the field empty to keep it.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == AltinnMethod.DATA_SYSTEM:
            # The data system needs both; a stored password may stay.
            if not data.get("system_id") and "system_id" not in self.errors:
                self.add_error("system_id", _("This field must be filled in."))
            if not data.get("password") and not self.has_password and "password" not in self.errors:
                self.add_error("password", _("This field must be filled in."))
        return data
