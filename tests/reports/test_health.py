"""The health rules (reports/health.py): pure, so checked by properties and a few
examples of each reason."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clientfolio.reports.health import COLOURS, Signals, assess

indices = st.none() | st.decimals(
    min_value=Decimal("0"), max_value=Decimal("2"), places=2, allow_nan=False
)
signals = st.builds(
    Signals,
    status=st.sampled_from(["proposed", "active", "on_hold", "completed", "cancelled"]),
    spi=indices,
    cpi=indices,
    schedule_status=st.sampled_from([None, "on_track", "at_risk", "late"]),
    slip_days=st.integers(0, 60),
    overdue_days=st.integers(0, 30),
    overdue_high_risks=st.integers(0, 5),
    overdue_critical_risks=st.integers(0, 2),
    open_complaints=st.integers(0, 4),
    severe_complaints=st.integers(0, 2),
)


def rank(health):
    return COLOURS.index(health.colour)


@given(signals)
def test_the_colour_is_the_worst_reason_and_green_means_no_reason(s):
    health = assess(s)
    if s.status in ("proposed", "completed", "cancelled"):
        assert (health.colour, health.reasons) == ("grey", ())
        return
    if not health.reasons:
        assert health.colour == "green"
    else:
        assert health.colour == max(
            (r.colour for r in health.reasons), key=COLOURS.index
        )
        # worst first
        ranks = [COLOURS.index(r.colour) for r in health.reasons]
        assert ranks == sorted(ranks, reverse=True)


@given(signals, st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=2))
def test_worse_performance_never_makes_a_project_healthier(s, drop):
    worse = replace(
        s,
        spi=None if s.spi is None else max(Decimal(0), s.spi - drop),
        cpi=None if s.cpi is None else max(Decimal(0), s.cpi - drop),
        overdue_high_risks=s.overdue_high_risks + 1,
        open_complaints=s.open_complaints + 1,
    )
    assert rank(assess(worse)) >= rank(assess(s))


def test_each_signal_gives_its_reason():
    active = Signals(status="active")
    assert assess(active).colour == "green"
    cases = {
        ("spi", "amber"): replace(active, spi=Decimal("0.90")),
        ("spi", "red"): replace(active, spi=Decimal("0.84")),
        ("cpi", "amber"): replace(active, cpi=Decimal("0.94")),
        ("overdue", "red"): replace(active, schedule_status="late", overdue_days=3),
        ("schedule", "red"): replace(active, schedule_status="late", slip_days=9),
        ("schedule", "amber"): replace(active, schedule_status="at_risk", slip_days=2),
        ("risks", "amber"): replace(active, overdue_high_risks=1),
        ("risks", "red"): replace(active, overdue_critical_risks=1),
        ("complaints", "amber"): replace(active, open_complaints=2),
        ("complaints", "red"): replace(active, open_complaints=2, severe_complaints=1),
    }
    for (code, colour), s in cases.items():
        health = assess(s)
        assert [(r.code, r.colour) for r in health.reasons] == [(code, colour)]
        assert health.colour == colour
    # the limits themselves are healthy
    assert assess(replace(active, spi=Decimal("0.95"), cpi=Decimal("1"))).colour == (
        "green"
    )
    assert assess(replace(active, overdue_high_risks=3)).colour == "red"
