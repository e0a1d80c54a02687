"""Which hourly rate prices a piece of work, and what the work costs and bills.

Pure Python: imports only the standard library. The date is always a parameter.

Rules:

- A rate applies to one person (``user_id``) or to everyone with a project role
  (``role``), for one project (``project_id``) or firm-wide (``project_id`` None), from
  ``valid_from`` to ``valid_until`` inclusive (None: open-ended).
- Of the rates valid on the date, the most specific wins, in this order:
  person + project, role + project, person firm-wide, role firm-wide. Among rates of the
  same kind (which should not overlap, see ``overlapping``) the latest ``valid_from``
  wins, then the highest ``id``, so the choice is always deterministic.
- Amounts are hours × rate rounded ``ROUND_HALF_UP`` to the currency's minor units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clientfolio.core.money import round_money

__all__ = [
    "PricedWork",
    "RateRow",
    "kind_of",
    "overlapping",
    "price",
    "select_rate",
]

#: Kinds of rate, most specific first.
PERSON_PROJECT, ROLE_PROJECT, PERSON_FIRM, ROLE_FIRM = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class RateRow:
    """One hourly rate, as the pricing needs it."""

    id: int
    project_id: int | None
    user_id: int | None
    role: str
    cost_rate: Decimal
    bill_rate: Decimal
    currency: str
    valid_from: date
    valid_until: date | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True, slots=True)
class PricedWork:
    """What some hours cost and bill, and the rate used (None: no rate applied)."""

    cost_amount: Decimal
    bill_amount: Decimal
    currency: str
    rate_id: int | None


def kind_of(rate: RateRow) -> int:
    """The rate's specificity (0 = person + project … 3 = role firm-wide)."""
    if rate.project_id is not None:
        return PERSON_PROJECT if rate.user_id is not None else ROLE_PROJECT
    return PERSON_FIRM if rate.user_id is not None else ROLE_FIRM


def _applies(
    rate: RateRow, project_id: int, user_id: int, role: str | None, day: date
) -> bool:
    if not rate.valid_on(day):
        return False
    if rate.project_id is not None and rate.project_id != project_id:
        return False
    if rate.user_id is not None:
        return rate.user_id == user_id
    return bool(role) and rate.role == role


def select_rate(
    rates: Iterable[RateRow],
    *,
    project_id: int,
    user_id: int,
    role: str | None,
    day: date,
) -> RateRow | None:
    """The rate pricing ``user_id``'s work on ``project_id`` on ``day`` (their project
    role there is ``role``), or None when none applies."""
    best: RateRow | None = None
    best_key: tuple[int, int, int] | None = None
    for rate in rates:
        if not _applies(rate, project_id, user_id, role, day):
            continue
        key = (-kind_of(rate), rate.valid_from.toordinal(), rate.id)
        if best_key is None or key > best_key:
            best, best_key = rate, key
    return best


def price(
    hours: Decimal, rate: RateRow | None, default_currency: str = "CNY"
) -> PricedWork:
    """Cost and billing amounts of ``hours`` at ``rate`` (zero without a rate)."""
    if rate is None:
        zero = round_money(Decimal(0), default_currency)
        return PricedWork(zero, zero, default_currency, None)
    return PricedWork(
        round_money(hours * rate.cost_rate, rate.currency),
        round_money(hours * rate.bill_rate, rate.currency),
        rate.currency,
        rate.id,
    )


def overlapping(candidate: RateRow, others: Sequence[RateRow]) -> RateRow | None:
    """The first of ``others`` for the same person or role and the same project (or
    both firm-wide) whose validity overlaps ``candidate``'s; None if there is none.
    A row with ``candidate``'s id is the candidate itself and is skipped."""
    end = candidate.valid_until or date.max
    for other in others:
        if other.id == candidate.id:
            continue
        if (other.project_id, other.user_id, other.role) != (
            candidate.project_id,
            candidate.user_id,
            candidate.role,
        ):
            continue
        other_end = other.valid_until or date.max
        if other.valid_from <= end and candidate.valid_from <= other_end:
            return other
    return None
