"""An exact sliding-window rate limiter shared by every worker process (pure: no Django).

The providers count the requests they received in the last N seconds (a sliding window),
per grant or per endpoint. Before each request a permit is taken under its key; it counts
while the request is in flight and is then stamped with the moment the answer arrived.
The provider counted the request somewhere between our sending and its answer, so a window
measured from the answer never reopens before the provider's does, whatever the latency:
the limiter can run at the published limit itself, with no margin, and never meet a 429.
A key admits a permit while fewer than `limit` are in flight or stamped within the window.

Permits live in Redis (one sorted set per key, checked and taken by one Lua script on the
server's clock) in production, or in one SQLite table (a write transaction each) for the
embedded default, so every process and thread on one grant or endpoint shares one budget.
A permit whose process died in flight expires `HOLD` seconds after it was taken.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from pyrate_limiter import Rate

# Longer than any request may take (the HTTP timeout is 60 s): an in-flight permit of a
# process that died is given up after this, plus the window.
HOLD = 300.0


class Abandoned(Exception):
    """The caller stopped waiting for a permit (`stop` was set)."""


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float

    @classmethod
    def of(cls, rate: Rate) -> Window:
        return cls(rate.limit, rate.interval / 1000)


class PermitStore(Protocol):
    def take(self, key: str, window: Window, permit: str) -> float:
        """Take `permit` under `key` if the window has room (0.0), else the seconds until it may."""
        ...

    def stamp(self, key: str, permit: str) -> None:
        """The answer arrived: the permit counts from now."""
        ...


# KEYS[1]: the key's sorted set (member: permit, score: answer time, or taken + HOLD in flight).
# ARGV: window seconds, limit, hold, permit. Returns the seconds to wait ("0": taken).
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local window, limit, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(window + hold))
  return '0'
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return tostring(math.min(oldest, now) + window - now)
"""
_STAMP = """
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) + tonumber(t[2]) / 1000000, ARGV[1])
"""


class RedisPermits:
    def __init__(self, url: str, prefix: str) -> None:
        from redis import Redis

        connection = Redis.from_url(url)
        self._prefix = prefix
        self._take = connection.register_script(_TAKE)
        self._stamp = connection.register_script(_STAMP)

    def take(self, key: str, window: Window, permit: str) -> float:
        args: list[str | float] = [window.seconds, window.limit, HOLD, permit]
        return float(self._take(keys=[f"{self._prefix}:{key}"], args=args))

    def stamp(self, key: str, permit: str) -> None:
        self._stamp(keys=[f"{self._prefix}:{key}"], args=[permit])


_MUTEXES: dict[str, threading.Lock] = {}
_MUTEXES_LOCK = threading.Lock()


class SqlitePermits:
    """One table in one file; SQLite's write lock makes each take atomic across processes.

    The threads of one process queue on a mutex of their own first: waiting for SQLite's
    lock means its busy handler's sleeps (up to 50 ms a try), which made a burst of permits
    on a few fetch threads crawl. WAL with synchronous=NORMAL: a commit is not flushed to
    disk (only a power cut, not a killed process, can lose the latest permits)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._local = threading.local()
        with _MUTEXES_LOCK:  # one per file: every provider's store in a process shares it
            self._mutex = _MUTEXES.setdefault(path, threading.Lock())
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS permits (key TEXT, permit TEXT PRIMARY KEY, score REAL)")
            db.execute("CREATE INDEX IF NOT EXISTS permits_key_score ON permits (key, score)")

    def _connect(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._path, timeout=60.0, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def take(self, key: str, window: Window, permit: str) -> float:
        with self._mutex:
            return self._take(key, window, permit)

    def _take(self, key: str, window: Window, permit: str) -> float:
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            now = time.time()
            db.execute("DELETE FROM permits WHERE key = ? AND score <= ?", (key, now - window.seconds))
            count, oldest = db.execute(
                "SELECT count(*), min(score) FROM permits WHERE key = ?", (key,)
            ).fetchone()
            if count < window.limit:
                db.execute("INSERT INTO permits VALUES (?, ?, ?)", (key, permit, now + HOLD))
                return 0.0
            return float(min(oldest, now) + window.seconds - now)
        finally:
            db.execute("COMMIT")

    def stamp(self, key: str, permit: str) -> None:
        with self._mutex:
            self._connect().execute("UPDATE permits SET score = ? WHERE permit = ?", (time.time(), permit))


def redis_buckets(url: str, prefix: str) -> PermitStore:
    return RedisPermits(url, prefix)


def sqlite_buckets(path: str) -> PermitStore:
    return SqlitePermits(path)


class SharedLimiter:
    """`with acquire(key):` waits for a permit under the key and holds it for the request."""

    def __init__(self, rates: list[Rate], store: PermitStore) -> None:
        (rate,) = rates  # one published limit per provider
        self.window = Window.of(rate)
        self._store = store

    @contextmanager
    def acquire(self, key: str, stop: threading.Event | None = None) -> Iterator[None]:
        permit = uuid.uuid4().hex
        while (wait := self._store.take(key, self.window, permit)) > 0:
            # Many waiters wake together; each asks again and one gets the permit.
            if stop is None:
                time.sleep(wait)
            elif stop.wait(wait):
                raise Abandoned
        try:
            yield
        finally:  # sent: the provider may have counted it even if no answer came
            self._store.stamp(key, permit)
