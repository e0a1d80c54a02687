"""The pure satisfaction figures: CSAT, NPS, the follow-up rule and trends."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.reports import satisfaction as sat

csat_scores = st.lists(st.integers(1, 5), max_size=50)
nps_scores = st.lists(st.integers(0, 10), max_size=50)
answers = st.lists(
    st.tuples(
        st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        st.fixed_dictionaries({name: st.integers(1, 5) for name in sat.DIMENSIONS}),
        st.integers(0, 10),
    ),
    max_size=30,
)


@given(csat_scores)
def test_csat_mean_lies_between_the_lowest_and_highest_score(scores):
    mean = sat.csat_mean(scores)
    if not scores:
        assert mean is None
    else:
        assert min(scores) <= mean <= max(scores)


@given(csat_scores)
def test_csat_share_counts_the_fours_and_fives(scores):
    share = sat.csat_share(scores)
    if not scores:
        assert share is None
    else:
        assert 0 <= share <= 100
        assert share * len(scores) == pytest.approx(
            100 * len([s for s in scores if s >= 4])
        )


@given(nps_scores)
def test_nps_is_promoters_minus_detractors_in_percent(scores):
    value = sat.nps(scores)
    if not scores:
        assert value is None
        return
    assert -100 <= value <= 100
    promoters = len([s for s in scores if s >= 9])
    detractors = len([s for s in scores if s <= 6])
    assert value == pytest.approx(100 * (promoters - detractors) / len(scores))


@given(nps_scores)
def test_adding_a_promoter_never_lowers_the_nps(scores):
    before = sat.nps(scores)
    after = sat.nps([*scores, 10])
    assert before is None or after >= before


def test_nps_of_known_answers():
    assert sat.nps([10, 9, 8, 7, 6]) == pytest.approx(20.0)
    assert sat.nps([0]) == -100
    assert [sat.nps_group(s) for s in (6, 7, 8, 9)] == [
        "detractor",
        "passive",
        "passive",
        "promoter",
    ]


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_a_csat_score_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match="out of range"):
        sat.csat_mean([3, bad])


def test_an_nps_score_out_of_range_is_refused():
    with pytest.raises(ValueError, match="out of range"):
        sat.nps([11])


@given(
    st.fixed_dictionaries({name: st.integers(1, 5) for name in sat.DIMENSIONS}),
    st.integers(0, 10),
)
def test_follow_up_is_needed_exactly_for_a_low_dimension_or_a_detractor(scores, nps):
    expected = min(scores.values()) <= 2 or nps <= 6
    assert sat.needs_follow_up(scores, nps) is expected
    reasons = sat.follow_up_reasons(scores, nps)
    assert bool(reasons) is expected
    assert all(score <= 2 for name, score in reasons if name != "nps")


def test_follow_up_reasons_name_the_dimensions_then_nps():
    scores = dict.fromkeys(sat.DIMENSIONS, 4) | {"schedule": 2, "quality": 1}
    assert sat.follow_up_reasons(scores, 5) == [
        ("quality", 1),
        ("schedule", 2),
        ("nps", 5),
    ]


@given(answers, st.sampled_from(["month", "quarter", "year"]))
def test_the_trend_counts_every_answer_once_in_period_order(rows, period):
    result = sat.trend(rows, period)
    assert sum(p.figures.count for p in result) == len(rows)
    keys = [p.period for p in result]
    assert keys == sorted(set(keys))


def test_trend_by_month_and_quarter():
    high = dict.fromkeys(sat.DIMENSIONS, 5)
    low = dict.fromkeys(sat.DIMENSIONS, 1)
    rows = [
        (date(2026, 10, 9), high, 10),
        (date(2026, 11, 2), low, 0),
        (date(2026, 11, 30), high, 9),
    ]
    months = sat.trend(rows)
    assert [m.period for m in months] == ["2026-10", "2026-11"]
    assert months[1].figures.csat == 3
    assert months[1].figures.nps == 0
    assert [q.period for q in sat.trend(rows, "quarter")] == ["2026-Q4"]
    with pytest.raises(ValueError, match="unknown period"):
        sat.period_of(date(2026, 1, 1), "week")


def test_figures_by_dimension_skip_missing_scores():
    result = sat.figures([({"quality": 4, "value": None}, None), ({"quality": 2}, 9)])
    assert result.count == 2
    assert result.csat_by_dimension["quality"] == 3
    assert result.csat_by_dimension["value"] is None
    assert result.csat_share == 50
    assert (result.promoters, result.passives, result.detractors) == (1, 0, 0)


def test_the_module_loads_no_django():
    import subprocess
    import sys

    code = (
        "import sys, clientfolio.reports.satisfaction; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


survey_answers = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.dates(date(2026, 1, 1), date(2026, 12, 31)),
        st.integers(1, 5).map(float),
    ),
    max_size=20,
)


@given(survey_answers)
def test_a_fall_compares_the_latest_survey_with_every_earlier_answer(rows):
    fall = sat.satisfaction_fall(rows)
    if len({key for key, _day, _csat in rows}) < 2:
        assert fall is None
        return
    assert fall.latest_answers + fall.earlier_answers == len(rows)
    assert 1 <= fall.latest <= 5
    assert 1 <= fall.earlier <= 5
    assert fall.points == round(fall.earlier - fall.latest, 1)


def test_the_latest_survey_is_the_one_answered_last():
    rows = [
        ("spring", date(2026, 3, 1), 5.0),
        ("spring", date(2026, 3, 2), 4.0),
        ("autumn", date(2026, 9, 1), 3.0),
    ]
    fall = sat.satisfaction_fall(rows)
    assert (fall.latest, fall.earlier, fall.points) == (3.0, 4.5, 1.5)
    assert (fall.latest_answers, fall.earlier_answers) == (1, 2)
