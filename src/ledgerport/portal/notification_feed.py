"""All of a person's notifications on one page, newest first, from every app that has some.

The bell shows the latest ten of each kind; the notifications page pages through all of them.
The portal's own (new documents) and higher apps' (cases, registered from their
`AppConfig.ready()`, since the portal imports nothing above it) come from `FeedSource`s,
each read by keyset on (created_at, source rank, pk) and merged here, so a page costs one
query per source whatever page it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

PAGE_SIZE = 25
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True, order=True)
class FeedKey:
    """A notification's place in the feed (newest first = descending)."""

    created_at: datetime.datetime
    rank: int
    pk: int

    @property
    def token(self) -> str:
        return f"{(self.created_at - EPOCH) // MICROSECOND}.{self.rank}.{self.pk}"

    @classmethod
    def parse(cls, token: str | None) -> FeedKey | None:
        """The key of `?after=`; None for anything malformed (then: the first page)."""
        parts = (token or "").split(".")
        if len(parts) != 3 or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts):
            return None
        micros, rank, pk = (int(p) for p in parts)
        try:
            return cls(EPOCH + micros * MICROSECOND, rank, pk)
        except OverflowError:  # beyond year 9999
            return None

    def older_q(self, rank: int) -> Q:
        """Rows of the source ranked `rank` that come after this key (are older) in the feed."""
        if rank < self.rank:
            return Q(created_at__lte=self.created_at)
        if rank > self.rank:
            return Q(created_at__lt=self.created_at)
        return Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)


@dataclass(frozen=True)
class FeedItem:
    key: FeedKey
    text: str
    url: str
    company_name: str
    unread: bool


@dataclass(frozen=True)
class FeedSource:
    """`items(user, after, limit)`: the user's own notifications older than `after` (None: from the
    newest), newest first, at most `limit`, of companies they may still see (the scoping);
    `mark_all_read(user)`: how many were marked."""

    key: str
    rank: int
    items: Callable[[Any, FeedKey | None, int], list[FeedItem]]
    mark_all_read: Callable[[Any], int]


_sources: dict[str, FeedSource] = {}


def register_source(source: FeedSource) -> None:
    """Registering again under the same key replaces (tests and reloads stay idempotent)."""
    _sources[source.key] = source


def sources() -> list[FeedSource]:
    return sorted(_sources.values(), key=lambda s: s.rank)


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next: str  # `?after=` token of the next (older) page, "" on the last
    first: bool


def feed_page(*, user: Any, after: FeedKey | None, size: int = PAGE_SIZE) -> FeedPage:
    """One page of all the user's notifications, newest first."""
    if not user.is_authenticated:
        return FeedPage([], "", True)
    merged = sorted(
        (item for source in sources() for item in source.items(user, after, size + 1)),
        key=lambda item: item.key,
        reverse=True,
    )
    page = merged[:size]
    more = len(merged) > size
    return FeedPage(page, page[-1].key.token if more and page else "", after is None)


def mark_all_read(*, user: Any) -> int:
    return sum(source.mark_all_read(user) for source in sources())
