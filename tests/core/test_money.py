"""Money, explicit rounding and dated exchange rates. Pure, no database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.core.money import (
    CurrencyMismatch,
    MissingRate,
    Money,
    RateTable,
    round_money,
)

JAN = date(2026, 1, 1)

amounts = st.decimals(
    min_value=Decimal("-1000000"),
    max_value=Decimal("1000000"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
positive_amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("1000000"), places=2
)
rates = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=4)


def test_money_rejects_floats_and_bad_codes():
    with pytest.raises(TypeError):
        Money(1.5, "CNY")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="three-letter"):
        Money(Decimal(1), "cny")
    with pytest.raises(ValueError, match="three-letter"):
        Money(Decimal(1), "YUAN")
    with pytest.raises(ValueError, match="finite"):
        Money(Decimal("NaN"), "CNY")


def test_adding_different_currencies_raises():
    with pytest.raises(CurrencyMismatch, match="CNY and USD"):
        Money(Decimal(1), "CNY") + Money(Decimal(1), "USD")
    with pytest.raises(CurrencyMismatch):
        Money(Decimal(1), "CNY") - Money(Decimal(1), "JPY")


@given(amounts, amounts)
def test_same_currency_arithmetic_is_exact(a, b):
    assert (Money(a, "EUR") + Money(b, "EUR")).amount == a + b
    assert (Money(a, "EUR") - Money(b, "EUR")) == Money(a - b, "EUR")


def test_rounding_is_half_up_to_minor_units():
    assert round_money(Decimal("1.005"), "CNY") == Decimal("1.01")
    assert round_money(Decimal("-1.005"), "CNY") == Decimal("-1.01")
    assert round_money(Decimal("1.0049"), "USD") == Decimal("1.00")
    assert str(round_money(Decimal("1"), "CNY")) == "1.00"


def test_jpy_rounds_to_whole_yen():
    assert round_money(Decimal("2.5"), "JPY") == Decimal(3)
    assert round_money(Decimal("2.49"), "JPY") == Decimal(2)
    assert str(round_money(Decimal("1234.5"), "JPY")) == "1235"
    table = RateTable([(JAN, "USD", "JPY", Decimal("150.337"))])
    assert table.convert(Money(Decimal("1.00"), "USD"), "JPY", JAN) == Money(
        Decimal(150), "JPY"
    )


@given(amounts, st.sampled_from(["CNY", "USD", "JPY", "GBP"]))
def test_rounding_moves_by_at_most_half_a_minor_unit(amount, currency):
    rounded = round_money(amount, currency)
    unit = Decimal(1) if currency == "JPY" else Decimal("0.01")
    assert abs(rounded - amount) <= unit / 2
    assert rounded % unit == 0


def test_rate_lookup_picks_the_latest_earlier_date():
    table = RateTable(
        [
            (date(2026, 1, 1), "USD", "CNY", Decimal("7.10")),
            (date(2026, 2, 1), "USD", "CNY", Decimal("7.20")),
            (date(2026, 3, 1), "USD", "CNY", Decimal("7.30")),
        ]
    )
    assert table.rate("USD", "CNY", date(2026, 1, 31)) == Decimal("7.10")
    assert table.rate("USD", "CNY", date(2026, 2, 1)) == Decimal("7.20")
    assert table.rate("USD", "CNY", date(2026, 2, 28)) == Decimal("7.20")
    assert table.rate("USD", "CNY", date(2027, 1, 1)) == Decimal("7.30")
    with pytest.raises(MissingRate, match=r"USD→CNY on or before 2025-12-31"):
        table.rate("USD", "CNY", date(2025, 12, 31))


@given(
    st.lists(
        st.tuples(st.integers(0, 400), rates),
        min_size=1,
        max_size=20,
        unique_by=lambda r: r[0],
    ),
    st.integers(0, 500),
)
def test_rate_lookup_property(rows, offset):
    table = RateTable([(JAN + timedelta(d), "EUR", "CNY", r) for d, r in rows])
    on = JAN + timedelta(offset)
    earlier = [(d, r) for d, r in rows if d <= offset]
    if not earlier:
        with pytest.raises(MissingRate):
            table.rate("EUR", "CNY", on)
    else:
        assert table.rate("EUR", "CNY", on) == max(earlier)[1]


def test_inverse_rate_is_used_when_the_pair_is_missing():
    table = RateTable([(JAN, "USD", "CNY", Decimal("8"))])
    assert table.rate("CNY", "USD", JAN) == Decimal("0.125")
    assert table.convert(Money(Decimal("100"), "CNY"), "USD", JAN) == Money(
        Decimal("12.50"), "USD"
    )


def test_the_more_recent_of_direct_and_inverse_wins():
    table = RateTable(
        [
            (JAN, "USD", "CNY", Decimal("7")),
            (date(2026, 2, 1), "CNY", "USD", Decimal("0.125")),
        ]
    )
    assert table.rate("USD", "CNY", date(2026, 1, 15)) == Decimal("7")
    assert table.rate("USD", "CNY", date(2026, 2, 15)) == Decimal("8")


def test_cny_is_the_pivot_between_other_currencies():
    table = RateTable(
        [
            (JAN, "USD", "CNY", Decimal("7.2")),
            (JAN, "CNY", "HKD", Decimal("1.08")),
            (JAN, "EUR", "CNY", Decimal("7.8")),
        ]
    )
    assert table.rate("USD", "HKD", JAN) == Decimal("7.776")
    assert table.convert(Money(Decimal("10"), "USD"), "EUR", JAN) == Money(
        Decimal("9.23"), "EUR"
    )
    with pytest.raises(MissingRate, match="through CNY"):
        table.rate("USD", "GBP", JAN)


def test_missing_rate_message_names_pair_and_date():
    with pytest.raises(MissingRate) as excinfo:
        RateTable().convert(Money(Decimal(1), "USD"), "CNY", JAN)
    assert "USD→CNY" in str(excinfo.value)
    assert "2026-01-01" in str(excinfo.value)


def test_bad_rate_rows_are_rejected():
    with pytest.raises(ValueError, match="positive"):
        RateTable([(JAN, "USD", "CNY", Decimal(0))])
    with pytest.raises(ValueError, match="Two different rates"):
        RateTable([(JAN, "USD", "CNY", Decimal(7)), (JAN, "USD", "CNY", Decimal(8))])
    with pytest.raises(TypeError):
        RateTable([(JAN, "USD", "CNY", 7.0)])  # type: ignore[list-item]


@given(positive_amounts, rates)
def test_conversion_round_trip_is_within_rounding(amount, rate):
    table = RateTable([(JAN, "USD", "CNY", rate)])
    there = table.convert(Money(amount, "USD"), "CNY", JAN)
    back = table.convert(there, "USD", JAN)
    # Rounding in CNY moves the amount by ≤ 0.005 CNY, i.e. ≤ 0.005 / rate USD, and
    # rounding back adds ≤ 0.005 USD.
    assert abs(back.amount - amount) <= Decimal("0.005") / rate + Decimal("0.005")


@given(st.lists(positive_amounts, max_size=10), rates)
def test_total_rounds_once_at_the_end(usd_amounts, rate):
    table = RateTable([(JAN, "USD", "CNY", rate)])
    result = table.total([Money(a, "USD") for a in usd_amounts], "CNY", JAN)
    assert result == Money(
        round_money(sum(usd_amounts, Decimal(0)) * rate, "CNY"), "CNY"
    )


def test_total_mixes_currencies_and_rounds_once():
    table = RateTable([(JAN, "USD", "CNY", Decimal("7.0001"))])
    moneys = [Money(Decimal("0.01"), "USD")] * 3 + [Money(Decimal("1.5"), "CNY")]
    # Rounded separately each USD cent would be 0.07 CNY (0.21); exactly it is 0.210003.
    assert table.total(moneys, "CNY", JAN) == Money(Decimal("1.71"), "CNY")
    assert table.total([], "JPY", JAN) == Money(Decimal(0), "JPY")
