"""Rate limiting shared by every worker process (pure: no Django).

pyrate-limiter does the counting; this module only routes each key (e.g. one provider
grant, or one endpoint) to its own bucket, all under one leak thread. Buckets live
in Redis in production, or in one SQLite file under a file lock for the embedded default,
so two workers never spend the same budget twice.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from pyrate_limiter import AbstractBucket, BucketFactory, Limiter, Rate, RateItem, RedisBucket, SQLiteBucket

BucketMaker = Callable[[str, list[Rate]], AbstractBucket]


class KeyedBuckets(BucketFactory):
    def __init__(self, rates: list[Rate], make: BucketMaker) -> None:
        self._rates = rates
        self._make = make
        self._buckets: dict[str, AbstractBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, key: str) -> AbstractBucket:
        with self._lock:
            if key not in self._buckets:
                bucket = self._make(key, self._rates)
                self.schedule_leak(bucket)
                self._buckets[key] = bucket
            return self._buckets[key]

    def wrap_item(self, name: str, weight: int = 1) -> RateItem:
        now = self.bucket(name).now()
        assert isinstance(now, int)
        return RateItem(name, now, weight=weight)

    def get(self, item: RateItem) -> AbstractBucket:
        return self.bucket(item.name)


def redis_buckets(url: str, prefix: str) -> BucketMaker:
    from redis import Redis

    connection = Redis.from_url(url)
    return lambda key, rates: RedisBucket.init(rates, connection, f"{prefix}:{key}")


def sqlite_buckets(path: str) -> BucketMaker:
    def make(key: str, rates: list[Rate]) -> AbstractBucket:
        table = "rl_" + re.sub(r"\W", "_", key)
        return SQLiteBucket.init_from_file(rates, table=table, db_path=path, use_file_lock=True)

    return make


class SharedLimiter:
    """`acquire(key)` blocks until the key's budget allows one more request."""

    def __init__(self, rates: list[Rate], make: BucketMaker) -> None:
        self._limiter = Limiter(KeyedBuckets(rates, make))

    def acquire(self, key: str) -> None:
        self._limiter.try_acquire(key, blocking=True)
