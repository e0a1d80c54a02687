"""Property tests of client tiers (pure Python, no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clientfolio.clients.segmentation import (
    TierThresholds,
    tier_for,
    tiers_for,
    total_paid,
    trailing_window_start,
)

RANK = {"C": 0, "B": 1, "A": 2}
money = st.decimals(
    min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def thresholds(draw):
    b_min = draw(money)
    a_min = b_min + draw(money)
    return TierThresholds(a_min=a_min, b_min=b_min)


DEFAULT = TierThresholds(a_min=Decimal("1000000"), b_min=Decimal("200000"))


@given(thresholds(), money, money)
def test_paying_more_never_lowers_the_tier(limits, paid, more):
    assert RANK[tier_for(paid + more, limits)] >= RANK[tier_for(paid, limits)]


@given(thresholds())
def test_each_threshold_is_the_first_amount_of_its_tier(limits):
    # at a threshold the tier is reached; one cent below it is not
    assert tier_for(limits.a_min, limits) == "A"
    assert tier_for(limits.b_min, limits) in {"A", "B"}
    if limits.b_min > 0:
        assert tier_for(limits.b_min - Decimal("0.01"), limits) == "C"
    if limits.a_min > limits.b_min:
        assert tier_for(limits.a_min - Decimal("0.01"), limits) == "B"


@pytest.mark.parametrize(
    ("paid", "tier"),
    [
        ("0", "C"),
        ("199999.99", "C"),
        ("200000", "B"),
        ("999999.99", "B"),
        ("1000000", "A"),
        ("5000000", "A"),
    ],
)
def test_default_thresholds_put_boundaries_where_documented(paid, tier):
    assert tier_for(Decimal(paid), DEFAULT) == tier


@given(st.dictionaries(st.integers(), money, max_size=30), thresholds())
def test_tiers_for_gives_every_client_the_tier_of_its_own_total(paid, limits):
    tiers = tiers_for(paid, limits)
    assert tiers.keys() == paid.keys()
    assert all(tiers[key] == tier_for(amount, limits) for key, amount in paid.items())


@given(money, money)
def test_thresholds_out_of_order_are_refused(a, b):
    assume(a < b)
    with pytest.raises(ValueError, match="thresholds"):
        TierThresholds(a_min=a, b_min=b)


def test_a_negative_threshold_is_refused():
    with pytest.raises(ValueError, match="thresholds"):
        TierThresholds(a_min=Decimal(1), b_min=Decimal(-1))


@given(days)
def test_the_window_is_365_days_ending_today(today):
    start = trailing_window_start(today)
    assert (today - start).days + 1 == 365


payment_lists = st.lists(
    st.tuples(st.integers(min_value=-800, max_value=400), money), max_size=30
)


@given(days, payment_lists)
def test_total_paid_counts_exactly_the_payments_inside_the_window(today, offsets):
    # given payments some days before (negative) or after (positive) today
    payments = [(today + timedelta(days=offset), amount) for offset, amount in offsets]

    # then the total is the sum of those received in the 365 days ending today
    expected = sum(
        (amount for offset, amount in offsets if -364 <= offset <= 0), Decimal(0)
    )
    assert total_paid(payments, today) == expected


@given(days, money)
def test_a_payment_older_than_365_days_does_not_count(today, amount):
    assert total_paid([(today - timedelta(days=365), amount)], today) == 0
    assert total_paid([(today - timedelta(days=364), amount)], today) == amount


@given(days, money)
def test_a_future_payment_does_not_count(today, amount):
    assert total_paid([(today + timedelta(days=1), amount)], today) == 0
    assert total_paid([(today, amount)], today) == amount


@given(days, payment_lists, payment_lists)
def test_more_payments_never_lower_the_total_or_the_tier(today, first, extra):
    base = [(today + timedelta(days=o), a) for o, a in first]
    more = base + [(today + timedelta(days=o), a) for o, a in extra]
    assert total_paid(more, today) >= total_paid(base, today)
    assert (
        RANK[tier_for(total_paid(more, today), DEFAULT)]
        >= RANK[tier_for(total_paid(base, today), DEFAULT)]
    )


def test_the_total_is_a_decimal_even_without_payments():
    assert isinstance(total_paid([], date(2025, 1, 1)), Decimal)
