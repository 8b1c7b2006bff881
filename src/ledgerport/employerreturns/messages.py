"""The a-melding library's problems in the user's language (the library words them in English
for operators; `ledgerport.amelding.problems.MESSAGES` holds the same codes)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledgerport.amelding import Problem

MESSAGES = {
    "encoding": gettext_lazy("The file is neither UTF-8 nor Latin-1 text."),
    "empty": gettext_lazy("The file holds no lines."),
    "quote": gettext_lazy("The line cannot be read as CSV (%(detail)s)."),
    "record": gettext_lazy(
        "Unknown record type %(value)s (MELDING, VIRKSOMHET, ARBEIDSFORHOLD, INNTEKT, FORSKUDDSTREKK)."
    ),
    "columns": gettext_lazy("%(record)s takes %(expected)s fields; the line has %(found)s."),
    "melding_first": gettext_lazy("The first record must be MELDING (orgnr; month; payout date)."),
    "melding_twice": gettext_lazy("MELDING may be given only once."),
    "required": gettext_lazy("%(field)s must be filled in."),
    "amount": gettext_lazy(
        "%(value)s is not an amount (digits, decimal comma or point, at most two decimals)."
    ),
    "whole_kroner": gettext_lazy("%(value)s: withheld tax is stated in whole kroner."),
    "number": gettext_lazy("%(value)s is not a number."),
    "date": gettext_lazy("%(value)s is not a date (dd.mm.yyyy)."),
    "month": gettext_lazy("%(value)s is not a month (yyyy-mm)."),
    "yes_no": gettext_lazy("%(value)s must be ja or nei."),
    "unknown_unit": gettext_lazy("Virksomhet %(orgnr)s has no VIRKSOMHET record before this line."),
    "unit_twice": gettext_lazy("Virksomhet %(orgnr)s is given twice."),
    "unknown_employment": gettext_lazy("%(person)s has no arbeidsforhold %(employment)s before this line."),
    "employment_twice": gettext_lazy("%(person)s has arbeidsforhold %(employment)s twice."),
    "orgnr": gettext_lazy("%(value)s is not a valid organisation number (9 digits)."),
    "person": gettext_lazy("%(value)s is not a valid national identity number or D number (11 digits)."),
    "month_range": gettext_lazy("The month %(value)s is outside 2014-01 to 2099-12."),
    "negative_withholding": gettext_lazy("Withheld tax %(value)s is negative; state the amount withheld."),
    "no_employment": gettext_lazy("%(person)s has income but no arbeidsforhold."),
    "no_income": gettext_lazy("%(person)s has an arbeidsforhold but neither income nor withheld tax."),
    "income_employment": gettext_lazy(
        "An income of %(person)s names arbeidsforhold %(employment)s, which the employee does not have."
    ),
    "benefit": gettext_lazy("Fordel %(value)s is not kontantytelse, naturalytelse or utgiftsgodtgjoerelse."),
    "category": gettext_lazy("%(value)s is not an income category."),
    "zone": gettext_lazy("Sone %(value)s is not one of 1, 1a, 2, 3, 4, 4a, 5."),
    "rate": gettext_lazy("The rate %(value)s %% is outside 0 to 14.1 %%."),
    "percent": gettext_lazy("Stillingsprosent %(value)s is outside 0 to 100."),
    "no_contribution": gettext_lazy(
        "Virksomhet %(orgnr)s has income that triggers employer's contribution but no zone and rate."
    ),
    "payout_month": gettext_lazy("The payout date %(value)s is not in %(month)s."),
    "end_before_start": gettext_lazy("Arbeidsforhold %(employment)s of %(person)s ends before it starts."),
    "no_units": gettext_lazy("The month has no virksomhet."),
    "main_unit": gettext_lazy(
        "Virksomhet %(orgnr)s is the main unit; report employees under their sub-unit."
    ),
    "schema": gettext_lazy("The message does not follow the a-melding schema: %(detail)s"),
    "too_many": gettext_lazy("More than %(count)s problems; the first are shown."),
}


def describe(problem: Problem) -> str:
    template = MESSAGES.get(problem.code)
    text = str(template) % problem.params if template else problem.message()
    if problem.line and problem.column:
        return _("Line %(line)d, column %(column)d: %(message)s") % {
            "line": problem.line,
            "column": problem.column,
            "message": text,
        }
    if problem.line:
        return _("Line %(line)d: %(message)s") % {"line": problem.line, "message": text}
    return text
