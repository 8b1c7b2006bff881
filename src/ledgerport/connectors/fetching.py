"""Documents' bytes fetched on a few worker threads per rate-limit lane (pure: no Django).

One request at a time leaves a provider's budget idle while the answer travels, so the
sync keeps a few in flight: WORKERS threads per lane (the budget a fetch spends, say one
endpoint; a provider may name other counts), each fetch taking its own permit from the
shared limiter. A lane waiting for its budget never holds up another lane. The workers
start at once and only fetch bytes: the caller stores them on its own thread, where the
database connection, the transactions and the checkpoints are. Fetched bytes not yet
taken by the caller are held up to HOLD_BYTES; beyond that the workers wait.

The budget goes first. A provider's window admits a burst, and the last requests of a
sync wait for the window of the burst's first ones: the faster a burst goes, the sooner
the sync ends. So work that spends no limited budget — the lanes a provider names free,
and the caller's own work between fetches (`yield_to_budget`) — waits while a budgeted
lane is sending, and runs while those lanes wait for their window (most of the time).
Each such thread yields at most YIELD_MAX seconds in all, so a budget that never runs
out (a slow provider) does not starve the free work. The last burst gates no later window:
once the budgeted requests left fit in what went out before the budget first waited (one
window's worth), free work no longer yields, so it does not pile up after the last
request. A fetch whose rest spends no budget (a download from a URL the provider's API
gave) returns that rest as `Later`: the lane's worker goes on to its next request, and a
few free workers (LATER_WORKERS) finish it.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

WORKERS = 4
HOLD_BYTES = 64 * 1024 * 1024
YIELD_MAX = 15.0
YIELD_POLL = 0.01
LATER_WORKERS = 4


@dataclass(frozen=True)
class Later:
    """The rest of a fetch, spending no limited budget: finished on a free worker."""

    fetch: Callable[[], bytes]


def complete(result: bytes | Later) -> bytes:
    """A fetch's bytes, its `Later` rest done here and now."""
    return result.fetch() if isinstance(result, Later) else result


class Fetchable(Protocol):
    @property
    def lane(self) -> str: ...

    @property
    def fetch(self) -> Callable[[], bytes | Later]: ...


R = TypeVar("R", bound=Fetchable)


