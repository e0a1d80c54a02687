"""The client timeline's rules: buffer used and status colours. Pure, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.schedule.buffers import (
    AT_RISK,
    DONE,
    DONE_LATE,
    LATE,
    ON_TRACK,
    STATUSES,
    buffer_consumption,
    buffer_used,
    milestone_status,
)

TODAY = date(2026, 4, 1)
slips = st.integers(-400, 400)
buffers = st.integers(0, 365)
days = st.integers(-60, 60).map(lambda n: TODAY + timedelta(days=n))


@pytest.mark.parametrize(
    ("slip", "buffer", "used", "share"),
    [
        (0, 5, 0, 0.0),
        (-3, 5, 0, 0.0),  # early: none of the buffer used
        (2, 4, 2, 0.5),
        (5, 5, 5, 1.0),
        (47, 3, 3, 1.0),  # a slip past the buffer uses all of it, not 1567 %
        (3, 0, 0, 1.0),  # no buffer: any slip uses "all" of it
        (0, 0, 0, 0.0),
    ],
)
def test_buffer_used_is_the_slip_clamped_to_the_buffer(slip, buffer, used, share):
    assert buffer_used(slip, buffer) == used
    assert buffer_consumption(slip, buffer) == share


@pytest.mark.parametrize(
    ("done", "finish", "slip", "buffer", "expected"),
    [
        (True, date(2026, 1, 1), 0, 0, DONE),
        (True, date(2026, 1, 1), 3, 3, DONE),  # late, but within its buffer
        (True, date(2026, 1, 1), -2, 3, DONE),
        (True, date(2026, 1, 1), 47, 3, DONE_LATE),  # not green "done", 1567 %
        (True, date(2026, 1, 1), 1, 0, DONE_LATE),
        (False, date(2026, 5, 1), 0, 5, ON_TRACK),
        (False, date(2026, 5, 1), -4, 5, ON_TRACK),
        (False, date(2026, 5, 1), 2, 4, ON_TRACK),  # exactly half is still on track
        (False, date(2026, 5, 1), 3, 5, AT_RISK),
        (False, date(2026, 5, 1), 5, 5, AT_RISK),  # all of it, not beyond
        (False, date(2026, 5, 1), 6, 5, LATE),
        (False, date(2026, 5, 1), 1, 0, LATE),
        (False, date(2026, 3, 31), 0, 5, LATE),  # overdue
    ],
)
def test_status_colours_follow_progress_dates_and_buffer(
    done, finish, slip, buffer, expected
):
    status = milestone_status(
        is_done=done, finish=finish, today=TODAY, slip_days=slip, buffer_days=buffer
    )
    assert status == expected


@given(slips, buffers)
def test_the_buffer_used_never_goes_below_none_or_beyond_all_of_it(slip, buffer):
    used = buffer_used(slip, buffer)
    share = buffer_consumption(slip, buffer)
    assert 0 <= used <= buffer
    assert 0.0 <= share <= 1.0
    assert 0 <= round(share * 100) <= 100
    # an early or on-time finish uses nothing; a slip uses what it can of the buffer
    assert (used == 0) == (slip <= 0 or buffer == 0)
    if buffer:
        assert share == used / buffer


@given(st.booleans(), days, slips, buffers)
def test_done_work_is_never_late_and_open_work_never_done(done, finish, slip, buffer):
    status = milestone_status(
        is_done=done, finish=finish, today=TODAY, slip_days=slip, buffer_days=buffer
    )
    assert status in STATUSES
    if done:
        assert status in (DONE, DONE_LATE)
        # "done late" only when it finished after its baseline, by more than its buffer
        assert (status == DONE_LATE) == (slip > buffer)
    else:
        assert status in (ON_TRACK, AT_RISK, LATE)


@given(days, slips, buffers)
def test_a_slip_past_the_buffer_is_late_and_within_half_of_it_is_not(
    finish, slip, buffer
):
    status = milestone_status(
        is_done=False, finish=finish, today=TODAY, slip_days=slip, buffer_days=buffer
    )
    if slip > buffer or finish < TODAY:
        assert status == LATE
    elif 2 * slip <= buffer:
        assert status == ON_TRACK
    else:
        assert status == AT_RISK
