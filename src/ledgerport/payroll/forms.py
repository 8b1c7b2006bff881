"""The firm's payroll forms (the files come from request.FILES, checked by the services)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _


class MonthField(forms.DateField):
    """ "2026-07" (a month input) as the month's first day."""

    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class RunForm(forms.Form):
    period = MonthField(label=_("Month worked"))
    payout_date = forms.DateField(label=_("Payout date"), widget=forms.DateInput(attrs={"type": "date"}))
    due_date = forms.DateField(
        label=_("Attest by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: two days before the payout."),
    )

    def clean_period(self) -> datetime.date:
        return self.cleaned_data["period"].replace(day=1)
