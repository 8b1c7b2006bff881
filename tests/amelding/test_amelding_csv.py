"""The CSV reader: the documented layout, every problem with its line and column, nothing
half-read; Latin-1 and decimal comma accepted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ledgerport.amelding import AmeldingError, read_csv, write_csv
from ledgerport.amelding.sums import payment

FILE = Path(__file__).parent / "files" / "fjordlys-2026-11.csv"


def read(text: str, **kwargs):
    return read_csv(text.encode("utf-8"), accept_synthetic=True, **kwargs)


def problems(text: str, encoding: str = "utf-8") -> list[tuple[int, int, str]]:
    with pytest.raises(AmeldingError) as caught:
        read_csv(text.encode(encoding), accept_synthetic=True)
    return [(p.line, p.column, p.code) for p in caught.value.problems]


HEAD = "MELDING;923609016;2026-11;20.11.2026\nVIRKSOMHET;973587102;generelleNaeringer;1;14,1\n"
JOB = "ARBEIDSFORHOLD;973587102;12838512311;Ingrid;A1;ordinaertArbeidsforhold;01.03.2021;;100;37,5;2431101;ikkeSkift\n"


def test_the_documented_example_reads_with_its_sums():
    summary = read_csv(FILE.read_bytes(), accept_synthetic=True)
    assert summary.orgnr == "923609016" and summary.month == "2026-11"
    unit = summary.units[0]
    assert unit.orgnr == "973587102"
    assert [e.person for e in unit.employees] == ["12838512311", "04919245730"]
    first = unit.employees[0]
    assert first.name == "Ingrid Fjellstad"
    assert first.incomes[0].amount == Decimal("58500.00") and first.incomes[1].amount == Decimal("3412.50")
    assert first.employments[0].hours_per_week == Decimal("37.5")
    # the contribution's basis is the income that triggers it: 58500 + 3412.50 + 41200 + 366
    assert unit.contributions[0].basis == Decimal("103478.50")
    paid = payment(summary)
    assert paid.withheld == 19744 + 11639
    # 103478.50 × 14.1 % = 14590.4685: the øre dropped
    assert paid.employer_contribution == 14590


def test_written_back_it_reads_the_same():
    summary = read_csv(FILE.read_bytes(), accept_synthetic=True)
    assert read(write_csv(summary)) == summary


def test_latin1_and_commas_as_separator():
    text = HEAD + JOB + "INNTEKT;973587102;12838512311;A1;fastloenn;kontantytelse;ja;ja;1000\n"
    text += "FORSKUDDSTREKK;973587102;12838512311;300\n"
    comma = text.replace(";", ",").replace("14,1", '"14,1"').replace("37,5", '"37,5"')
    latin = read_csv(text.replace("Ingrid", "Åse Ødegård").encode("latin-1"), accept_synthetic=True)
    assert latin.units[0].employees[0].name == "Åse Ødegård"
    assert read(comma) == read(text)


def test_every_problem_is_named_by_line_and_column_at_once():
    text = (
        HEAD
        + JOB
        + "INNTEKT;973587102;12838512311;A1;fastloenn;kontantytelse;kanskje;ja;12x\n"
        + "INNTEKT;973587102;12838512311;B9;fastloenn;kontantytelse;ja;ja;100\n"
        + "FORSKUDDSTREKK;999999999;12838512311;300\n"
        + "TREKK;1;2\n"
        + "ARBEIDSFORHOLD;973587102;12838512311;Ingrid;A2;ordinaertArbeidsforhold;31.02.2021\n"
    )
    assert problems(text) == [
        (4, 9, "amount"),
        (4, 7, "yes_no"),
        (5, 4, "unknown_employment"),
        (6, 2, "unknown_unit"),
        (7, 1, "record"),
        (8, 7, "date"),
    ]


def test_missing_fields_and_wrong_counts():
    text = (
        HEAD + "ARBEIDSFORHOLD;973587102;12838512311\nINNTEKT;973587102;12838512311;;;kontantytelse;ja;ja;\n"
    )
    assert problems(text) == [(3, 0, "columns"), (4, 5, "required"), (4, 9, "required")]


def test_identifiers_and_rules_are_checked_with_the_line():
    text = (
        "MELDING;923609017;2026-11;20.11.2026\n"
        "VIRKSOMHET;973587102;generelleNaeringer;9;14,1\n"
        "ARBEIDSFORHOLD;973587102;12838512312;X;A1;ordinaertArbeidsforhold;01.03.2021\n"
        "INNTEKT;973587102;12838512312;A1;fastloenn;kontantytelse;ja;ja;1000\n"
        "FORSKUDDSTREKK;973587102;12838512312;-300\n"
        "INNTEKT;973587102;04919245730;;fastloenn;kontantytelse;ja;ja;1000\n"
    )
    assert problems(text) == [
        (1, 0, "orgnr"),
        (2, 5, "zone"),
        (3, 3, "person"),
        (5, 4, "negative_withholding"),
        (6, 3, "no_employment"),
    ]


def test_withheld_tax_is_whole_kroner_and_the_payout_in_the_month():
    text = HEAD.replace("20.11.2026", "20.12.2026") + JOB
    text += "INNTEKT;973587102;12838512311;A1;fastloenn;kontantytelse;ja;ja;1000\n"
    text += "FORSKUDDSTREKK;973587102;12838512311;300,50\n"
    assert problems(text) == [(1, 0, "payout_month"), (5, 4, "whole_kroner")]


def test_synthetic_persons_only_when_accepted():
    text = HEAD + JOB + "INNTEKT;973587102;12838512311;A1;fastloenn;kontantytelse;ja;ja;1000\n"
    assert read(text).units[0].employees[0].person == "12838512311"
    with pytest.raises(AmeldingError) as caught:
        read_csv(text.encode(), accept_synthetic=False)
    assert [p.code for p in caught.value.problems] == ["person"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("# only a comment\n\n", "empty"),
        ("VIRKSOMHET;973587102;generelleNaeringer;1;14,1\n", "melding_first"),
        (HEAD + "MELDING;923609016;2026-11;20.11.2026\n", "melding_twice"),
        (HEAD + "VIRKSOMHET;973587102;generelleNaeringer;1;14,1\n", "unit_twice"),
        (HEAD + JOB + JOB, "employment_twice"),
    ],
)
def test_structure_problems(text, code):
    assert code in [c for _, _, c in problems(text)]


def test_binary_is_not_text():
    with pytest.raises(AmeldingError) as caught:
        read_csv(b"MELDING\x00;1", accept_synthetic=True)
    assert caught.value.problems[0].code == "encoding"


def test_messages_name_line_and_column():
    with pytest.raises(AmeldingError) as caught:
        read(HEAD + JOB + "INNTEKT;973587102;12838512311;A1;fastloenn;kontantytelse;ja;ja;12x\n")
    assert caught.value.problems[0].message() == (
        "line 4, column 9: '12x' is not an amount (digits, decimal comma or point, at most two decimals)"
    )
