"""The firm's forms: a month, and a month's amounts when the Tax Agency is not connected."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

_MONTH = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")


def parse_month(value: str | None) -> date | None:
    """ "2026-11" → 1 November 2026; anything else None."""
    found = _MONTH.match((value or "").strip())
    return date(int(found[1]), int(found[2]), 1) if found else None


class MonthField(forms.CharField):
    widget = forms.TextInput(
        attrs={"type": "month", "pattern": "[0-9]{4}-[0-9]{2}", "placeholder": "YYYY-MM"}
    )

    def clean(self, value: str) -> date:
        month = parse_month(super().clean(value))
        if month is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-11."))
        return month


class AmountField(forms.DecimalField):
    """Kronor as people type them: "12 345,50", "-1200.5" (spaces group, comma or point decimals);
    a text input, as a number input refuses the decimal comma and spaces."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        return {}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".").replace("\u2212", "-")
        return super().to_python(value)


def _amount(label: Any) -> AmountField:
    return AmountField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        max_value=Decimal("1e11"),
        min_value=Decimal("-1e11"),
    )


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"))


class AmountsForm(forms.Form):
    """Amounts to pay positive; a VAT refund negative. At least one amount."""

    month = MonthField(label=_("Month the amount is due"))
    employer_contributions = _amount(_("Employer contributions (the month before)"))
    deducted_tax = _amount(_("Deducted tax (the month before)"))
    vat = _amount(_("VAT (negative: to get back)"))
    preliminary_tax = _amount(_("Preliminary tax (F-skatt)"))
    other = _amount(_("Other amount"))
    other_text = forms.CharField(label=_("Other: what it concerns"), max_length=120, required=False)

    AMOUNTS = ("employer_contributions", "deducted_tax", "vat", "preliminary_tax", "other")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.errors and all(data.get(name) is None for name in self.AMOUNTS):
            raise forms.ValidationError(_("Enter at least one amount."))
        if data.get("other") is not None and not data.get("other_text"):
            self.add_error("other_text", _("Say what the other amount concerns."))
        return data
