"""The rules of the client timeline (客户时间节点图): how much of its buffer a phase, a
milestone or the project has used, and the colour it shows. Pure Python, no Django.

Every figure comes from three dates and one number, all in **working days** of the
project calendar:

* the *slip* is the finish minus the baseline finish: the forecast finish while the work
  is open, the actual finish once it is done (negative: ahead of the baseline);
* the *buffer* is the slip the client was promised the plan can absorb (a milestone's own
  buffer, the project's buffer for phases and the project);
* the buffer *used* is the slip, clamped to ``0 ≤ used ≤ buffer``: finishing early uses
  none of it and a slip past it uses all of it (the status then says "late"). So the
  percentage shown is always between 0 and 100, and "used of buffer" never reads
  "-1 of 10" (issue 12).
"""

from datetime import date

__all__ = [
    "AT_RISK",
    "DONE",
    "DONE_LATE",
    "LATE",
    "ON_TRACK",
    "STATUSES",
    "buffer_consumption",
    "buffer_used",
    "milestone_status",
]

DONE, DONE_LATE, ON_TRACK, AT_RISK, LATE = (
    "done",
    "done_late",
    "on_track",
    "at_risk",
    "late",
)
# In the order of the chart's legend.
STATUSES = (DONE, DONE_LATE, ON_TRACK, AT_RISK, LATE)


def buffer_used(slip_days: int, buffer_days: int) -> int:
    """Working days of the buffer the slip has used: ``slip_days`` clamped to
    ``0 .. buffer_days`` (a negative buffer counts as none)."""
    return max(0, min(slip_days, buffer_days))


def buffer_consumption(slip_days: int, buffer_days: int) -> float:
    """The share of the buffer used, from 0.0 (none) to 1.0 (all of it).

    A slip beyond the buffer uses all of it (1.0, never more); with no buffer at all,
    any slip uses "all" of it and no slip uses none."""
    if slip_days <= 0:
        return 0.0
    if buffer_days <= 0:
        return 1.0
    return buffer_used(slip_days, buffer_days) / buffer_days


def milestone_status(
    *,
    is_done: bool,
    finish: date | None,
    today: date,
    slip_days: int,
    buffer_days: int,
) -> str:
    """The colour of a phase, a milestone or the project on the timeline.

    Done work is ``DONE`` (green), or ``DONE_LATE`` when it finished after its baseline
    finish by more than its buffer. Open work is ``LATE`` (red) when it is overdue (its
    ``finish`` is before ``today``) or its slip exceeds its buffer, ``AT_RISK`` (amber)
    when the slip has used more than half of the buffer, else ``ON_TRACK`` (blue)."""
    if is_done:
        return DONE_LATE if slip_days > max(0, buffer_days) else DONE
    if (finish is not None and finish < today) or slip_days > max(0, buffer_days):
        return LATE
    if 2 * slip_days > buffer_days and slip_days > 0:
        return AT_RISK
    return ON_TRACK
