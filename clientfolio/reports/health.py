"""A project's health (RAG), computed from its signals and explained.

Pure Python: ``assess(signals)`` takes what the dashboards measured and returns the
colour and the reasons, worst first. The colour is the worst of the reasons (UI.md:
green on track, amber at risk, red off track, grey not started or closed):

- schedule performance (SPI = EV / PV): below ``Thresholds.index_red`` red, below
  ``index_amber`` amber;
- cost performance (CPI = EV / AC): the same thresholds;
- the forecast finish: passed with the work not done (``overdue_days``) red; against the
  first baseline, ``schedule_status`` "late" (slipped beyond the project's buffer) red,
  "at_risk" (eating into it) amber;
- open high or critical risks whose review date has passed: any critical, or
  ``overdue_risks_red`` of them, red; one amber;
- open complaints of the project's client: a high-severity one red, any amber.

A project that has not started (proposed) or is finished (completed, cancelled) is grey
with no reasons: its figures are history, not a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

__all__ = [
    "COLOURS",
    "Health",
    "Reason",
    "Signals",
    "Thresholds",
    "assess",
]

Colour = Literal["green", "amber", "red", "grey"]
# Worst last, so ``max`` by this order finds the colour of a set of reasons.
COLOURS: tuple[Colour, ...] = ("grey", "green", "amber", "red")

# Project statuses whose health is not judged (projects.Project.Status values).
NOT_JUDGED = frozenset({"proposed", "completed", "cancelled"})


@dataclass(frozen=True)
class Thresholds:
    index_amber: Decimal = Decimal("0.95")
    index_red: Decimal = Decimal("0.85")
    overdue_risks_red: int = 3


@dataclass(frozen=True)
class Signals:
    """What was measured of one project. ``None`` means not measurable (no budget, no
    plan, no baseline): it gives no reason either way."""

    status: str
    spi: Decimal | None = None
    cpi: Decimal | None = None
    schedule_status: str | None = None
    slip_days: int = 0
    overdue_days: int = 0
    overdue_high_risks: int = 0
    overdue_critical_risks: int = 0
    open_complaints: int = 0
    severe_complaints: int = 0


@dataclass(frozen=True)
class Reason:
    """Why a project is not green: ``code`` names the signal (``spi``, ``cpi``,
    ``overdue``, ``schedule``, ``risks``, ``complaints``), ``value`` its figure."""

    code: str
    colour: Colour
    value: Decimal | int


@dataclass(frozen=True)
class Health:
    colour: Colour
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def rank(self) -> int:
        """Red 3, amber 2, green 1, grey 0: for sorting worst first."""
        return COLOURS.index(self.colour)


def _index(code: str, value: Decimal | None, limits: Thresholds) -> Reason | None:
    if value is None:
        return None
    if value < limits.index_red:
        return Reason(code, "red", value)
    if value < limits.index_amber:
        return Reason(code, "amber", value)
    return None


def assess(signals: Signals, limits: Thresholds | None = None) -> Health:
    """The colour of ``signals`` and its reasons, red ones first."""
    limits = limits or Thresholds()
    if signals.status in NOT_JUDGED:
        return Health("grey")
    reasons: list[Reason] = []
    for reason in (
        _index("spi", signals.spi, limits),
        _index("cpi", signals.cpi, limits),
    ):
        if reason is not None:
            reasons.append(reason)
    if signals.overdue_days > 0:
        reasons.append(Reason("overdue", "red", signals.overdue_days))
    elif signals.schedule_status == "late" and signals.slip_days > 0:
        reasons.append(Reason("schedule", "red", signals.slip_days))
    elif signals.schedule_status == "at_risk" and signals.slip_days > 0:
        reasons.append(Reason("schedule", "amber", signals.slip_days))
    risky = signals.overdue_high_risks + signals.overdue_critical_risks
    if signals.overdue_critical_risks or risky >= limits.overdue_risks_red:
        reasons.append(Reason("risks", "red", risky))
    elif risky:
        reasons.append(Reason("risks", "amber", risky))
    if signals.severe_complaints:
        reasons.append(Reason("complaints", "red", signals.open_complaints))
    elif signals.open_complaints:
        reasons.append(Reason("complaints", "amber", signals.open_complaints))
    reasons.sort(key=lambda reason: -COLOURS.index(reason.colour))
    colour: Colour = reasons[0].colour if reasons else "green"
    return Health(colour, tuple(reasons))
