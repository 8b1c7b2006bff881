""" "Synka två senaste åren" says which two fiscal years it fetches before it starts: the
current one (containing today) and the one before, counted from today's date against the
company's fiscal years, not the two the provider happens to list last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ledgerport.connectors import fiscal_years, sync, sync_runs
from ledgerport.connectors.models import Connection, ConnectionStatus
from ledgerport.ledger.models import FiscalYear
from sandbox.demo import FISCAL_YEARS
from tests.connectors.sync_helpers import connect

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Year:
    id: str
    start: date
    end: date


def calendar(*years: int) -> list[Year]:
    return [Year(str(y), date(y, 1, 1), date(y, 12, 31)) for y in years]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 6, 15), ["2025", "2026"]),  # 2027 is already created in the provider: not it
        (date(2026, 1, 1), ["2025", "2026"]),
        (date(2025, 12, 31), ["2024", "2025"]),
        (date(2027, 3, 1), ["2026", "2027"]),
    ],
)
def test_the_two_years_are_the_current_one_and_the_one_before(world, today, expected):
    chosen, missing = fiscal_years.two_latest(world.a1, calendar(2023, 2024, 2025, 2026, 2027), today)
    assert [y.id for y in chosen] == expected
    assert missing == []


def test_a_current_year_the_provider_lacks_is_named_as_missing(world):
    chosen, missing = fiscal_years.two_latest(world.a1, calendar(2024, 2025), date(2026, 2, 1))
    assert [y.id for y in chosen] == ["2025"]
    assert missing == [(date(2026, 1, 1), date(2026, 12, 31))]


def test_broken_fiscal_years_follow_the_companys_first_month(world):
    world.a1.fiscal_year_start_month = 5
    world.a1.save()
    provider = [Year(str(y), date(y, 5, 1), date(y + 1, 4, 30)) for y in (2024, 2025, 2026)]
    with time_machine.travel(date(2026, 3, 10)):
        assert fiscal_years.two_latest_periods(world.a1) == [
            (date(2024, 5, 1), date(2025, 4, 30)),
            (date(2025, 5, 1), date(2026, 4, 30)),
        ]
        assert [y.id for y in fiscal_years.two_latest(world.a1, provider)[0]] == ["2024", "2025"]
    with time_machine.travel(date(2026, 5, 2)):
        assert [y.id for y in fiscal_years.two_latest(world.a1, provider)[0]] == ["2025", "2026"]


def test_the_companys_own_fiscal_years_count_before_its_first_month(world):
    """An extended first year (18 months) is the year before 2026, whatever month says."""
    FiscalYear.objects.create(company=world.a1, start=date(2024, 7, 1), end=date(2025, 12, 31))
    with time_machine.travel(date(2026, 2, 1)):
        assert fiscal_years.two_latest_periods(world.a1) == [
            (date(2024, 7, 1), date(2025, 12, 31)),
            (date(2026, 1, 1), date(2026, 12, 31)),
        ]


@pytest.mark.parametrize(
    ("today", "previous", "current"),
    [
        (date(2026, 12, 4), "2025-01-01 – 2025-12-31", "2026-01-01 – 2026-12-31"),
        (date(2025, 9, 1), "2024-01-01 – 2024-12-31", "2025-01-01 – 2025-12-31"),
    ],
)
def test_the_card_says_which_years_before_the_sync_starts(client, world, today, previous, current):
    Connection.objects.create(company=world.a1, provider="fortnox", status=ConnectionStatus.ACTIVE)
    client.force_login(world.accountant_a)
    with time_machine.travel(today):
        body = client.get(reverse("web:company_collect", args=[world.a1.pk])).content.decode()
    assert f"Hämtar räkenskapsåren {previous} och {current} (innevarande)." in body


def test_a_sync_fetches_the_years_the_card_named_not_the_providers_latest(world, providers_at_sandbox):
    """The sandbox lists last year and this year. On 1 March next year the two years are this
    year and next, which the provider lacks: this year is fetched and next named, not last."""
    sandbox = providers_at_sandbox
    sandbox.seed_company("556036-0793", vouchers=20, files=4)
    last, this = FISCAL_YEARS
    with time_machine.travel(date(this + 1, 3, 1)):
        connection = connect(sandbox, world.a1)
        run = sync_runs.sync_start(connection=connection, enqueue=False)
        run = sync.sync_execute(run.pk)
    assert run is not None and run.status == "succeeded", run.log
    assert run.fiscal_years == [{"start": f"{this}-01-01", "end": f"{this}-12-31"}]
    assert f"inget räkenskapsår {this + 1}-01-01 – {this + 1}-12-31" in run.log, run.log  # said, not dropped
    # Last year is known only by the balances this year's file carries; its ledger was not fetched.
    assert not FiscalYear.objects.filter(company=world.a1, start=date(last, 1, 1), full_ledger=True).exists()
