"""What is wrong with a month's summary or its CSV file: a code, where (line, column) and the
values for the message. `MESSAGES` is the English wording; an application words the codes in
its own languages (`employerreturns/messages.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field

MESSAGES: dict[str, str] = {
    # the CSV file
    "encoding": "the file is neither UTF-8 nor Latin-1 text",
    "empty": "the file holds no lines",
    "quote": "the line cannot be read as CSV (%(detail)s)",
    "record": "unknown record type %(value)r (MELDING, VIRKSOMHET, ARBEIDSFORHOLD, INNTEKT, FORSKUDDSTREKK)",
    "columns": "%(record)s takes %(expected)s fields, the line has %(found)s",
    "melding_first": "the first record must be MELDING (orgnr; month; payout date)",
    "melding_twice": "MELDING may be given once",
    "required": "%(field)s must be filled in",
    "amount": "%(value)r is not an amount (digits, decimal comma or point, at most two decimals)",
    "whole_kroner": "%(value)r: withheld tax is stated in whole kroner",
    "number": "%(value)r is not a number",
    "date": "%(value)r is not a date (dd.mm.åååå or åååå-mm-dd)",
    "month": "%(value)r is not a month (åååå-mm)",
    "yes_no": "%(value)r must be ja or nei",
    "unknown_unit": "virksomhet %(orgnr)s has no VIRKSOMHET record before this line",
    "unit_twice": "virksomhet %(orgnr)s is given twice",
    "unknown_employment": "%(person)s has no ARBEIDSFORHOLD %(employment)r before this line",
    "employment_twice": "%(person)s has ARBEIDSFORHOLD %(employment)r twice",
    # the summary (also reported for a CSV file, with the line where the value was read)
    "orgnr": "%(value)r is not an organisation number (9 digits, mod 11)",
    "person": "%(value)r is not a fødselsnummer or D-nummer (11 digits, two check digits)",
    "month_range": "the month %(value)s is outside 2014-01 to 2099-12",
    "negative_withholding": "withheld tax %(value)s is negative; state the amount withheld",
    "no_employment": "%(person)s has income but no arbeidsforhold",
    "no_income": "%(person)s has an arbeidsforhold but neither income nor withheld tax",
    "income_employment": "an income of %(person)s names arbeidsforhold %(employment)r, which it does not have",
    "benefit": "fordel %(value)r is not one of kontantytelse, naturalytelse, utgiftsgodtgjoerelse",
    "category": "%(value)r is not an income category",
    "zone": "sone %(value)r is not one of 1, 1a, 2, 3, 4, 4a, 5",
    "rate": "the rate %(value)s%% is outside 0 to 14.1",
    "percent": "stillingsprosent %(value)s is outside 0 to 100",
    "no_contribution": "virksomhet %(orgnr)s has income that triggers employer's contribution but no zone and rate",
    "payout_month": "the payout date %(value)s is not in %(month)s",
    "end_before_start": "arbeidsforhold %(employment)r of %(person)s ends before it starts",
    "no_units": "the month has no virksomhet",
    "main_unit": "virksomhet %(orgnr)s is the main unit; report employees under their sub-unit",
    "schema": "the message does not follow the a-melding schema: %(detail)s",
    "too_many": "more than %(count)s problems; the first are shown",
}


@dataclass(frozen=True)
class Problem:
    code: str
    line: int = 0  # the CSV line, 0 when not read from a file
    column: int = 0  # the CSV field, 1-based, 0 when not one
    params: dict[str, object] = field(default_factory=dict, hash=False)

    def message(self) -> str:
        text = MESSAGES[self.code] % self.params
        if self.line and self.column:
            return f"line {self.line}, column {self.column}: {text}"
        if self.line:
            return f"line {self.line}: {text}"
        return text


class AmeldingError(ValueError):
    """The summary or file cannot be used; `problems` says every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message() for p in problems[:5]))
        self.problems = problems
