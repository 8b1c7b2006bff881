"""Fetch workers: a few requests in flight per lane, a waiting lane never holds up another."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ledgerport.connectors import fetching


@dataclass
class Ref:
    lane: str
    fetch: Callable[[], bytes]


def test_fetches_run_several_at_once_and_every_result_comes_back():
    lock = threading.Lock()
    running = peak = 0

    def fetch(i: int) -> bytes:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return str(i).encode()

    refs = [Ref("a", lambda i=i: fetch(i)) for i in range(20)]
    with fetching.Fetcher(refs, stop=threading.Event()) as fetcher:
        got = {future.result() for _, future in fetcher.results()}
    assert got == {str(i).encode() for i in range(20)}
    assert peak == fetching.WORKERS


def test_a_lane_waiting_for_its_budget_does_not_hold_up_another():
    budget = threading.Event()
    refs = [Ref("limited", lambda: budget.wait(10) and b"late") for _ in range(8)]
    refs += [Ref("free", lambda: b"now") for _ in range(30)]
    first = []
    with fetching.Fetcher(refs, stop=threading.Event()) as fetcher:
        for _ref, future in fetcher.results():
            first.append(future.result())
            if len(first) == 30:
                budget.set()
    assert first[:30] == [b"now"] * 30
    assert first[30:] == [b"late"] * 8


def test_an_error_reaches_the_caller_and_leaving_early_stops_the_waiting_workers():
    stop = threading.Event()
    seen_stop = []

    def waits() -> bytes:
        seen_stop.append(stop.wait(30))  # like a worker waiting for a permit
        return b""

    def fails() -> bytes:
        raise ValueError("provider said no")

    refs = [Ref("a", fails)] + [Ref("b", waits) for _ in range(3)]
    started = time.monotonic()
    with (
        pytest.raises(ValueError, match="provider said no"),
        fetching.Fetcher(refs, stop=stop) as fetcher,
    ):
        for _, future in fetcher.results():
            future.result()
    assert time.monotonic() - started < 10
    assert seen_stop == [True, True, True]
    assert not stop.is_set()  # the client is usable again afterwards


def test_fetched_bytes_waiting_for_the_caller_are_bounded():
    """The workers start at once but hold at most the budget of bytes the caller has not taken."""
    refs = [Ref("a", lambda: b"x" * 100) for _ in range(50)]
    with fetching.Fetcher(refs, stop=threading.Event(), hold_bytes=1000) as fetcher:
        time.sleep(0.3)  # the caller is busy elsewhere
        assert fetcher._done.qsize() <= 1000 // 100 + fetching.WORKERS
        assert sum(len(future.result()) for _, future in fetcher.results()) == 5000
