"""Satisfaction figures from survey answers: CSAT, NPS, trends and the follow-up rule.

Pure Python (no Django), so it is property-tested and benchmarked alone.

- CSAT (customer satisfaction) is asked per dimension on a 1–5 scale; ``csat_mean`` is
  the plain average, ``csat_share`` the percentage of answers that are 4 or 5.
- NPS (net promoter score) is asked on a 0–10 scale; promoters answer 9–10, detractors
  0–6; the score is the percentage of promoters minus the percentage of detractors, an
  integer-valued float from -100 to 100 in steps of 100 / n.
- An answer needs a follow-up visit (回访) when any dimension is 2 or less, or its NPS
  is 6 or less (a detractor).
- Falling satisfaction (``satisfaction_fall``): the average CSAT of a client's latest
  survey against the average of all its earlier answers; a fall of ``FALL_MARGIN``
  points or more puts the client at risk (``rfm.signals``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "CSAT_RANGE",
    "DIMENSIONS",
    "FALL_MARGIN",
    "Fall",
    "NPS_RANGE",
    "Figures",
    "PeriodFigures",
    "csat_mean",
    "csat_share",
    "figures",
    "follow_up_reasons",
    "needs_follow_up",
    "nps",
    "nps_group",
    "period_of",
    "satisfaction_fall",
    "trend",
]

DIMENSIONS: tuple[str, ...] = (
    "quality",
    "schedule",
    "communication",
    "responsiveness",
    "value",
)
CSAT_RANGE = range(1, 6)
NPS_RANGE = range(0, 11)
LOW_CSAT = 2  # a dimension at or below this needs a follow-up
DETRACTOR_MAX = 6
PROMOTER_MIN = 9
FALL_MARGIN = 0.5  # CSAT points the latest survey is below the earlier average


def _check(scores: Sequence[int], allowed: range, name: str) -> None:
    for score in scores:
        if score not in allowed:
            raise ValueError(f"{name} score out of range: {score}")


def csat_mean(scores: Sequence[int]) -> float | None:
    """The average of 1–5 scores; None for no scores. Raises ``ValueError`` for a
    score outside 1–5."""
    _check(scores, CSAT_RANGE, "CSAT")
    if not scores:
        return None
    return sum(scores) / len(scores)


def csat_share(scores: Sequence[int]) -> float | None:
    """The percentage (0–100) of 1–5 scores that are 4 or 5; None for no scores."""
    _check(scores, CSAT_RANGE, "CSAT")
    if not scores:
        return None
    return 100 * sum(1 for score in scores if score >= 4) / len(scores)


def nps_group(score: int) -> str:
    """``promoter`` (9–10), ``passive`` (7–8) or ``detractor`` (0–6)."""
    _check([score], NPS_RANGE, "NPS")
    if score >= PROMOTER_MIN:
        return "promoter"
    if score <= DETRACTOR_MAX:
        return "detractor"
    return "passive"


def nps(scores: Sequence[int]) -> float | None:
    """Percentage of promoters minus percentage of detractors (-100..100); None for no
    scores. Raises ``ValueError`` for a score outside 0–10."""
    _check(scores, NPS_RANGE, "NPS")
    if not scores:
        return None
    promoters = sum(1 for score in scores if score >= PROMOTER_MIN)
    detractors = sum(1 for score in scores if score <= DETRACTOR_MAX)
    return 100 * (promoters - detractors) / len(scores)


def follow_up_reasons(
    dimensions: Mapping[str, int | None], nps_score: int | None
) -> list[tuple[str, int]]:
    """The (dimension or ``"nps"``, score) pairs that call for a follow-up visit, in
    ``DIMENSIONS`` order then NPS; empty when none does."""
    reasons = [
        (name, score)
        for name in DIMENSIONS
        if (score := dimensions.get(name)) is not None and score <= LOW_CSAT
    ]
    if nps_score is not None and nps_score <= DETRACTOR_MAX:
        reasons.append(("nps", nps_score))
    return reasons


def needs_follow_up(
    dimensions: Mapping[str, int | None], nps_score: int | None
) -> bool:
    """Whether an answer needs a follow-up: any dimension ≤ 2 or NPS ≤ 6."""
    return bool(follow_up_reasons(dimensions, nps_score))


@dataclass(frozen=True)
class Figures:
    """CSAT by dimension and overall, and NPS, over a set of answers."""

    count: int
    csat_by_dimension: dict[str, float | None]
    csat: float | None  # mean of every dimension score given
    csat_share: float | None  # % of dimension scores that are 4–5
    nps: float | None
    promoters: int
    passives: int
    detractors: int


def figures(
    answers: Iterable[tuple[Mapping[str, int | None], int | None]],
) -> Figures:
    """The figures of ``answers``, each (scores by dimension, NPS); a missing score
    (None) is left out of its average."""
    by_dimension: dict[str, list[int]] = {name: [] for name in DIMENSIONS}
    nps_scores: list[int] = []
    count = 0
    for dimensions, nps_score in answers:
        count += 1
        for name in DIMENSIONS:
            score = dimensions.get(name)
            if score is not None:
                by_dimension[name].append(score)
        if nps_score is not None:
            nps_scores.append(nps_score)
    every = [score for scores in by_dimension.values() for score in scores]
    groups = [nps_group(score) for score in nps_scores]
    return Figures(
        count=count,
        csat_by_dimension={name: csat_mean(s) for name, s in by_dimension.items()},
        csat=csat_mean(every),
        csat_share=csat_share(every),
        nps=nps(nps_scores),
        promoters=groups.count("promoter"),
        passives=groups.count("passive"),
        detractors=groups.count("detractor"),
    )


def period_of(day: date, period: str = "month") -> str:
    """The period a day falls in: ``2026-10`` (month), ``2026-Q4`` (quarter) or
    ``2026`` (year). Raises ``ValueError`` for another period."""
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if period == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown period: {period}")


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of the answers given in one period."""

    period: str
    figures: Figures


