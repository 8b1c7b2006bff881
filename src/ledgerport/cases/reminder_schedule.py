"""When a case's reminders fall due (pure: no Django). The due date itself comes from the
caller (a tax case's from `analysis.deadlines`); this only spaces reminders around it.

With a due date: `days_before` days before it (if > 0), on it, then every `every_days` days,
at most `max_count` in all. Without one: every `every_days` days after the case began waiting.
Only dates after the day the case began waiting count (the opening mail covered that day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Cadence:
    days_before: int
    every_days: int
    max_count: int


def reminder_dates(*, due: date | None, waiting_since: date, cadence: Cadence) -> list[date]:
    if cadence.max_count <= 0:
        return []
    candidates: list[date] = []
    if due is not None:
        if cadence.days_before > 0:
            candidates.append(due - timedelta(days=cadence.days_before))
        candidates.append(due)
        start = due
    else:
        start = waiting_since
    dates = [d for d in candidates if d > waiting_since]
    step = cadence.every_days
    later = start
    while step > 0 and len(dates) < cadence.max_count:
        later += timedelta(days=step)
        if later > waiting_since:
            dates.append(later)
    return dates[: cadence.max_count]


def due_reminder(dates: list[date], *, today: date, last_sent_for: date | None) -> date | None:
    """The scheduled date whose reminder goes out today, or None. `last_sent_for`: the scheduled
    date of the last reminder sent in this waiting period. After a pause (no run for days) only
    the latest passed date is sent: one mail, not a burst."""
    passed = [d for d in dates if d <= today]
    if not passed:
        return None
    latest = passed[-1]
    return latest if last_sent_for is None or latest > last_sent_for else None
