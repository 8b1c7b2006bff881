"""The month's payroll summary as a CSV file (layout: docs/a-melding-csv.md).

One record a line, its type in the first field; fields separated by semicolons (or commas,
when the first record has no semicolon); UTF-8 (with or without BOM) or Latin-1; decimal
comma or point; blank lines and lines starting with # are skipped. Every problem is reported
with its line and column, all at once, and nothing is returned unless the whole file is good.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .checks import check
from .model import Contribution, Employee, Employment, Income, MonthSummary, Unit, Withholding
from .problems import AmeldingError, Problem

# record -> its fields (name, required); the first field is the record type itself.
RECORDS: dict[str, tuple[tuple[str, bool], ...]] = {
    "MELDING": (("orgnr", True), ("kalendermaaned", True), ("loennsutbetalingsdato", True)),
    "VIRKSOMHET": (("orgnr", True), ("beregningskode", False), ("sone", False), ("sats", False)),
    "ARBEIDSFORHOLD": (
        ("virksomhet", True),
        ("fodselsnummer", True),
        ("navn", False),
        ("arbeidsforholdId", True),
        ("typeArbeidsforhold", True),
        ("startdato", True),
        ("sluttdato", False),
        ("stillingsprosent", False),
        ("timerPerUke", False),
        ("yrke", False),
        ("arbeidstidsordning", False),
    ),
    "INNTEKT": (
        ("virksomhet", True),
        ("fodselsnummer", True),
        ("arbeidsforholdId", False),
        ("beskrivelse", True),
        ("fordel", True),
        ("arbeidsgiveravgift", True),
        ("trekkgrunnlag", True),
        ("beloep", True),
        ("kategori", False),
    ),
    "FORSKUDDSTREKK": (("virksomhet", True), ("fodselsnummer", True), ("beloep", True)),
}
AMOUNT = re.compile(r"^([-+\u2212]?)(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,](\d{1,2}))?$")
NUMBER = re.compile(r"^(\d+)(?:[.,](\d+))?$")
MONTH = re.compile(r"^\d{4}-\d{2}$")
YES = {"ja", "j", "yes", "true", "1"}
NO = {"nei", "n", "no", "false", "0"}
MAX_PROBLEMS = 100


class _Stop(Exception):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped), else Latin-1; a file with NUL bytes is not text."""
    if b"\x00" in data:
        raise AmeldingError([Problem("encoding")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_amount(text: str) -> Decimal | None:
    match = AMOUNT.match(text.strip())
    if not match:
        return None
    sign, whole, cents = match.groups()
    value = Decimal(re.sub(r"[ \u00a0]", "", whole) + ("." + cents if cents else ""))
    return -value if sign in ("-", "\u2212") else value


def parse_number(text: str) -> Decimal | None:
    match = NUMBER.match(text.strip())
    if not match:
        return None
    try:
        return Decimal(match.group(1) + ("." + match.group(2) if match.group(2) else ""))
    except InvalidOperation:
        return None


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


@dataclass
class _Person:
    name: str = ""
    employments: list[Employment] = field(default_factory=list)
    incomes: list[Income] = field(default_factory=list)
    withholdings: list[Withholding] = field(default_factory=list)


@dataclass
class _Unit:
    code: str
    zone: str
    rate: Decimal
    at: tuple[int, int]
    rate_at: tuple[int, int]
    people: dict[str, _Person] = field(default_factory=dict)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.where: dict[int, tuple[int, int]] = {}  # id(model object) -> (line, column)
        self.head: tuple[str, str, datetime.date] | None = None
        self.head_line = 0
        self.units: dict[str, _Unit] = {}

    def problem(self, code: str, line: int, column: int = 0, **params: object) -> None:
        self.problems.append(Problem(code, line, column, params))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def fields(self, record: str, row: list[str], line: int) -> dict[str, tuple[str, int]] | None:
        spec = RECORDS[record]
        values = [v.strip() for v in row[1:]]
        while len(values) > len(spec) and not values[-1]:
            values.pop()  # spreadsheets pad lines with empty fields
        required = max(i for i, (_, needed) in enumerate(spec) if needed) + 1
        if not required <= len(values) <= len(spec):
            expected = str(len(spec)) if required == len(spec) else f"{required} to {len(spec)}"
            self.problem("columns", line, record=record, expected=expected, found=len(values))
            return None
        out: dict[str, tuple[str, int]] = {}
        for index, (name, needed) in enumerate(spec):
            value = values[index] if index < len(values) else ""
            if needed and not value:
                self.problem("required", line, index + 2, field=name)
            out[name] = (value, index + 2)
        return out

    def amount(self, f: dict[str, tuple[str, int]], name: str, line: int) -> Decimal | None:
        text, column = f[name]
        value = parse_amount(text)
        if value is None and text:
            self.problem("amount", line, column, value=text)
        return value

    def number(self, f: dict[str, tuple[str, int]], name: str, line: int) -> Decimal | None:
        text, column = f[name]
        if not text:
            return None
        value = parse_number(text)
        if value is None:
            self.problem("number", line, column, value=text)
        return value

    def date(self, f: dict[str, tuple[str, int]], name: str, line: int) -> datetime.date | None:
        text, column = f[name]
        if not text:
            return None
        value = parse_date(text)
        if value is None:
            self.problem("date", line, column, value=text)
        return value

    def flag(self, f: dict[str, tuple[str, int]], name: str, line: int) -> bool:
        text, column = f[name]
        if text.lower() in YES:
            return True
        if text.lower() not in NO and text:
            self.problem("yes_no", line, column, value=text)
        return False

    def person(self, f: dict[str, tuple[str, int]], line: int) -> _Person | None:
        orgnr, column = f["virksomhet"]
        unit = self.units.get(orgnr)
        if unit is None:
            if orgnr:
                self.problem("unknown_unit", line, column, orgnr=orgnr)
            return None
        number = f["fodselsnummer"][0].replace(" ", "")
        if number not in unit.people:
            unit.people[number] = _Person()
            self.where[id(unit.people[number])] = (line, f["fodselsnummer"][1])
        return unit.people[number]

    def read(self, text: str) -> None:
        lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        delimiter = ";" if not lines or ";" in lines[0] else ","
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                self.problem("quote", rows.line_num, 0, detail=str(exc))
                raise _Stop from exc
            line = rows.line_num
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            record = row[0].strip().upper()
            if record not in RECORDS:
                self.problem("record", line, 1, value=row[0].strip())
                continue
            if self.head is None and record != "MELDING":
                self.problem("melding_first", line, 1)
                raise _Stop
            f = self.fields(record, row, line)
            if f is not None:
                getattr(self, "record_" + record.lower())(f, line)
        if self.head is None and not self.problems:
            self.problem("empty", 0)

    def record_melding(self, f: dict[str, tuple[str, int]], line: int) -> None:
        if self.head is not None or self.head_line:
            self.problem("melding_twice", line, 1)
            return
        self.head_line = line
        month, column = f["kalendermaaned"]
        if month and not MONTH.match(month):
            self.problem("month", line, column, value=month)
        payout = self.date(f, "loennsutbetalingsdato", line)
        if payout is not None:
            self.head = (f["orgnr"][0].replace(" ", ""), month, payout)
        else:
            self.head = (f["orgnr"][0], month, datetime.date(2000, 1, 1))  # reported above

    def record_virksomhet(self, f: dict[str, tuple[str, int]], line: int) -> None:
        orgnr = f["orgnr"][0].replace(" ", "")
        if orgnr in self.units:
            self.problem("unit_twice", line, f["orgnr"][1], orgnr=orgnr)
            return
        rate = self.number(f, "sats", line)
        self.units[orgnr] = _Unit(
            f["beregningskode"][0],
            f["sone"][0].lower(),
            rate if rate is not None else Decimal(0),
            at=(line, f["orgnr"][1]),
            rate_at=(line, f["sats"][1]),
        )

    def record_arbeidsforhold(self, f: dict[str, tuple[str, int]], line: int) -> None:
        person = self.person(f, line)
        if person is None:
            return
        employment_id = f["arbeidsforholdId"][0]
        if any(e.employment_id == employment_id for e in person.employments):
            self.problem(
                "employment_twice",
                line,
                f["arbeidsforholdId"][1],
                person=f["fodselsnummer"][0],
                employment=employment_id,
            )
            return
        person.name = person.name or f["navn"][0]
        employment = Employment(
            employment_id=employment_id,
            kind=f["typeArbeidsforhold"][0],
            start=self.date(f, "startdato", line),
            end=self.date(f, "sluttdato", line),
            position_percent=self.number(f, "stillingsprosent", line),
            hours_per_week=self.number(f, "timerPerUke", line),
            occupation=f["yrke"][0],
            working_time=f["arbeidstidsordning"][0],
        )
        person.employments.append(employment)
        self.where[id(employment)] = (line, f["stillingsprosent"][1])

    def record_inntekt(self, f: dict[str, tuple[str, int]], line: int) -> None:
        person = self.person(f, line)
        amount = self.amount(f, "beloep", line)
        triggers = self.flag(f, "arbeidsgiveravgift", line)
        basis = self.flag(f, "trekkgrunnlag", line)
        if person is None or amount is None:
            return
        employment_id, column = f["arbeidsforholdId"]
        if employment_id and not any(e.employment_id == employment_id for e in person.employments):
            self.problem(
                "unknown_employment", line, column, person=f["fodselsnummer"][0], employment=employment_id
            )
            return
        income = Income(
            description=f["beskrivelse"][0],
            benefit=f["fordel"][0],
            triggers_contribution=triggers,
            withholding_basis=basis,
            amount=amount,
            category=f["kategori"][0] or "loennsinntekt",
            employment_id=employment_id,
        )
        person.incomes.append(income)
        self.where[id(income)] = (line, f["fordel"][1])

    def record_forskuddstrekk(self, f: dict[str, tuple[str, int]], line: int) -> None:
        person = self.person(f, line)
        amount = self.amount(f, "beloep", line)
        if person is None or amount is None:
            return
        withholding = Withholding(amount)
        person.withholdings.append(withholding)
        self.where[id(withholding)] = (line, f["beloep"][1])

    def summary(self) -> MonthSummary:
        assert self.head is not None
        orgnr, month, payout = self.head
        units = []
        for unit_orgnr, unit in self.units.items():
            employees = []
            for number, p in unit.people.items():
                employee = Employee(
                    person=number,
                    name=p.name,
                    employments=tuple(p.employments),
                    incomes=tuple(p.incomes),
                    withholdings=tuple(p.withholdings),
                )
                self.where[id(employee)] = self.where[id(p)]
                employees.append(employee)
            basis = sum(
                (i.amount for e in employees for i in e.incomes if i.triggers_contribution), Decimal(0)
            )
            contributions = (Contribution(unit.code, unit.zone, basis, unit.rate),) if basis else ()
            for c in contributions:
                self.where[id(c)] = unit.rate_at
            built = Unit(unit_orgnr, tuple(employees), contributions)
            self.where[id(built)] = unit.at
            units.append(built)
        summary = MonthSummary(orgnr=orgnr, month=month, payout_date=payout, units=tuple(units))
        self.where[id(summary)] = (self.head_line, 0)
        return summary


def read_csv(data: bytes, *, accept_synthetic: bool = False, checked: bool = True) -> MonthSummary:
    """The summary in the file; AmeldingError naming every problem's line and column.
    `checked=False` reads the format only (a draft being entered may not be complete yet)."""
    reader = _Reader()
    with contextlib.suppress(_Stop):  # too many problems, or one that ends the reading
        reader.read(decode(data))
    if reader.problems or reader.head is None:
        raise AmeldingError(reader.problems or [Problem("empty")])
    summary = reader.summary()
    if not checked:
        return summary
    problems = check(
        summary, accept_synthetic=accept_synthetic, where=lambda obj: reader.where.get(id(obj), (0, 0))
    )
    if problems:
        raise AmeldingError(problems)
    return summary


def _amount(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


def write_csv(summary: MonthSummary) -> str:
    """The summary in the file's layout (what `read_csv` reads back to the same summary)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["MELDING", summary.orgnr, summary.month, summary.payout_date.strftime("%d.%m.%Y")])
    for unit in summary.units:
        c = unit.contributions[0] if unit.contributions else None
        writer.writerow(
            ["VIRKSOMHET", unit.orgnr, c.code if c else "", c.zone if c else "", _amount(c.rate) if c else ""]
        )
    for unit in summary.units:
        for p in unit.employees:
            for e in p.employments:
                writer.writerow(
                    [
                        "ARBEIDSFORHOLD",
                        unit.orgnr,
                        p.person,
                        p.name,
                        e.employment_id,
                        e.kind,
                        e.start.strftime("%d.%m.%Y") if e.start else "",
                        e.end.strftime("%d.%m.%Y") if e.end else "",
                        _amount(e.position_percent) if e.position_percent is not None else "",
                        _amount(e.hours_per_week) if e.hours_per_week is not None else "",
                        e.occupation,
                        e.working_time,
                    ]
                )
            for i in p.incomes:
                writer.writerow(
                    [
                        "INNTEKT",
                        unit.orgnr,
                        p.person,
                        i.employment_id,
                        i.description,
                        i.benefit,
                        "ja" if i.triggers_contribution else "nei",
                        "ja" if i.withholding_basis else "nei",
                        _amount(i.amount),
                        i.category,
                    ]
                )
            for w in p.withholdings:
                writer.writerow(["FORSKUDDSTREKK", unit.orgnr, p.person, _amount(w.amount)])
    return out.getvalue()
