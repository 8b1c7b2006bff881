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


def test_free_work_waits_while_a_budgeted_lane_sends_and_runs_while_it_waits_for_its_window():
    waiting: set[int] = set()
    window = threading.Event()
    sent: list[float] = []
    free_started: list[float] = []

    def limited(i: int) -> bytes:
        if i >= 4:  # the window is full: like the limiter, wait for a permit
            waiting.add(threading.get_ident())
            window.wait(10)
            waiting.discard(threading.get_ident())
        else:
            time.sleep(0.05)
        sent.append(time.monotonic())
        return b"l"

    def free() -> bytes:
        free_started.append(time.monotonic())
        if len(free_started) == 3:
            window.set()
        return b"f"

    refs = [Ref("limited", lambda i=i: limited(i)) for i in range(8)] + [Ref("free", free) for _ in range(3)]
    with fetching.Fetcher(
        refs,
        stop=threading.Event(),
        workers=2,
        free_lanes={"free"},
        waiting_for_permit=lambda thread: thread in waiting,
    ) as fetcher:
        got = sorted(future.result() for _, future in fetcher.results())
    assert got == [b"f"] * 3 + [b"l"] * 8
    assert min(free_started) >= sorted(sent)[3]  # after the burst of four, not during it


def test_a_later_rest_is_finished_on_a_free_worker_while_the_lane_sends_on():
    sent: list[float] = []
    downloaded: list[float] = []

    def download(i: int) -> bytes:
        time.sleep(0.1)
        downloaded.append(time.monotonic())
        return f"pdf {i}".encode()

    def fetch(i: int) -> fetching.Later:
        sent.append(time.monotonic())  # the budgeted request (say, for a temporary URL)
        return fetching.Later(lambda: download(i))

    refs = [Ref("invoices", lambda i=i: fetch(i)) for i in range(3)]
    with fetching.Fetcher(refs, stop=threading.Event(), workers=1) as fetcher:
        got = sorted(future.result() for _, future in fetcher.results())
    assert got == [b"pdf 0", b"pdf 1", b"pdf 2"]
    assert max(sent) < min(downloaded)  # the lane's worker did not wait for a download
    assert fetching.complete(fetch(7)) == b"pdf 7"
