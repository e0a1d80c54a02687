"""RFM scores, segments and the signals of a client at risk (reports/rfm.py, pure)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clientfolio.reports import rfm

values = st.dictionaries(st.integers(0, 500), st.integers(0, 10_000), max_size=25)


@given(values)
def test_scores_are_1_to_5_and_follow_the_order_of_the_values(figures):
    scores = rfm.rank_scores(figures)
    assert set(scores) == set(figures)
    assert all(1 <= s <= 5 for s in scores.values())
    for a in figures:
        for b in figures:
            if figures[a] == figures[b]:
                assert scores[a] == scores[b]
            elif figures[a] < figures[b]:
                assert scores[a] <= scores[b]
    # with no ties, the lowest fifth scores 1 and the highest 5
    if len(figures) >= 5 and len(set(figures.values())) == len(figures):
        assert (min(scores.values()), max(scores.values())) == (1, 5)


@given(values)
def test_reversed_scores_mirror_the_order(figures):
    up, down = rfm.rank_scores(figures), rfm.rank_scores(figures, reverse=True)
    for a in figures:
        for b in figures:
            if figures[a] < figures[b]:
                assert up[a] <= up[b]
                assert down[a] >= down[b]


def test_segments_of_typical_scores():
    s = rfm.Scores
    assert rfm.segment(s(5, 5, 5)) == "champions"
    assert rfm.segment(s(5, 1, 2), rfm.Figures(3, 1, Decimal(10))) == "new"
    assert rfm.segment(s(1, 4, 4)) == "at_risk"
    assert rfm.segment(s(2, 1, 1)) == "hibernating"
    assert rfm.segment(s(3, 4, 2)) == "loyal"
    assert rfm.segment(s(3, 2, 5)) == "big_spenders"
    assert rfm.segment(s(3, 3, 3)) == "attention"
    assert rfm.segment(None) == "none"


def test_the_signals_of_a_client_at_risk():
    quiet = rfm.signals(
        revenue=Decimal(60),
        revenue_before=Decimal(100),
        open_complaints=2,
        days_since_contact=120,
    )
    assert quiet == [
        rfm.Signal("revenue_decline", 40),
        rfm.Signal("complaints", 2),
        rfm.Signal("no_contact", 120),
    ]
    assert (
        rfm.signals(
            revenue=Decimal(80),
            revenue_before=Decimal(100),
            open_complaints=0,
            days_since_contact=10,
        )
        == []
    )
    assert rfm.signals(
        revenue=Decimal(0),
        revenue_before=Decimal(0),
        open_complaints=0,
        days_since_contact=None,
    ) == [rfm.Signal("no_contact", -1)]
