"""Form fields for Norwegian forms: the rules of `core/norway.py` with the messages a Norwegian
user expects (seed 004's catalogue: one plain sentence per rule, naming what is wrong).

Every field says "This field must be filled in." when required and empty, and gives back the
canonical value (digits only; a `date` for dates)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import norway

TEXT_LIMIT = 2000


def _required_message() -> dict[str, Any]:
    return {"required": _("This field must be filled in.")}


class _RuleField(forms.CharField):
    """A text field checked by one rule of `norway`; its `message` when the rule refuses."""

    message: Any = _("Invalid value.")
    input_mode = "numeric"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).update(_required_message())
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def rule(self, value: str) -> Any:
        raise NotImplementedError

    def clean(self, value: Any) -> Any:
        # The text is checked as text first (required, length), then by the rule.
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            return self.rule(value)
        except norway.NorwegianValueError as exc:
            raise ValidationError(self.message, code="invalid") from exc

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if self.input_mode:
            attrs["inputmode"] = self.input_mode
        return attrs


class OrgnrField(_RuleField):
    message = _("Enter a valid organisation number: 9 digits with a correct check digit.")

    def rule(self, value: str) -> str:
        return norway.orgnr_clean(value)


class AccountNumberField(_RuleField):
    message = _("Enter a valid account number: 11 digits with a correct check digit.")

    def rule(self, value: str) -> str:
        return norway.account_clean(value)


def synthetic_persons_accepted() -> bool:
    """Test mode: Skatteetaten's synthetic test persons (Tenor) pass (`NO_SYNTHETIC_PERSONS`)."""
    return bool(getattr(settings, "NO_SYNTHETIC_PERSONS", False))


class PersonNumberField(_RuleField):
    """Fødselsnummer or D-nummer; synthetic test persons only in test mode."""

    message = _("Enter a valid national identity number or D number: 11 digits with correct check digits.")

    def rule(self, value: str) -> str:
        return norway.person_clean(value, accept_synthetic=synthetic_persons_accepted())


class PostalCodeField(_RuleField):
    message = _("Enter a valid postal code (4 digits).")

    def rule(self, value: str) -> str:
        return norway.postal_code_clean(value)


class PhoneField(_RuleField):
    message = _("Enter a valid phone number (8 digits).")
    input_mode = "tel"

    def rule(self, value: str) -> str:
        return norway.phone_clean(value)


class MobileField(_RuleField):
    message = _("Enter a valid Norwegian mobile number (8 digits, starting with 4 or 9).")
    input_mode = "tel"

    def rule(self, value: str) -> str:
        return norway.phone_clean(value, mobile=True)


class DateField(_RuleField):
    """A date typed as dd.mm.åååå; gives a `datetime.date`."""

    message = _("Invalid date: write it as dd.mm.yyyy, for example 31.12.2025.")
    input_mode = ""

    def rule(self, value: str) -> datetime.date:
        return norway.date_clean(value)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%d.%m.%Y") if isinstance(value, datetime.date) else value


class DigitsField(_RuleField):
    """Whole numbers only (an ID, say)."""

    message = _("Only digits are allowed.")

    def rule(self, value: str) -> str:
        if not value.isdigit() or not value.isascii():
            raise norway.NorwegianValueError("digits only")
        return value


class DataSystemPasswordField(_RuleField):
    message = _(
        "The password may contain only letters (A–Z, a–z) and digits, and needs at least one "
        "upper-case letter, one lower-case letter and one digit."
    )
    input_mode = ""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.PasswordInput(render_value=False))
        super().__init__(**kwargs)

    def rule(self, value: str) -> str:
        return norway.datasystem_password_clean(value)


class TextAreaField(forms.CharField):
    """Free text of at most 2,000 characters; the message counts what was written."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", TEXT_LIMIT)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("error_messages", {}).update(
            {
                **_required_message(),
                "max_length": _("At most %(limit_value)d characters (you wrote %(show_value)d)."),
            }
        )
        super().__init__(**kwargs)


class ChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).update(
            {**_required_message(), "invalid_choice": _("Choose one of the options in the list.")}
        )
        super().__init__(**kwargs)
