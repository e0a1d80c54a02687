"""The retention rule of scheduled backups (restic's keep-daily / keep-weekly)."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from clientfolio.ops.retention import Backup, to_keep

START = datetime(2026, 1, 1)  # noqa: DTZ001 (local wall-clock times, as the rule takes them)

backups = st.lists(
    st.integers(min_value=0, max_value=200 * 24 * 60), max_size=60, unique=True
).map(
    lambda minutes: [
        Backup(key=i, taken_at=START + timedelta(minutes=m))
        for i, m in enumerate(minutes)
    ]
)
counts = st.integers(min_value=0, max_value=10)


@hypothesis_settings(max_examples=150)
@given(backups=backups, daily=counts, weekly=counts)
def test_retention_keeps_the_newest_of_each_recent_day_and_week(backups, daily, weekly):
    kept = to_keep(backups, daily=daily, weekly=weekly)
    assert kept <= {b.key for b in backups}
    if not backups:
        assert kept == set()
        return
    newest = max(backups, key=lambda b: b.taken_at)
    assert newest.key in kept
    assert len(kept) <= max(1, daily + weekly) + 1
    days = sorted({b.taken_at.date() for b in backups}, reverse=True)
    for day in days[:daily]:
        latest = max(
            (b for b in backups if b.taken_at.date() == day), key=lambda b: b.taken_at
        )
        assert latest.key in kept
    weeks = sorted({b.taken_at.isocalendar()[:2] for b in backups}, reverse=True)
    for week in weeks[:weekly]:
        latest = max(
            (b for b in backups if b.taken_at.isocalendar()[:2] == week),
            key=lambda b: b.taken_at,
        )
        assert latest.key in kept
    # Every kept backup is the newest of a day or week the rule counts, or the newest.
    for backup in backups:
        if backup.key in kept and backup is not newest:
            same_day = [
                b for b in backups if b.taken_at.date() == backup.taken_at.date()
            ]
            same_week = [
                b
                for b in backups
                if b.taken_at.isocalendar()[:2] == backup.taken_at.isocalendar()[:2]
            ]
            assert backup in (
                max(same_day, key=lambda b: b.taken_at),
                max(same_week, key=lambda b: b.taken_at),
            )


@hypothesis_settings(max_examples=100)
@given(backups=backups, daily=counts, weekly=counts)
def test_pruning_what_was_kept_keeps_it_all(backups, daily, weekly):
    kept = to_keep(backups, daily=daily, weekly=weekly)
    again = to_keep([b for b in backups if b.key in kept], daily=daily, weekly=weekly)
    assert again == kept


def test_days_without_a_backup_do_not_count():
    # Daily backups, then a fortnight off, then two more: 3 daily means 3 backups.
    taken = [START + timedelta(days=d, hours=2) for d in [0, 1, 2, 3, 18, 19]]
    backups = [Backup(i, t) for i, t in enumerate(taken)]
    assert to_keep(backups, daily=3, weekly=0) == {5, 4, 3}


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="counts"):
        to_keep([], daily=-1, weekly=0)
