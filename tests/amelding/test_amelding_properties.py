"""Property tests: any summary survives CSV and JSON round trips with its amounts exact; any
bytes are either a summary or problems (never another exception); the sums are the
authority's arithmetic."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import ROUND_DOWN, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport.amelding import (
    AmeldingError,
    Contribution,
    Employee,
    Employment,
    Income,
    MonthSummary,
    Unit,
    Withholding,
    build_leveranse,
    jsonio,
    read_csv,
    read_leveranse,
    sums,
    write_csv,
)
from ledgerport.amelding.csvfile import parse_amount

fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNITS = ["973587102", "974760673", "971524960"]
PERSONS = ["12838512311", "04919245730", "27867831180", "09819922389"]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)
rates = st.sampled_from([Decimal("14.1"), Decimal("10.6"), Decimal("6.4"), Decimal("5.1"), Decimal(0)])


@st.composite
def employees(draw, person):
    job = Employment(
        "A1",
        "ordinaertArbeidsforhold",
        start=draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2026, 11, 1))),
        position_percent=draw(st.decimals(min_value=0, max_value=100, places=1)),
        hours_per_week=Decimal("37.5"),
        occupation="2431101",
        working_time="ikkeSkift",
    )
    incomes = draw(
        st.lists(
            st.builds(
                Income,
                description=st.sampled_from(["fastloenn", "timeloenn", "overtidsgodtgjoerelse", "bonus"]),
                benefit=st.sampled_from(["kontantytelse", "naturalytelse"]),
                triggers_contribution=st.booleans(),
                withholding_basis=st.booleans(),
                amount=amounts,
                employment_id=st.just("A1"),
            ),
            min_size=1,
            max_size=4,
        )
    )
    withheld = draw(st.lists(st.integers(0, 999999).map(Decimal), max_size=2))
    return Employee(person, "Navn", (job,), tuple(incomes), tuple(Withholding(w) for w in withheld))


@st.composite
def summaries(draw):
    units = []
    for orgnr in draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True)):
        people = [
            draw(employees(p)) for p in draw(st.lists(st.sampled_from(PERSONS), min_size=1, unique=True))
        ]
        basis = sum((i.amount for e in people for i in e.incomes if i.triggers_contribution), Decimal(0))
        contributions = (Contribution("generelleNaeringer", "1", basis, draw(rates)),) if basis else ()
        units.append(Unit(orgnr, tuple(people), contributions))
    return MonthSummary("923609016", "2026-11", datetime.date(2026, 11, 20), tuple(units))


@fast
@given(summaries())
def test_a_summary_survives_the_csv(summary):
    assert read_csv(write_csv(summary).encode("utf-8"), accept_synthetic=True) == summary
    assert read_csv(write_csv(summary).encode("latin-1"), accept_synthetic=True) == summary


@fast
@given(summaries())
def test_a_summary_survives_the_json(summary):
    document = build_leveranse(summary, message_id="m", delivered_at="2026-12-01T00:00:00.000+00:00")
    read, _ = read_leveranse(jsonio.loads(jsonio.dumps(document)))
    # names are for people reading the summary; the message identifies by number only
    unnamed = [tuple(dataclasses.replace(e, name="") for e in u.employees) for u in summary.units]
    assert [u.employees for u in read.units] == unnamed
    assert [u.contributions for u in read.units] == [u.contributions for u in summary.units]


@fast
@given(summaries())
def test_the_sums_are_the_authoritys(summary):
    paid = sums.payment(summary)
    exact = sum((c.basis * c.rate / 100 for u in summary.units for c in u.contributions), Decimal(0))
    assert paid.employer_contribution == int(exact.quantize(Decimal(1), rounding=ROUND_DOWN))
    assert paid.withheld == sum(w.amount for _, e in summary.employees for w in e.withholdings)


@fast
@given(amounts, st.booleans(), st.booleans())
def test_amounts_read_in_every_written_form(amount, comma, grouped):
    whole, _, cents = format(amount, "f").partition(".")
    if grouped:
        whole = f"{int(whole):,}".replace(",", " ")
    assert parse_amount(whole + ("," if comma else ".") + cents) == amount
    assert parse_amount("-" + whole + "," + cents) == -amount


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: ("MELDING;923609016;2026-11;20.11.2026\n" + t).encode())
)
def test_any_bytes_are_a_summary_or_problems(data):
    try:
        read_csv(data, accept_synthetic=True)
    except AmeldingError as exc:
        assert exc.problems and all(p.message() for p in exc.problems)
