"""risks.scoring: scores, levels, thresholds and the matrix (pure Python)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.risks import scoring

ratings = st.integers(min_value=1, max_value=5)
bounds = st.lists(
    st.integers(min_value=1, max_value=24), min_size=3, max_size=3, unique=True
).map(sorted)


@given(ratings, ratings)
def test_the_score_is_the_product_on_the_scale(p, i):
    # when a risk is scored, then it is probability × impact, from 1 to 25
    value = scoring.score(p, i)
    assert value == p * i
    assert 1 <= value <= scoring.MAX_SCORE


@given(ratings, ratings, ratings, ratings, bounds)
def test_a_worse_rating_never_lowers_the_level(p, i, dp, di, limits):
    # given thresholds that rise
    thresholds = scoring.check_thresholds(*limits)
    worse_p, worse_i = max(p, dp), max(i, di)

    # then raising probability or impact never lowers the level
    order = scoring.LEVELS.index
    before = scoring.level(scoring.score(p, i), thresholds)
    after = scoring.level(scoring.score(worse_p, worse_i), thresholds)
    assert order(after) >= order(before)


@given(bounds)
def test_every_level_keeps_at_least_one_score(limits):
    # given valid thresholds, then each of the four levels is reached by some score 1–25
    thresholds = scoring.check_thresholds(*limits)
    levels = {scoring.level(s, thresholds) for s in range(1, 26)}
    assert levels == set(scoring.LEVELS)


@pytest.mark.parametrize("value", [0, 6, -1, "x", "", None, 2.5, True, "6"])
def test_a_rating_off_the_scale_is_refused(value):
    with pytest.raises(scoring.ScoringError) as error:
        scoring.check_rating(value)
    assert error.value.code == "range"


def test_a_rating_may_come_as_text():
    assert scoring.check_rating(" 4 ") == 4


@pytest.mark.parametrize(
    ("limits", "code"),
    [((4, 4, 16), "order"), ((9, 4, 16), "order"), ((0, 9, 16), "range"),
     ((4, 9, 25), "range"), ((4, "9", 16), "range")],
)  # fmt: skip
def test_thresholds_must_rise_within_the_scale(limits, code):
    with pytest.raises(scoring.ScoringError) as error:
        scoring.check_thresholds(*limits)
    assert error.value.code == code


def test_the_default_levels():
    # the handbook split: low ≤ 4, medium ≤ 9, high ≤ 16, critical above
    assert [scoring.level(s) for s in (4, 5, 9, 10, 16, 17)] == [
        "low", "medium", "medium", "high", "high", "critical",
    ]  # fmt: skip


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 50))))
def test_the_matrix_has_25_cells_and_counts_every_row_on_the_scale(rows):
    # when GROUP BY rows (possibly repeated, possibly off the scale) fill the matrix
    cells = scoring.matrix(rows)

    # then it has every cell once, and counts exactly the rows on the scale
    assert len(cells) == 25
    assert len({(c.probability, c.impact) for c in cells}) == 25
    on_scale = sum(n for p, i, n in rows if 1 <= p <= 5 and 1 <= i <= 5)
    assert sum(c.count for c in cells) == on_scale
    assert all(c.score == c.probability * c.impact for c in cells)


def test_the_corners_of_the_matrix():
    cells = {(c.probability, c.impact): c for c in scoring.matrix([(5, 5, 2)])}
    assert cells[(1, 1)].level == "low"
    assert cells[(1, 1)].count == 0
    assert cells[(5, 5)].level == "critical"
    assert cells[(5, 5)].count == 2


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([], "flat"), ([9], "flat"), ([9, 12], "up"), ([12, 9], "down"), ([9, 9], "flat")],
)
def test_the_trend_of_the_last_two_scores(scores, expected):
    assert scoring.trend(scores) == expected
