"""Forms of the company's users page and of accepting an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ledgerport.audit.models import Action
from ledgerport.tenancy.roles import CompanyRole


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=CompanyRole.choices, initial=CompanyRole.MEMBER)
    has_personnummer = forms.TypedChoiceField(
        label=_("Swedish personal identity number"),
        choices=[
            ("yes", _("Has one: logs in with BankID")),
            ("no", _("Has none: e-mail, password and one-time code")),
        ],
        initial="yes",
        widget=forms.RadioSelect,
    )
    personnummer = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        required=False,
        help_text=_("YYYYMMDD-NNNN. BankID must identify this person when the invitation is accepted."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_personnummer") == "yes" and not (data.get("personnummer") or "").strip():
            self.add_error(
                "personnummer", _("Enter the personal identity number, or choose that the person has none.")
            )
        if data.get("has_personnummer") == "no":
            data["personnummer"] = ""
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CompanyRole.choices)


class PasswordForm(forms.Form):
    """Step one of accepting without a personnummer: the password, checked by Django's validators."""

    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=_("At least 10 characters; not a common password or only digits."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Event"), required=False, choices=[("", _("All")), *Action.choices])
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
