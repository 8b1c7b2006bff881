"""Skattekort: the employees' tax deduction cards for an income year, fetched through the
company's system user and shown, not stored (they are personal data the payroll reads when
it runs; fetching again is cheap)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledgerport.core import norway, norway_fields
from ledgerport.tenancy.models import Company

from ..models import ProviderSettings
from . import client
from .conf import conf, signing_key, skatteetaten_url
from .forms import AltinnMethod

RESULTS = {
    "skattekortopplysningerOK": gettext_lazy("Tax card issued"),
    "ikkeSkattekort": gettext_lazy("No tax card"),
    "ikkeTrekkplikt": gettext_lazy("No duty to deduct tax"),
    "ugyldigFoedselsEllerDnummer": gettext_lazy("Unknown national identity number"),
}
CODES = {
    "loennFraHovedarbeidsgiver": gettext_lazy("Salary, main employer"),
    "loennFraBiarbeidsgiver": gettext_lazy("Salary, secondary employer"),
    "pensjon": gettext_lazy("Pension"),
}


class SkattekortForm(forms.Form):
    income_year = forms.IntegerField(
        label=gettext_lazy("Income year"),
        min_value=2020,
        error_messages={
            "required": gettext_lazy("This field must be filled in."),
            "invalid": gettext_lazy("Only digits are allowed."),
            "min_value": gettext_lazy("Enter a year from 2020."),
        },
    )
    employees = norway_fields.TextAreaField(
        label=gettext_lazy("Employees' national identity numbers"),
        help_text=gettext_lazy("One fødselsnummer or D-nummer per line."),
    )

    def clean_income_year(self) -> int:
        year = int(self.cleaned_data["income_year"])
        if year > datetime.datetime.now(norway.OSLO).year + 1:
            raise ValidationError(_("Enter a year up to next year."))
        return year

    def clean_employees(self) -> list[str]:
        numbers, problems = [], []
        synthetic = norway_fields.synthetic_persons_accepted()
        for line_number, line in enumerate(self.cleaned_data["employees"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbers.append(norway.person_clean(line, accept_synthetic=synthetic))
            except norway.NorwegianValueError:
                problems.append(
                    _("Line %(line)d: enter a valid national identity number or D number (11 digits).")
                    % {"line": line_number}
                )
        if problems:
            raise ValidationError(problems)
        if not numbers:
            raise ValidationError(_("This field must be filled in."))
        return list(dict.fromkeys(numbers))


def tax_cards_fetch(
    *, company: Company, record: ProviderSettings, income_year: int, employees: list[str]
) -> list[dict[str, Any]]:
    """The cards as rows for the page; raises client.AltinnError with a sentence for people."""
    if record.method != AltinnMethod.SYSTEM_USER:
        raise client.AltinnError("method", _("Tax cards are fetched through the system user (Altinn 3)."))
    key, kid = signing_key()
    urls = conf()
    try:
        token = client.systemuser_token(
            token_url=urls["auth_url"],
            client_id=urls["client_id"],
            scope=client.SKATTEKORT_SCOPE,
            orgnr=company.orgnr,
            key_pem=key,
            kid=kid,
        )
        cards = client.skattekort_fetch(
            api_url=skatteetaten_url(),
            token=token.access_token,
            orgnr=company.orgnr,
            income_year=income_year,
            employees=employees,
            email=record.contact_email,
            mobile=record.contact_phone,
        )
    except client.AltinnError as exc:
        if exc.code == "unreachable":
            raise client.AltinnError(
                exc.code, _("Altinn could not be reached. Try again in a little while.")
            ) from exc
        raise client.AltinnError(
            exc.code,
            _("Altinn answered with an error: %(code)s %(message)s")
            % {"code": exc.code, "message": exc.message},
        ) from exc
    return [_row(card) for card in cards]


def _row(card: client.TaxCard) -> dict[str, Any]:
    return {
        "employee": card.employee[:6] + " " + card.employee[6:],
        "result": RESULTS.get(card.result, card.result),
        "ok": card.result == "skattekortopplysningerOK",
        "issued": card.issued,
        "card_id": card.card_id,
        "deductions": [
            {
                "code": CODES.get(d.code, d.code),
                "kind": d.kind,
                "table": d.table,
                "percent": d.percent,
                "months": d.months,
                "free_amount": d.free_amount,
            }
            for d in card.deductions
        ],
    }
