"""The `leveranse` object the a-melding API takes as JSON (v2.3, the shape of Skatteetaten's
example `filopplasting-leveranse-eksempel.json`), built from a summary and read back into one.

Amounts stay Decimal (write with `jsonio.dumps`); whole-kroner fields are int. Withheld tax
is stated negative, as the authority takes it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from .model import (
    CATEGORIES,
    Contribution,
    Employee,
    Employment,
    Income,
    MonthSummary,
    Payment,
    Unit,
    Withholding,
)
from .sums import payment as payment_of

EMPLOYMENT_FIELDS = {
    "arbeidsforholdId",
    "typeArbeidsforhold",
    "startdato",
    "sluttdato",
    "stillingsprosent",
    "antallTimerPerUkeSomEnFullStillingTilsvarer",
    "yrke",
    "arbeidstidsordning",
}
INCOME_FIELDS = {
    "fordel",
    "utloeserArbeidsgiveravgift",
    "inngaarIGrunnlagForTrekk",
    "beloep",
    "arbeidsforholdId",
}
EMPLOYEE_FIELDS = {"norskIdentifikator", "arbeidsforhold", "inntekt", "forskuddstrekk"}
PAYMENT_FIELDS = {"sumForskuddstrekk", "sumForskuddstrekkPerLoennsutbetalingsdato", "sumArbeidsgiveravgift"}


def _employment(e: Employment) -> dict[str, Any]:
    out: dict[str, Any] = {"arbeidsforholdId": e.employment_id, "typeArbeidsforhold": e.kind}
    if e.start:
        out["startdato"] = e.start.isoformat()
    if e.end:
        out["sluttdato"] = e.end.isoformat()
    if e.hours_per_week is not None:
        out["antallTimerPerUkeSomEnFullStillingTilsvarer"] = e.hours_per_week
    if e.occupation:
        out["yrke"] = e.occupation
    if e.working_time:
        out["arbeidstidsordning"] = e.working_time
    if e.position_percent is not None:
        out["stillingsprosent"] = e.position_percent
    return {**out, **e.extra}


def _income(i: Income) -> dict[str, Any]:
    out: dict[str, Any] = dict(i.extra)
    out.update(
        {
            "fordel": i.benefit,
            "utloeserArbeidsgiveravgift": i.triggers_contribution,
            "inngaarIGrunnlagForTrekk": i.withholding_basis,
            "beloep": i.amount,
        }
    )
    if i.employment_id:
        out["arbeidsforholdId"] = i.employment_id
    out[i.category] = {"beskrivelse": i.description, **i.category_extra}
    return out


def _employee(p: Employee) -> dict[str, Any]:
    out: dict[str, Any] = {"norskIdentifikator": p.person}
    if p.employments:
        out["arbeidsforhold"] = [_employment(e) for e in p.employments]
    if p.withholdings:
        out["forskuddstrekk"] = [
            {"beskrivelse": w.description, "beloep": -int(w.amount)} for w in p.withholdings
        ]
    if p.incomes:
        out["inntekt"] = [_income(i) for i in p.incomes]
    return {**out, **p.extra}


def _unit(u: Unit) -> dict[str, Any]:
    out: dict[str, Any] = {"norskIdentifikator": u.orgnr}
    if u.employees:
        out["inntektsmottaker"] = [_employee(p) for p in u.employees]
    contribution = dict(u.extra)
    if u.contributions:
        contribution["loennOgGodtgjoerelse"] = [
            {
                "beregningskodeForArbeidsgiveravgift": c.code,
                "sone": c.zone,
                "avgiftsgrunnlagBeloep": c.basis,
                "prosentsatsForAvgiftsberegning": c.rate,
            }
            for c in u.contributions
        ]
    if contribution:
        out["arbeidsgiveravgift"] = contribution
    return out


def _payment(p: Payment) -> dict[str, Any]:
    return {
        "sumArbeidsgiveravgift": p.employer_contribution,
        **p.extra,
        "sumForskuddstrekkPerLoennsutbetalingsdato": [
            {"loennsutbetalingsdato": day.isoformat(), "beloep": amount}
            for day, amount in p.withheld_per_date
        ],
    }


def build_leveranse(
    summary: MonthSummary, *, message_id: str, delivered_at: datetime.datetime | str, replaces: str = ""
) -> dict[str, Any]:
    """`{"leveranse": {...}}` as posted to the API. `replaces` is the meldingsId of the return
    this one replaces (erstatterMeldingsId)."""
    when = delivered_at if isinstance(delivered_at, str) else _timestamp(delivered_at)
    leveranse: dict[str, Any] = {
        "kildesystem": summary.source_system,
        "opplysningspliktig": {"norskIdentifikator": summary.orgnr},
        "meldingsId": message_id,
    }
    if replaces:
        leveranse["erstatterMeldingsId"] = replaces
    oppgave: dict[str, Any] = {"betalingsinformasjon": _payment(payment_of(summary))}
    oppgave["virksomhet"] = [_unit(u) for u in summary.units]
    oppgave.update(summary.extra)
    leveranse["oppgave"] = oppgave
    leveranse["leveringstidspunkt"] = when
    leveranse["kalendermaaned"] = summary.month
    if summary.language:
        leveranse["spraakForTilbakemelding"] = summary.language
    return {"leveranse": leveranse}


def _timestamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("leveringstidspunkt must be an aware time")
    utc = moment.astimezone(datetime.UTC)
    return utc.isoformat(timespec="milliseconds")


# --- reading a delivery back -------------------------------------------------------------


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ValueError(f"{value!r} is not an amount")
    return Decimal(value)


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _rest(data: dict[str, Any], known: set[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


def _read_employment(data: dict[str, Any]) -> Employment:
    return Employment(
        employment_id=str(data.get("arbeidsforholdId", "")),
        kind=str(data.get("typeArbeidsforhold", "")),
        start=_date(data.get("startdato")),
        end=_date(data.get("sluttdato")),
        position_percent=_decimal(data["stillingsprosent"]) if "stillingsprosent" in data else None,
        hours_per_week=_decimal(data["antallTimerPerUkeSomEnFullStillingTilsvarer"])
        if "antallTimerPerUkeSomEnFullStillingTilsvarer" in data
        else None,
        occupation=str(data.get("yrke", "")),
        working_time=str(data.get("arbeidstidsordning", "")),
        extra=_rest(data, EMPLOYMENT_FIELDS),
    )


def _read_income(data: dict[str, Any]) -> Income:
    category = next((c for c in CATEGORIES if c in data), "")
    if not category:
        raise ValueError("an inntekt names none of " + ", ".join(CATEGORIES))
    detail = dict(data[category])
    return Income(
        description=str(detail.pop("beskrivelse", "")),
        benefit=str(data.get("fordel", "")),
        triggers_contribution=bool(data.get("utloeserArbeidsgiveravgift")),
        withholding_basis=bool(data.get("inngaarIGrunnlagForTrekk")),
        amount=_decimal(data.get("beloep", 0)),
        category=category,
        employment_id=str(data.get("arbeidsforholdId", "")),
        extra=_rest(data, INCOME_FIELDS | set(CATEGORIES)),
        category_extra=detail,
    )


def _read_employee(data: dict[str, Any]) -> Employee:
    return Employee(
        person=str(data.get("norskIdentifikator", "")),
        employments=tuple(_read_employment(e) for e in data.get("arbeidsforhold") or []),
        incomes=tuple(_read_income(i) for i in data.get("inntekt") or []),
        withholdings=tuple(
            Withholding(-_decimal(w.get("beloep", 0)), str(w.get("beskrivelse", "")))
            for w in data.get("forskuddstrekk") or []
        ),
        extra=_rest(data, EMPLOYEE_FIELDS),
    )


def _read_unit(data: dict[str, Any]) -> Unit:
    contribution = dict(data.get("arbeidsgiveravgift") or {})
    lines = contribution.pop("loennOgGodtgjoerelse", None) or []
    return Unit(
        orgnr=str(data.get("norskIdentifikator", "")),
        employees=tuple(_read_employee(p) for p in data.get("inntektsmottaker") or []),
        contributions=tuple(
            Contribution(
                code=str(c.get("beregningskodeForArbeidsgiveravgift", "")),
                zone=str(c.get("sone", "")),
                basis=_decimal(c.get("avgiftsgrunnlagBeloep", 0)),
                rate=_decimal(c.get("prosentsatsForAvgiftsberegning", 0)),
            )
            for c in lines
        ),
        extra=contribution,
    )


def _read_payment(data: dict[str, Any]) -> Payment:
    per_date = tuple(
        (datetime.date.fromisoformat(str(d["loennsutbetalingsdato"])), int(d["beloep"]))
        for d in data.get("sumForskuddstrekkPerLoennsutbetalingsdato") or []
    )
    return Payment(
        withheld_per_date=per_date,
        employer_contribution=int(data.get("sumArbeidsgiveravgift", 0)),
        extra=_rest(data, PAYMENT_FIELDS),
    )


def read_leveranse(document: dict[str, Any]) -> tuple[MonthSummary, dict[str, str]]:
    """A delivery (`{"leveranse": …}`, read with `jsonio.loads`) as a summary with its stated
    payment, and its envelope: meldingsId, leveringstidspunkt, erstatterMeldingsId.
    ValueError when it is not one."""
    try:
        data = document["leveranse"]
        oppgave = dict(data["oppgave"])
        payment_data = oppgave.pop("betalingsinformasjon", None)
        payment = _read_payment(payment_data) if payment_data is not None else None
        units = tuple(_read_unit(u) for u in oppgave.pop("virksomhet", None) or [])
        per_date = payment.withheld_per_date if payment else ()
        summary = MonthSummary(
            orgnr=str(data["opplysningspliktig"]["norskIdentifikator"]),
            month=str(data["kalendermaaned"]),
            payout_date=per_date[0][0]
            if per_date
            else datetime.date.fromisoformat(data["kalendermaaned"] + "-01"),
            units=units,
            source_system=str(data.get("kildesystem", "")),
            language=str(data.get("spraakForTilbakemelding", "")),
            payment=payment,
            extra=oppgave,
        )
    except (KeyError, TypeError, AttributeError, ArithmeticError) as exc:
        raise ValueError(f"not an a-melding leveranse: {exc!r}") from exc
    envelope = {
        "meldingsId": str(data.get("meldingsId", "")),
        "leveringstidspunkt": str(data.get("leveringstidspunkt", "")),
        "erstatterMeldingsId": str(data.get("erstatterMeldingsId", "")),
    }
    return summary, envelope
