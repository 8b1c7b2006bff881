"""Page parts rendered once per version of what they show, then served from the cache.

A statement, the general ledger or a page of an account's rows depends only on a fiscal
year's imported ledger, which changes only when an import commits (and every import stamps
the years it writes, `ledger.selectors.ledger_version`). So the part is cached under a key
made of that version (plus the page's own inputs and the language), never invalidated by
hand: a new import makes a new key and the old entry ages out. The key is computed from
objects the view already resolved through the scoping, so a part can only be found again
by someone who may see it.

The cache is `CACHES["default"]`: memory of each web process unless CACHE_URL names a shared
one (Redis); correct either way, since nothing is ever deleted to keep it fresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Part of every key: bump when a cached part's markup changes, so a deploy never serves the
# old markup (LocMem empties on restart anyway; a shared cache would not).
T = TypeVar("T")
MARKUP_VERSION = 1
TIMEOUT_SECONDS = 60 * 60


def fragment_key(name: str, version: Hashable) -> str:
    digest = hashlib.sha256(repr(version).encode()).hexdigest()[:32]
    return f"fragment:{MARKUP_VERSION}:{name}:{get_language()}:{digest}"


def cached_value(name: str, version: Hashable, compute: Callable[[], T]) -> T:
    """What `compute` returns for `version` (and the language), computed once per version."""
    key = fragment_key(name, version)
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value


def cached_html(name: str, version: Hashable, render: Callable[[], str]) -> SafeString:
    """The HTML `render` makes for `version`, rendered at most once per version and language.

    `render` must return markup that is safe as it stands (a rendered template)."""
    html = cached_value(name, version, lambda: str(render()))
    return mark_safe(html)  # noqa: S308 - a rendered template, stored as rendered
