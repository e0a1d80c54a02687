"""Caches of what is read far more than it is written, invalidated by generations.

Every cached value is stored under a key that carries the current *generation* of what it
was computed from (``generation("roles", user_id)``: the memberships of one user;
``generation("folder", project_id)``: the counts of one project's folder;
``generation("clients")``: the client library). A write bumps the generation, so the next
reader computes afresh and an old entry is never read again (it expires on its own after
``ENTRY_TIMEOUT``). Nothing is deleted, so there is no race between a reader storing what it
computed from the old rows and a writer deleting the key: the reader stores it under the
old generation, which nobody asks for any more.

``bump_after_write`` bumps twice: at once, for readers inside the writing transaction
(the same request re-reading what it just changed), and again when the transaction
commits (``transaction.on_commit``), because a reader may have recomputed from the
committed-before rows between the first bump and the commit. A rollback leaves the first
bump behind: one needless miss, never a stale read.

Generations live in Django's cache (Redis in production). A per-process cache (locmem,
the default without ``REDIS_URL``) cannot see another process's bump, so the
cross-request caches are on only where the cache is shared by every process, or where
``CACHE_ACROSS_REQUESTS`` says so (the test suite and the benchmarks, one process each);
otherwise ``cached`` computes every time. Generations never expire; entries do.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

__all__ = [
    "ENTRY_TIMEOUT",
    "across_requests",
    "bump",
    "bump_after_write",
    "bump_all_for_benchmark",
    "cached",
    "generation",
]

T = TypeVar("T")

#: Seconds a cached value is kept (a bound, not the invalidation: generations are).
ENTRY_TIMEOUT = 600
_PREFIX = "cf:gen:"
_PER_PROCESS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
# Every generation key handed out in this process (for the benchmark's cold runs).
_SEEN: set[str] = set()


def across_requests() -> bool:
    """Whether values are cached from one request to the next (see the module's doc)."""
    setting = getattr(settings, "CACHE_ACROSS_REQUESTS", None)
    if setting is not None:
        return bool(setting)
    return settings.CACHES["default"]["BACKEND"] not in _PER_PROCESS


def _key(parts: Iterable[Any]) -> str:
    return _PREFIX + ":".join(str(part) for part in parts)


def generation(*parts: Any) -> str:
    """The current generation of what ``parts`` name; a fresh random one the first time
    (never a counter from zero: a generation lost from the cache must not come back as
    one whose entries are still stored)."""
    key = _key(parts)
    _SEEN.add(key)
    value = cache.get(key)
    if value is None:
        value = uuid.uuid4().hex[:16]
        if not cache.add(key, value, timeout=None):
            value = cache.get(key) or value
    return str(value)


def bump(*parts: Any) -> None:
    """Start a new generation of what ``parts`` name: cached values computed from the
    old rows are not read again."""
    cache.set(_key(parts), uuid.uuid4().hex[:16], timeout=None)


def bump_after_write(*parts: Any, using: str | None = None) -> None:
    """Bump now and again when the current transaction commits (see the module's doc)."""
    bump(*parts)
    transaction.on_commit(partial(bump, *parts), using=using)


def cached(key: Iterable[Any], compute: Callable[[], T], *generations: str) -> T:
    """``compute()``, cached under ``key`` and the given generations (the caller reads
    them with ``generation``); computed every time when caching is off."""
    if not across_requests():
        return compute()
    full = "cf:v:" + ":".join(str(part) for part in (*key, *generations))
    value = cache.get(full, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full, value, timeout=ENTRY_TIMEOUT)
    return value  # type: ignore[no-any-return]


def bump_all_for_benchmark() -> None:
    """Bump every generation this process has read: the next requests run cold, as
    after a write (bench/folder_bench.py)."""
    for key in list(_SEEN):
        cache.set(key, uuid.uuid4().hex[:16], timeout=None)


_MISSING = object()
