"""Risk scoring: probability × impact on a 5 × 5 scale, levels by thresholds, the matrix.

Pure Python: no Django. Thresholds are three inclusive upper bounds ``(low, medium, high)``:
a score up to ``low`` is low, up to ``medium`` medium, up to ``high`` high, above critical.
The defaults (4, 9, 16) split the 25 cells of the matrix the way most PM handbooks do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_THRESHOLDS",
    "LEVELS",
    "MAX_SCORE",
    "SCALE",
    "Cell",
    "ScoringError",
    "Thresholds",
    "check_rating",
    "check_thresholds",
    "level",
    "matrix",
    "score",
    "trend",
]

SCALE = range(1, 6)
MAX_SCORE = 25
LOW, MEDIUM, HIGH, CRITICAL = "low", "medium", "high", "critical"
LEVELS = (LOW, MEDIUM, HIGH, CRITICAL)


class ScoringError(ValueError):
    """A rating or a set of thresholds outside what the scale allows.

    ``code`` says which rule was broken (``"range"``, ``"order"``); the caller turns it into
    a translated message.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


@dataclass(frozen=True)
class Thresholds:
    """Inclusive upper bounds of the low, medium and high levels."""

    low: int = 4
    medium: int = 9
    high: int = 16

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.low, self.medium, self.high)


DEFAULT_THRESHOLDS = Thresholds()


def check_rating(value: object) -> int:
    """A probability or impact as an int in 1–5; anything else raises ``ScoringError``."""
    if isinstance(value, bool):
        raise ScoringError("range", repr(value))
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise ScoringError("range", repr(value))
        value = int(value)
    if not isinstance(value, int) or value not in SCALE:
        raise ScoringError("range", repr(value))
    return value


def check_thresholds(low: int, medium: int, high: int) -> Thresholds:
    """Thresholds that rise strictly within 1–24, so every level keeps at least one score."""
    for bound in (low, medium, high):
        if isinstance(bound, bool) or not isinstance(bound, int):
            raise ScoringError("range", repr(bound))
        if not 1 <= bound < MAX_SCORE:
            raise ScoringError("range", repr(bound))
    if not low < medium < high:
        raise ScoringError("order", f"{low} < {medium} < {high}")
    return Thresholds(low, medium, high)


def score(probability: int, impact: int) -> int:
    """The risk score: probability × impact, 1–25."""
    return check_rating(probability) * check_rating(impact)


def level(value: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """The level of a score under ``thresholds``."""
    if value <= thresholds.low:
        return LOW
    if value <= thresholds.medium:
        return MEDIUM
    if value <= thresholds.high:
        return HIGH
    return CRITICAL


@dataclass(frozen=True)
class Cell:
    """One cell of the 5 × 5 matrix: its ratings, score, level and how many risks sit there."""

    probability: int
    impact: int
    score: int
    level: str
    count: int


def matrix(
    counts: Iterable[tuple[int, int, int]],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Cell]:
    """All 25 cells (probability 1–5 × impact 1–5, row-major) from ``(probability, impact,
    count)`` rows, as a GROUP BY returns them; repeated rows add up, empty cells count 0 and
    rows off the scale are ignored."""
    totals: dict[tuple[int, int], int] = {}
    for probability, impact, count in counts:
        if probability in SCALE and impact in SCALE:
            key = (probability, impact)
            totals[key] = totals.get(key, 0) + count
    cells = []
    for probability in SCALE:
        for impact in SCALE:
            value = probability * impact
            cells.append(
                Cell(
                    probability,
                    impact,
                    value,
                    level(value, thresholds),
                    totals.get((probability, impact), 0),
                )
            )
    return cells


def trend(scores: Iterable[int]) -> str:
    """Whether the latest score is above, below or equal to the one before it:
    ``"up"``, ``"down"`` or ``"flat"`` (also for fewer than two scores)."""
    values = list(scores)
    if len(values) < 2 or values[-1] == values[-2]:
        return "flat"
    return "up" if values[-1] > values[-2] else "down"
