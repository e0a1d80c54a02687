"""Which scheduled backups to keep: the newest of each of the last N days and of the
last M weeks that have one (pure: no Django).

The rule is restic's and borg's ``--keep-daily N --keep-weekly M``: days and weeks
without a backup do not count, so a server that was off for a fortnight still keeps N
daily backups. Weeks are ISO weeks (Monday to Sunday). The newest backup is always
kept, whatever N and M are. Applying the rule to what it kept keeps the same backups,
so pruning twice deletes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["Backup", "to_keep"]


@dataclass(frozen=True)
class Backup:
    """A successful backup: any key the caller knows it by, and when it was taken (in
    the time zone whose days and weeks count)."""

    key: Hashable
    taken_at: datetime


def _newest_per_bucket(
    backups: list[Backup], bucket: Callable[[datetime], Hashable], count: int
) -> set[Hashable]:
    """The newest backup of each of the ``count`` most recent buckets that have one;
    ``backups`` is sorted newest first."""
    kept: set[Hashable] = set()
    seen: set[Hashable] = set()
    for backup in backups:
        if len(seen) >= count:
            break
        label = bucket(backup.taken_at)
        if label not in seen:
            seen.add(label)
            kept.add(backup.key)
    return kept


def _week(moment: datetime) -> tuple[int, int]:
    year, week, _day = moment.isocalendar()
    return (year, week)


def _day(moment: datetime) -> date:
    return moment.date()


def to_keep(backups: Iterable[Backup], *, daily: int, weekly: int) -> set[Hashable]:
    """The keys of the backups to keep; every other one may be deleted.

    ``daily`` and ``weekly`` are counts (0 or more). Ties on ``taken_at`` are broken by
    the key's order in ``backups`` (the first is the newer)."""
    if daily < 0 or weekly < 0:
        raise ValueError("daily and weekly are counts of 0 or more")
    ordered = sorted(
        enumerate(backups), key=lambda item: (item[1].taken_at, -item[0]), reverse=True
    )
    newest_first = [backup for _index, backup in ordered]
    if not newest_first:
        return set()
    return (
        {newest_first[0].key}
        | _newest_per_bucket(newest_first, _day, daily)
        | _newest_per_bucket(newest_first, _week, weekly)
    )
