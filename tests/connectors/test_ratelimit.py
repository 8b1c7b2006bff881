"""The shared limiter keeps several processes together under one budget."""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid

import pytest
from pyrate_limiter import Duration, Rate

from ledgerport.connectors import ratelimit

# Spawned processes import this module with no Django set up: nothing here at module level may
# touch models (the provider specs do, so the test that needs them imports them itself).


def _burst(make_args, key, count, queue):
    kind, target = make_args
    make = ratelimit.redis_buckets(target, "test") if kind == "redis" else ratelimit.sqlite_buckets(target)
    # The provider allows 4/s: the limiter runs at the limit itself.
    limiter = ratelimit.SharedLimiter([Rate(4, Duration.SECOND)], make)
    stamps = []
    for _ in range(count):
        with limiter.acquire(key):
            stamps.append(time.time())
    queue.put(stamps)


def _run(make_args, processes=3, each=4):
    key = f"k{uuid.uuid4().hex[:8]}"
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_burst, args=(make_args, key, each, queue)) for _ in range(processes)]
    for proc in procs:
        proc.start()
    stamps = sorted(s for _ in procs for s in queue.get(timeout=60))
    for proc in procs:
        proc.join(timeout=30)
    return stamps


def _max_in_any_second(stamps):
    return max(sum(1 for s in stamps if start <= s < start + 1.0) for start in stamps)


def test_sqlite_buckets_are_shared_between_processes(tmp_path):
    stamps = _run(("sqlite", str(tmp_path / "rl.sqlite3")))
    assert len(stamps) == 12
    assert _max_in_any_second(stamps) <= 4
    assert stamps[-1] - stamps[0] >= 1.8  # 12 permits at 4/s need two further windows


def test_redis_buckets_are_shared_between_processes():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    stamps = _run(("redis", url))
    assert _max_in_any_second(stamps) <= 4
    assert stamps[-1] - stamps[0] >= 1.8


def test_rate_keys_follow_each_providers_published_limit():
    from ledgerport.connectors.fortnox.provider import SPEC as FORTNOX
    from ledgerport.connectors.spiris.provider import SPEC as SPIRIS

    assert FORTNOX.rate_key(7, "/3/vouchers/A/1") == "fortnox:7"  # per grant
    assert SPIRIS.rate_key(7, "/v2/vouchers/123?x=1") == SPIRIS.rate_key(9, "/v2/vouchers")  # per endpoint
    assert SPIRIS.rate_key(7, "/v2/attachments") != SPIRIS.rate_key(7, "/v2/vouchers")


def _stores(tmp_path):
    yield ratelimit.sqlite_buckets(str(tmp_path / "rl.sqlite3"))
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        return
    yield ratelimit.redis_buckets("redis://127.0.0.1:6379/15", f"test{uuid.uuid4().hex[:8]}")


def test_a_permit_counts_from_the_answer_and_while_in_flight(tmp_path):
    """The provider counted a request somewhere between sending and answering: the window
    of a slow request reopens a window after its answer, not after it was sent."""
    for store in _stores(tmp_path):
        limiter = ratelimit.SharedLimiter([Rate(2, Duration.SECOND)], store)
        started = time.monotonic()
        with limiter.acquire("k"):
            with limiter.acquire("k"):
                time.sleep(0.5)  # both in flight: a third must wait for them
            answered = time.monotonic()
        with limiter.acquire("k"):
            third = time.monotonic()
        assert third - answered >= 0.99, store
        assert third - started >= 1.49, store


def test_the_limiter_runs_at_the_limit_itself(tmp_path):
    """Five quick requests at 2 per second: two windows of waiting, no more."""
    for store in _stores(tmp_path):
        limiter = ratelimit.SharedLimiter([Rate(2, Duration.SECOND)], store)
        started = time.monotonic()
        for _ in range(5):
            with limiter.acquire("k2"):
                pass
        assert 2.0 <= time.monotonic() - started < 2.3, store


def test_a_waiter_gives_up_when_stopped(tmp_path):
    limiter = ratelimit.SharedLimiter(
        [Rate(1, Duration.MINUTE)], ratelimit.sqlite_buckets(str(tmp_path / "r"))
    )
    stop = threading.Event()
    with limiter.acquire("k", stop):
        pass
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(ratelimit.Abandoned), limiter.acquire("k", stop):
        pass
    assert time.monotonic() - started < 5
