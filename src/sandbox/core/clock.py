"""A controllable clock: wall time (or an injected callable) plus an offset set via /_control/clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock:
    """``now()`` is timezone-aware UTC. ``func`` may return epoch seconds or an aware datetime."""

    def __init__(self, func: Callable[[], float | datetime] | None = None) -> None:
        self._func = func or time.time
        self.offset = 0.0

    def time(self) -> float:
        value = self._func()
        if isinstance(value, datetime):
            value = value.timestamp()
        return float(value) + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def local_now(self) -> datetime:
        return self.now().astimezone(STOCKHOLM)

    def advance(self, seconds: float) -> None:
        self.offset += seconds
