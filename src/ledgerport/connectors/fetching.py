"""Documents' bytes fetched on a few worker threads per rate-limit lane (pure: no Django).

One request at a time leaves a provider's budget idle while the answer travels, so the
sync keeps a few in flight: WORKERS threads per lane (the budget a fetch spends, say one
endpoint), each fetch taking its own permit from the shared limiter. A lane waiting for its
budget never holds up another lane. The workers only fetch bytes: the caller stores them
on its own thread, where the database connection, the transactions and the checkpoints
are. At most AHEAD results of a lane wait for the caller, which bounds the memory held.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Protocol, TypeVar

WORKERS = 4
AHEAD = 16


class Fetchable(Protocol):
    @property
    def lane(self) -> str: ...

    @property
    def fetch(self) -> Callable[[], bytes]: ...


R = TypeVar("R", bound=Fetchable)


def fetched(
    refs: list[R], *, stop: threading.Event, workers: int = WORKERS, ahead: int = AHEAD
) -> Generator[tuple[R, Future[bytes]]]:
    """Each ref with its finished fetch (`.result()` returns the bytes or raises), as they finish.

    Close the generator (`contextlib.closing`) when leaving early: `stop` is set so that
    workers waiting for a permit give up, fetches not started are dropped, and the running
    ones are waited for.
    """
    waiting: dict[str, deque[R]] = {}
    for ref in refs:
        waiting.setdefault(ref.lane, deque()).append(ref)
    pools = {
        lane: ThreadPoolExecutor(workers, thread_name_prefix=f"sync-fetch-{lane or 'api'}")
        for lane in waiting
    }
    outstanding: dict[Future[bytes], tuple[int, str, R]] = {}
    in_lane = dict.fromkeys(waiting, 0)
    sequence = 0

    def refill(lane: str) -> None:
        nonlocal sequence
        while waiting[lane] and in_lane[lane] < ahead:
            ref = waiting[lane].popleft()
            outstanding[pools[lane].submit(ref.fetch)] = (sequence, lane, ref)
            in_lane[lane] += 1
            sequence += 1

    try:
        for lane in waiting:
            refill(lane)
        while outstanding:
            done, _ = wait(outstanding, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: outstanding[f][0]):
                _, lane, ref = outstanding.pop(future)
                in_lane[lane] -= 1
                refill(lane)
                yield ref, future
    finally:
        stop.set()
        for pool in pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        stop.clear()
