"""The a-melding's forms: a month, a CSV file, one income line entered on the page."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ledgerport.amelding.csvfile import parse_amount, parse_number
from ledgerport.amelding.model import BENEFITS, ZONES
from ledgerport.core import norway_fields

MAX_FILE = 5 * 1024 * 1024
REQUIRED = {"required": _("This field must be filled in.")}


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month (yyyy-mm)"), max_length=7, error_messages=REQUIRED)

    def clean_month(self) -> str:
        value = self.cleaned_data["month"].strip()
        if not re.fullmatch(r"(20[1-9]\d)-(0[1-9]|1[0-2])", value) or value < "2014-01":
            raise ValidationError(_("Enter a month as yyyy-mm, from 2014-01."))
        return value


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Payroll summary (CSV)"), error_messages=REQUIRED)

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE:
            raise ValidationError(_("The file is larger than 5 MB."))
        return bytes(upload.read())


def _amount(value: str, *, whole: bool = False) -> Decimal:
    amount = parse_amount(value)
    if amount is None or (whole and amount != amount.to_integral_value()):
        raise ValidationError(_("Enter whole kroner.") if whole else _("Enter an amount, e.g. 41 200,00."))
    return amount


class LineForm(forms.Form):
    """One income line of one employee, with what it needs (virksomhet, arbeidsforhold)."""

    payout_date = norway_fields.DateField(label=_("Payout date"))
    unit = norway_fields.OrgnrField(label=_("Sub-unit (virksomhet) organisation number"))
    contribution_code = forms.CharField(
        label=_("Beregningskode"), initial="generelleNaeringer", max_length=60
    )
    zone = forms.ChoiceField(label=_("Zone"), choices=[(z, z) for z in ZONES], initial="1")
    rate = forms.CharField(label=_("Rate (%)"), initial="14,1", max_length=6)
    person = norway_fields.PersonNumberField(label=_("Fødselsnummer or D-nummer"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    employment_id = forms.CharField(label=_("Arbeidsforhold ID"), initial="1", max_length=150)
    employment_kind = forms.CharField(
        label=_("Type of arbeidsforhold"), initial="ordinaertArbeidsforhold", max_length=60
    )
    start = norway_fields.DateField(label=_("Start date"))
    position_percent = forms.CharField(label=_("Position (%)"), initial="100", max_length=6)
    hours_per_week = forms.CharField(label=_("Hours per week, full position"), initial="37,5", max_length=6)
    occupation = forms.CharField(label=_("Occupation (STYRK)"), max_length=7, required=False)
    working_time = forms.CharField(label=_("Working time arrangement"), initial="ikkeSkift", max_length=60)
    description = forms.CharField(label=_("Income (beskrivelse)"), initial="fastloenn", max_length=60)
    benefit = forms.ChoiceField(label=_("Fordel"), choices=[(b, b) for b in BENEFITS])
    triggers_contribution = forms.BooleanField(
        label=_("Triggers employer's contribution"), required=False, initial=True
    )
    withholding_basis = forms.BooleanField(
        label=_("Part of the basis for withholding"), required=False, initial=True
    )
    amount = forms.CharField(label=_("Amount"), max_length=20)
    withheld = forms.CharField(label=_("Tax withheld (whole kroner)"), max_length=20, required=False)

    def clean_rate(self) -> Decimal:
        rate = parse_number(self.cleaned_data["rate"])
        if rate is None or rate > Decimal("14.1"):
            raise ValidationError(_("Enter a rate from 0 to 14,1."))
        return rate

    def clean_position_percent(self) -> Decimal:
        value = parse_number(self.cleaned_data["position_percent"])
        if value is None or value > 100:
            raise ValidationError(_("Enter a percentage from 0 to 100."))
        return value

    def clean_hours_per_week(self) -> Decimal:
        value = parse_number(self.cleaned_data["hours_per_week"])
        if value is None or value > 168:
            raise ValidationError(_("Enter the hours of a full position per week."))
        return value

    def clean_amount(self) -> Decimal:
        return _amount(self.cleaned_data["amount"])

    def clean_withheld(self) -> Decimal:
        text = self.cleaned_data["withheld"]
        if not text:
            return Decimal(0)
        value = _amount(text, whole=True)
        if value < 0:
            raise ValidationError(_("State the tax withheld as a positive amount."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month = self.initial.get("month", "")
        payout = data.get("payout_date")
        if payout and month and f"{payout:%Y-%m}" != month:
            self.add_error("payout_date", _("The payout date must be in %(month)s.") % {"month": month})
        return data
