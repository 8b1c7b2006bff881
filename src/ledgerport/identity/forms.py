from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import totp
from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for e-mail addresses.

    Checked only after the password is right, so they reveal nothing about accounts to a guess:
    a user with a Swedish personnummer must use BankID, and one marked as having none must have
    a second factor to be offered."""

    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong e-mail address or password."),
        "use_bankid": _(
            "You have a Swedish personal identity number: log in with BankID. "
            "E-mail and password are only for users without one."
        ),
        "no_second_factor": _(
            "Your account has no one-time code (TOTP) set up, which e-mail login requires. "
            "Contact your accounting firm."
        ),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.has_personnummer:
            raise ValidationError(self.error_messages["use_bankid"], code="use_bankid")
        if user.no_swedish_personnummer and not totp.has_device(user):
            raise ValidationError(self.error_messages["no_second_factor"], code="no_second_factor")


class TOTPForm(forms.Form):
    token = forms.CharField(
        label=_("One-time code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )
