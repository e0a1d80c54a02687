"""Money in a currency, explicit rounding, and conversion through a dated rate table.

Pure Python: imports only the standard library. "Today" is always a parameter.

Rules:

- Amounts are ``Decimal``, never ``float``; a ``Money`` keeps its amount exactly as
  given (no rounding on construction).
- Rounding happens only where asked for (``round_money``, ``Money.rounded``) or where
  a result is handed to people (``RateTable.convert``, ``RateTable.total``). It is
  always ``ROUND_HALF_UP`` (0.005 → 0.01, −0.005 → −0.01) to the currency's minor
  units from ``MINOR_UNITS``; a currency missing from that table has 2 (the usual
  ISO 4217 value).
- Arithmetic between amounts of different currencies raises ``CurrencyMismatch``;
  conversions need a ``RateTable`` and a date.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

__all__ = [
    "DEFAULT_CURRENCY",
    "MINOR_UNITS",
    "CurrencyMismatch",
    "MissingRate",
    "Money",
    "RateTable",
    "minor_units",
    "round_money",
]

DEFAULT_CURRENCY = "CNY"

#: Digits after the decimal point of each currency's smallest unit (ISO 4217).
MINOR_UNITS: dict[str, int] = {
    "CNY": 2,
    "USD": 2,
    "EUR": 2,
    "HKD": 2,
    "GBP": 2,
    "JPY": 0,
}

_CURRENCY_RE = re.compile(r"[A-Z]{3}")
# Intermediate products and quotients (inverse and cross rates) are computed with
# 28 significant digits, independent of the caller's decimal context.
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined without a conversion."""


class MissingRate(LookupError):
    """No exchange rate is known for a currency pair on or before a date."""


def _check_currency(currency: str) -> str:
    if not isinstance(currency, str) or not _CURRENCY_RE.fullmatch(currency):
        raise ValueError(
            f"Currency must be a three-letter uppercase code such as 'CNY', got {currency!r}."
        )
    return currency


def _check_amount(amount: Decimal, what: str = "Amount") -> Decimal:
    # bool and float are rejected on purpose: floats cannot hold cents exactly.
    if not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(amount).__name__}.")
    if not amount.is_finite():
        raise ValueError(f"{what} must be a finite number, got {amount}.")
    return amount


def minor_units(currency: str) -> int:
    """Return the number of decimal places of ``currency`` (2 when not in the table).

    Raises ``ValueError`` if ``currency`` is not a three-letter uppercase code.
    """
    return MINOR_UNITS.get(_check_currency(currency), 2)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` to the minor units of ``currency`` with ``ROUND_HALF_UP``.

    Halves round away from zero: CNY 1.005 → 1.01, CNY −1.005 → −1.01, JPY 2.5 → 3.
    The result always has exactly the currency's number of decimal places
    (CNY 1 → 1.00). Raises ``TypeError`` for a non-``Decimal`` amount and
    ``ValueError`` for a non-finite amount or a malformed currency code.
    """
    _check_amount(amount)
    quantum = Decimal(1).scaleb(-minor_units(currency))
    with localcontext(_CONTEXT):
        return amount.quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    """An exact ``Decimal`` amount in one currency (ISO 4217 code, e.g. ``"CNY"``).

    Construction validates but does not round. ``+`` and ``-`` work only between
    amounts of the same currency and raise ``CurrencyMismatch`` otherwise; the result
    is exact (not rounded).
    """

    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        _check_amount(self.amount)
        _check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        """Return zero in ``currency``, with the currency's decimal places."""
        return cls(round_money(Decimal(0), currency), currency)

    def _same_currency(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot {operation} Money and {type(other).__name__}.")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Cannot {operation} {self.currency} and {other.currency}; "
                "convert one of them first."
            )
        return other

    def __add__(self, other: Money) -> Money:
        other = self._same_currency(other, "add")
        with localcontext(_CONTEXT):
            return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        other = self._same_currency(other, "subtract")
        with localcontext(_CONTEXT):
            return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def rounded(self) -> Money:
        """Return this amount rounded by ``round_money``."""
        return Money(round_money(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@dataclass(frozen=True, slots=True)
class _Series:
    """The dated rates of one currency pair, in date order."""

    dates: list[date]
    rates: list[Decimal]

    def latest(self, on: date) -> tuple[date, Decimal] | None:
        index = bisect_right(self.dates, on)
        if index == 0:
            return None
        return self.dates[index - 1], self.rates[index - 1]


class RateTable:
    """Dated exchange rates: one unit of ``from_currency`` is worth ``rate`` units of
    ``to_currency`` from ``date`` until the pair's next dated row.

    A rate for a date is the latest row on or before that date, looked up in order:

    1. the same currency: 1;
    2. the pair itself, or its inverse (``1 / rate`` of the opposite pair); when both
       exist, the one with the later date wins (the direct row on a tie);
    3. through the pivot currency (CNY by default): ``from → pivot → to``, each leg
       resolved as in step 2.

    Otherwise ``MissingRate`` is raised. Rows must have a positive ``Decimal`` rate
    (else ``ValueError``/``TypeError``); two different rates for the same pair and date
    raise ``ValueError``.
    """

    def __init__(
        self,
        rows: Iterable[tuple[date, str, str, Decimal]] = (),
        pivot: str = DEFAULT_CURRENCY,
    ) -> None:
        self.pivot = _check_currency(pivot)
        by_pair: dict[tuple[str, str], dict[date, Decimal]] = {}
        for on, from_currency, to_currency, rate in rows:
            _check_currency(from_currency)
            _check_currency(to_currency)
            _check_amount(rate, "Rate")
            if rate <= 0:
                raise ValueError(
                    f"Rate {from_currency}→{to_currency} on {on} must be positive, got {rate}."
                )
            if from_currency == to_currency:
                raise ValueError(f"Rate from {from_currency} to itself on {on}.")
            dated = by_pair.setdefault((from_currency, to_currency), {})
            if dated.get(on, rate) != rate:
                raise ValueError(
                    f"Two different rates {from_currency}→{to_currency} on {on}: "
                    f"{dated[on]} and {rate}."
                )
            dated[on] = rate
        self._series = {
            pair: _Series(sorted(dated), [dated[d] for d in sorted(dated)])
            for pair, dated in by_pair.items()
        }

    def _pair_rate(
        self, from_currency: str, to_currency: str, on: date
    ) -> Decimal | None:
        direct = self._series.get((from_currency, to_currency))
        inverse = self._series.get((to_currency, from_currency))
        found_direct = direct.latest(on) if direct else None
        found_inverse = inverse.latest(on) if inverse else None
        if found_direct and (not found_inverse or found_direct[0] >= found_inverse[0]):
            return found_direct[1]
        if found_inverse:
            with localcontext(_CONTEXT):
                return 1 / found_inverse[1]
        return None

    def rate(self, from_currency: str, to_currency: str, on: date) -> Decimal:
        """Return the unrounded rate ``from_currency → to_currency`` valid on ``on``.

        Raises ``MissingRate`` when neither the pair, its inverse nor both legs through
        the pivot have a row on or before ``on``.
        """
        _check_currency(from_currency)
        _check_currency(to_currency)
        if from_currency == to_currency:
            return Decimal(1)
        found = self._pair_rate(from_currency, to_currency, on)
        if found is not None:
            return found
        if self.pivot not in (from_currency, to_currency):
            first = self._pair_rate(from_currency, self.pivot, on)
            second = self._pair_rate(self.pivot, to_currency, on)
            if first is not None and second is not None:
                with localcontext(_CONTEXT):
                    return first * second
        raise MissingRate(
            f"No exchange rate {from_currency}→{to_currency} on or before {on.isoformat()} "
            f"(looked for the pair, its inverse and both legs through {self.pivot})."
        )

    def _convert_exact(self, money: Money, to_currency: str, on: date) -> Decimal:
        rate = self.rate(money.currency, to_currency, on)
        with localcontext(_CONTEXT):
            return money.amount * rate

    def convert(self, money: Money, to_currency: str, on: date) -> Money:
        """Return ``money`` in ``to_currency`` at the rate valid on ``on``, rounded by
        ``round_money`` to ``to_currency`` (also when the currency does not change).

        Raises ``MissingRate`` (see ``rate``) and ``ValueError`` for a malformed code.
        """
        exact = self._convert_exact(money, to_currency, on)
        return Money(round_money(exact, to_currency), to_currency)

    def total(self, moneys: Iterable[Money], currency: str, on: date) -> Money:
        """Return the sum of ``moneys`` in ``currency`` at the rates valid on ``on``.

        Each amount is converted exactly and the sum is rounded once, at the end, by
        ``round_money``; an empty iterable gives zero. Raises ``MissingRate`` if any
        amount cannot be converted.
        """
        _check_currency(currency)
        exact = Decimal(0)
        for money in moneys:
            converted = self._convert_exact(money, currency, on)
            with localcontext(_CONTEXT):
                exact += converted
        return Money(round_money(exact, currency), currency)
