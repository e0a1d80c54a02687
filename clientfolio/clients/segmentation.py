"""Client tiers (A/B/C) from the money a client paid in the trailing twelve months.

Pure Python: no Django. Amounts are ``Decimal`` in one currency; the caller converts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

__all__ = [
    "TierThresholds",
    "tier_for",
    "tiers_for",
    "trailing_window_start",
    "total_paid",
]

K = TypeVar("K")


@dataclass(frozen=True)
class TierThresholds:
    """Minimum trailing-12-month payments for tier A and for tier B; below B is C."""

    a_min: Decimal
    b_min: Decimal

    def __post_init__(self) -> None:
        if self.b_min < 0 or self.a_min < self.b_min:
            raise ValueError("thresholds must satisfy 0 <= b_min <= a_min")


def tier_for(paid: Decimal, thresholds: TierThresholds) -> str:
    """'A' if ``paid`` reaches ``a_min``, else 'B' if it reaches ``b_min``, else 'C'."""
    if paid >= thresholds.a_min:
        return "A"
    if paid >= thresholds.b_min:
        return "B"
    return "C"


def tiers_for(
    paid_by_client: Mapping[K, Decimal], thresholds: TierThresholds
) -> dict[K, str]:
    """The tier of every client in the mapping."""
    return {key: tier_for(paid, thresholds) for key, paid in paid_by_client.items()}


def trailing_window_start(today: date) -> date:
    """The first day of the trailing twelve months that end with ``today`` (365 days)."""
    return today - timedelta(days=364)


def total_paid(payments: Iterable[tuple[date, Decimal]], today: date) -> Decimal:
    """Sum of the payments received within the trailing twelve months ending ``today``."""
    start = trailing_window_start(today)
    return sum(
        (amount for day, amount in payments if start <= day <= today), Decimal(0)
    )
