"""Which hourly rate prices some work, and what it costs. Pure, no database."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clientfolio.finance.pricing import (
    RateRow,
    kind_of,
    overlapping,
    price,
    select_rate,
)

JAN = date(2026, 1, 1)
PROJECT, OTHER_PROJECT = 1, 2
ANNA, BEN = 10, 11


def rate(id, *, project=None, user=None, role="", cost="100", start=JAN, end=None):
    return RateRow(
        id=id,
        project_id=project,
        user_id=user,
        role=role if user is None else "",
        cost_rate=Decimal(cost),
        bill_rate=Decimal(cost) * 2,
        currency="CNY",
        valid_from=start,
        valid_until=end,
    )


def pick(rates, *, user=ANNA, role="member", day=JAN, project=PROJECT):
    return select_rate(rates, project_id=project, user_id=user, role=role, day=day)


def test_the_most_specific_rate_wins():
    # given one rate of each kind for Anna, a member of the project
    person_project = rate(1, project=PROJECT, user=ANNA, cost="400")
    role_project = rate(2, project=PROJECT, role="member", cost="300")
    person_firm = rate(3, user=ANNA, cost="200")
    role_firm = rate(4, role="member", cost="100")
    every = [role_firm, person_firm, role_project, person_project]

    # then person+project beats role+project beats person firm-wide beats role firm-wide
    assert pick(every) == person_project
    assert pick(every[:3]) == role_project
    assert pick(every[:2]) == person_firm
    assert pick(every[:1]) == role_firm


def test_rates_of_other_people_projects_roles_and_dates_do_not_apply():
    # given rates for Ben, another project, the viewer role and before Anna's day
    rates = [
        rate(1, user=BEN),
        rate(2, project=OTHER_PROJECT, user=ANNA),
        rate(3, role="viewer"),
        rate(4, user=ANNA, start=JAN, end=JAN + timedelta(days=9)),
    ]

    # then none applies to Anna on 2026-01-20
    assert pick(rates, day=JAN + timedelta(days=19)) is None
    # and a role rate needs a role
    assert pick([rate(5, role="member")], role=None) is None


def test_price_rounds_half_up_and_is_zero_without_rate():
    priced = price(Decimal("0.25"), rate(1, user=ANNA, cost="100.02"))
    assert priced.cost_amount == Decimal("25.01")  # 25.005 → 25.01
    assert priced.bill_amount == Decimal("50.01")
    nothing = price(Decimal("8"), None)
    assert (nothing.cost_amount, nothing.bill_amount, nothing.rate_id) == (
        Decimal("0.00"),
        Decimal("0.00"),
        None,
    )


def test_overlap_is_found_only_for_the_same_person_and_project():
    current = rate(1, user=ANNA, start=JAN, end=date(2026, 6, 30))
    assert overlapping(rate(2, user=ANNA, start=date(2026, 6, 30)), [current])
    assert overlapping(rate(2, user=ANNA, start=date(2026, 7, 1)), [current]) is None
    assert overlapping(rate(2, user=BEN, start=JAN), [current]) is None
    assert (
        overlapping(rate(2, project=PROJECT, user=ANNA, start=JAN), [current]) is None
    )
    # an open-ended rate overlaps everything after its start
    assert overlapping(rate(2, user=ANNA, start=date(2030, 1, 1)), [rate(3, user=ANNA)])
    # the rate itself (same id) is not a clash
    assert overlapping(current, [current]) is None


days = st.integers(min_value=0, max_value=400).map(lambda n: JAN + timedelta(days=n))


@st.composite
def rate_rows(draw):
    rows = []
    for index in range(draw(st.integers(min_value=0, max_value=8))):
        start = draw(days)
        length = draw(st.none() | st.integers(0, 200))
        end = None if length is None else start + timedelta(days=length)
        rows.append(
            rate(
                index + 1,
                project=draw(st.sampled_from([None, PROJECT, OTHER_PROJECT])),
                user=draw(st.sampled_from([None, ANNA, BEN])),
                role=draw(st.sampled_from(["member", "manager"])),
                cost=str(draw(st.integers(0, 1000))),
                start=start,
                end=end,
            )
        )
    return rows


@given(rate_rows(), days, st.sampled_from([None, "member", "manager"]))
def test_the_chosen_rate_applies_and_none_more_specific_does(rows, day, role):
    chosen = pick(rows, day=day, role=role)
    applicable = [
        r
        for r in rows
        if r.valid_on(day)
        and r.project_id in (None, PROJECT)
        and (r.user_id == ANNA or (r.user_id is None and role and r.role == role))
    ]
    if not applicable:
        assert chosen is None
        return
    assert chosen in applicable
    assert kind_of(chosen) == min(kind_of(r) for r in applicable)


@given(rate_rows(), days)
def test_the_choice_does_not_depend_on_the_order_of_the_rows(rows, day):
    assert pick(rows, day=day) == pick(list(reversed(rows)), day=day)


@given(
    st.decimals(min_value=Decimal("0.25"), max_value=Decimal("24"), places=2),
    st.integers(min_value=0, max_value=5000),
)
def test_amounts_are_hours_times_rate_within_half_a_cent(hours, cost):
    priced = price(hours, rate(1, user=ANNA, cost=str(cost)))
    assert abs(priced.cost_amount - hours * cost) <= Decimal("0.005")
    assert priced.cost_amount.as_tuple().exponent == -2
    assert priced.bill_amount >= priced.cost_amount