def trend(
    answers: Iterable[tuple[date, Mapping[str, int | None], int | None]],
    period: str = "month",
) -> list[PeriodFigures]:
    """Figures per period of the answers (answered on, scores, NPS), oldest period
    first; periods without answers are left out."""
    grouped: dict[str, list[tuple[Mapping[str, int | None], int | None]]] = {}
    for day, dimensions, nps_score in answers:
        grouped.setdefault(period_of(day, period), []).append((dimensions, nps_score))
    return [PeriodFigures(key, figures(grouped[key])) for key in sorted(grouped)]


@dataclass(frozen=True)
class Fall:
    """A client's latest survey against its earlier answers (CSAT averages, 1–5)."""

    latest: float
    earlier: float
    latest_answers: int
    earlier_answers: int

    @property
    def points(self) -> float:
        """How far the latest survey is below the earlier average (negative: above)."""
        return round(self.earlier - self.latest, 1)


def satisfaction_fall(
    answers: Iterable[tuple[object, date, float]],
) -> Fall | None:
    """The latest survey's average CSAT against the average of every earlier answer.

    ``answers`` are (survey key, answered on, the answer's CSAT); the latest survey is
    the one answered last (ties: the larger key). None without answers to two surveys."""
    by_survey: dict[object, list[tuple[date, float]]] = {}
    for key, day, csat in answers:
        by_survey.setdefault(key, []).append((day, csat))
    if len(by_survey) < 2:
        return None
    latest_key = max(
        by_survey, key=lambda k: (max(day for day, _ in by_survey[k]), str(k))
    )
    latest = [csat for _, csat in by_survey[latest_key]]
    earlier = [c for k, rows in by_survey.items() if k != latest_key for _, c in rows]
    return Fall(
        latest=round(sum(latest) / len(latest), 1),
        earlier=round(sum(earlier) / len(earlier), 1),
        latest_answers=len(latest),
        earlier_answers=len(earlier),
    )