class Fetcher(Generic[R]):
    """`with Fetcher(refs, stop=…) as fetcher:` fetches from the start; `results()` gives each
    ref with its finished fetch (`.result()` returns the bytes or raises), as they finish.

    Leaving the block sets `stop` (workers waiting for a permit give up), drops the fetches
    not started, waits for the running ones, and clears `stop` again.
    """

    def __init__(
        self,
        refs: list[R],
        *,
        stop: threading.Event,
        workers: int = WORKERS,
        lane_workers: Mapping[str, int] | None = None,
        free_lanes: Collection[str] = (),
        waiting_for_permit: Callable[[int | None], bool] = lambda thread: False,
        hold_bytes: int = HOLD_BYTES,
    ) -> None:
        self._stop = stop
        self._waiting_for_permit = waiting_for_permit
        self._yielded: dict[int, float] = {}  # per thread: seconds given to the budget so far
        self._roomless: set[int | None] = set()  # workers waiting for the caller to take bytes
        self._later: queue.Queue[tuple[R, Later] | None] = queue.Queue()  # None: no more
        self._later_threads: list[threading.Thread] = []
        self._lanes_left = 0  # lane workers still running
        self._starting = threading.Lock()
        self._started = 0  # budgeted fetches started
        self._window: int | None = None  # budgeted fetches started when the budget first waited
        self._budgeted_lanes: list[deque[R]] = []
        self._hold_bytes = hold_bytes
        self._held = 0
        self._room = threading.Condition()
        self._done: queue.Queue[tuple[R, Future[bytes]]] = queue.Queue()
        self._total = len(refs)
        lanes: dict[str, deque[R]] = {}
        for ref in refs:
            lanes.setdefault(ref.lane, deque()).append(ref)
        counts = {
            name: min((lane_workers or {}).get(name, workers), len(lane)) for name, lane in lanes.items()
        }
        self._threads = []
        self._budgeted = []  # the workers of the lanes that spend a limited budget
        for name, lane in lanes.items():
            for _ in range(counts[name]):
                free = name in free_lanes
                thread = threading.Thread(
                    target=self._work, args=(lane, free), name=f"sync-fetch-{name or 'api'}", daemon=True
                )
                self._threads.append(thread)
                if not free:
                    self._budgeted.append(thread)
            if name not in free_lanes:
                self._budgeted_lanes.append(lane)
        self._lanes_left = len(self._threads)
        # The budgeted workers first: a free one starting sees them running, not idle.
        for thread in sorted(self._threads, key=lambda thread: thread not in self._budgeted):
            thread.start()

    def __enter__(self) -> Fetcher[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with self._room:
            self._room.notify_all()
        for thread in self._threads:
            thread.join()
        with self._starting:
            for _ in self._later_threads:
                self._later.put(None)
        for thread in self._later_threads:
            thread.join()
        self._stop.clear()

    def results(self) -> Iterator[tuple[R, Future[bytes]]]:
        for _ in range(self._total):
            ref, future = self._done.get()
            if future.exception() is None:
                with self._room:
                    self._held -= len(future.result())
                    self._room.notify_all()
            yield ref, future

    def budget_idle(self) -> bool:
        """No budgeted lane is sending: each of its workers has finished or waits (for a
        permit, or for the caller to take the bytes it fetched)."""
        idle = all(
            not thread.is_alive() or thread.ident in self._roomless or self._waiting_for_permit(thread.ident)
            for thread in self._budgeted
        )
        if idle and self._window is None:
            self._window = self._started
        return idle

    def _last_burst(self) -> bool:
        return self._window is not None and sum(len(lane) for lane in self._budgeted_lanes) <= self._window

    def yield_to_budget(self) -> None:
        """Wait while a budgeted lane is sending (at most YIELD_MAX seconds per thread in all)."""
        thread = threading.get_ident()
        while not self._stop.is_set() and not self.budget_idle() and not self._last_burst():
            yielded = self._yielded.get(thread, 0.0)
            if yielded >= YIELD_MAX:
                return
            self._yielded[thread] = yielded + YIELD_POLL
            self._stop.wait(YIELD_POLL)

    def _work(self, lane: deque[R], free: bool) -> None:
        try:
            while not self._stop.is_set():
                with self._room:
                    # Room for one more (a file larger than the budget goes alone).
                    if self._held >= self._hold_bytes:
                        self._roomless.add(threading.get_ident())
                        while self._held >= self._hold_bytes and not self._stop.is_set():
                            self._room.wait()
                        self._roomless.discard(threading.get_ident())
                if free:
                    self.yield_to_budget()
                try:
                    ref = lane.popleft()  # deque: atomic between the lane's threads
                except IndexError:
                    return
                if not free:
                    with self._starting:
                        self._started += 1
                self._run(ref, ref.fetch)
        finally:
            with self._starting:
                self._lanes_left -= 1
                if not self._lanes_left:  # the last lane worker: nothing more comes Later
                    for _ in self._later_threads:
                        self._later.put(None)

    def _run(self, ref: R, fetch: Callable[[], bytes | Later], *, later: bool = False) -> None:
        future: Future[bytes] = Future()
        try:
            content = fetch()
            if isinstance(content, Later):
                if not later:
                    self._defer(ref, content)
                    return
                content = content.fetch()  # a rest's rest: done here
        except BaseException as exc:  # the caller's thread raises it
            future.set_exception(exc)
        else:
            with self._room:
                self._held += len(content)
            future.set_result(content)
        self._done.put((ref, future))

    def _defer(self, ref: R, rest: Later) -> None:
        with self._starting:
            if not self._later_threads:
                for _ in range(LATER_WORKERS):
                    thread = threading.Thread(target=self._work_later, name="sync-fetch-later", daemon=True)
                    self._later_threads.append(thread)
                    thread.start()
            self._later.put((ref, rest))

    def _work_later(self) -> None:
        while (item := self._later.get()) is not None:
            ref, rest = item
            if self._stop.is_set():
                continue  # dropped like a fetch not started
            self.yield_to_budget()
            self._run(ref, rest.fetch, later=True)
