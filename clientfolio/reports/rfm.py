"""Client analysis (客户分析): recency, frequency and value (RFM) scores, the segment they
make, and the signals that put a client at risk.

Pure Python: the caller reads each client's payments and contacts and passes figures.

- Recency is the days since the client's last payment, frequency the payments of the
  last 24 months, value (monetary) the money they paid in the last 12 months (one
  currency; the caller converts).
- Each is scored 1–5 by its rank among the clients that paid in the last 24 months
  (quintiles; equal figures get equal scores; recent is better, more is better).
- Segments: champions (R, F and M ≥ 4), loyal (F ≥ 4), big spenders (M ≥ 4, F < 4),
  new (R ≥ 4, one payment), at risk (R ≤ 2 with F or M ≥ 3: good clients gone quiet),
  hibernating (R ≤ 2, F and M ≤ 2), and the rest need attention. A client with no
  payment in 24 months has no segment ("none").
- At risk: revenue of the last 12 months down by ``decline`` or more against the 12
  before, open complaints, no contact for ``quiet_days`` or more, satisfaction that fell
  (the caller's comparison of survey scores), each a signal with its figure.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

__all__ = [
    "SEGMENTS",
    "Figures",
    "Scores",
    "Signal",
    "rank_scores",
    "score_all",
    "segment",
    "signals",
]

K = TypeVar("K", bound=Hashable)

SEGMENTS = (
    "champions",
    "loyal",
    "big_spenders",
    "new",
    "at_risk",
    "hibernating",
    "attention",
    "none",
)


@dataclass(frozen=True)
class Figures:
    """One client's activity: ``recency_days`` is None without a payment in 24 months."""

    recency_days: int | None
    frequency: int
    monetary: Decimal


@dataclass(frozen=True)
class Scores:
    r: int
    f: int
    m: int


@dataclass(frozen=True)
class Signal:
    """``code``: ``revenue_decline`` (value: the fall in percent), ``complaints`` (open
    complaints), ``no_contact`` (days since the last contact, or -1 for never),
    ``satisfaction`` (the fall in average score, in tenths)."""

    code: str
    value: int


def rank_scores(
    values: Mapping[K, Decimal | int], *, reverse: bool = False
) -> dict[K, int]:
    """Scores 1–5 by quintile of rank: the highest values get 5 (the lowest with
    ``reverse``). Equal values share the score of the first of them."""
    if not values:
        return {}
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=reverse)
    count = len(ordered)
    scores: dict[K, int] = {}
    previous: Decimal | int | None = None
    current = 1
    for index, (key, value) in enumerate(ordered):
        if previous is None or value != previous:
            current = 1 + (5 * index) // count
            previous = value
        scores[key] = current
    return scores


def score_all(figures: Mapping[K, Figures]) -> dict[K, Scores]:
    """The RFM scores of every client that paid in the last 24 months."""
    active = {key: f for key, f in figures.items() if f.recency_days is not None}
    recency = rank_scores(
        {key: f.recency_days or 0 for key, f in active.items()}, reverse=True
    )
    frequency = rank_scores({key: f.frequency for key, f in active.items()})
    monetary = rank_scores({key: f.monetary for key, f in active.items()})
    return {key: Scores(recency[key], frequency[key], monetary[key]) for key in active}


def segment(scores: Scores | None, figures: Figures | None = None) -> str:
    """The segment of a client's scores (``none`` without)."""
    if scores is None:
        return "none"
    r, f, m = scores.r, scores.f, scores.m
    if r >= 4 and f >= 4 and m >= 4:
        return "champions"
    if r >= 4 and figures is not None and figures.frequency == 1:
        return "new"
    if r <= 2 and (f >= 3 or m >= 3):
        return "at_risk"
    if r <= 2:
        return "hibernating"
    if f >= 4:
        return "loyal"
    if m >= 4:
        return "big_spenders"
    return "attention"


def signals(
    *,
    revenue: Decimal,
    revenue_before: Decimal,
    open_complaints: int,
    days_since_contact: int | None,
    satisfaction_fall: Decimal | None = None,
    decline: Decimal = Decimal("0.3"),
    quiet_days: int = 90,
) -> list[Signal]:
    """What puts a client at risk, most serious first."""
    found: list[Signal] = []
    if revenue_before > 0 and revenue < revenue_before * (1 - decline):
        fall = (revenue_before - revenue) * 100 / revenue_before
        found.append(Signal("revenue_decline", int(fall)))
    if satisfaction_fall is not None and satisfaction_fall >= Decimal("0.5"):
        found.append(Signal("satisfaction", int(satisfaction_fall * 10)))
    if open_complaints:
        found.append(Signal("complaints", open_complaints))
    if days_since_contact is None:
        found.append(Signal("no_contact", -1))
    elif days_since_contact >= quiet_days:
        found.append(Signal("no_contact", days_since_contact))
    return found
