"""The pure quality rules: a review's overall result, deliverable status changes, a
milestone reached through its deliverables, and finishing an improvement action."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.quality import rules

RESULTS = st.sampled_from([rules.PASS, rules.FAIL, rules.NA])
STATUSES = [
    rules.PLANNED,
    rules.IN_PROGRESS,
    rules.SUBMITTED,
    rules.ACCEPTED,
    rules.REJECTED,
]


@given(st.lists(RESULTS))
def test_a_review_fails_exactly_when_an_item_fails(results):
    # given any checklist, when the overall result is computed
    overall = rules.overall_result(results)
    # then it fails iff some item failed, passes iff some passed and none failed
    assert (overall == rules.FAILED) == (rules.FAIL in results)
    assert (overall == rules.PASSED) == (
        rules.PASS in results and rules.FAIL not in results
    )
    assert (overall == rules.NOT_ASSESSED) == (set(results) <= {rules.NA})


@given(st.lists(RESULTS), st.randoms())
def test_the_order_of_the_checklist_does_not_matter(results, random):
    shuffled = list(results)
    random.shuffle(shuffled)
    assert rules.overall_result(shuffled) == rules.overall_result(results)


def test_an_unknown_item_result_is_refused():
    with pytest.raises(ValueError, match="unknown item results"):
        rules.overall_result(["pass", "maybe"])


@given(st.sampled_from(STATUSES))
def test_nobody_sets_accepted_by_hand(status):
    assert rules.ACCEPTED not in rules.manual_targets(status)
    assert status not in rules.manual_targets(status)


def test_an_accepted_deliverable_only_moves_through_the_client():
    assert rules.manual_targets(rules.ACCEPTED) == frozenset()
    assert rules.status_after_decision(rules.REJECTED) == rules.IN_PROGRESS
    assert rules.status_after_decision(rules.ACCEPTED) == rules.ACCEPTED
    with pytest.raises(ValueError, match="unknown decision"):
        rules.status_after_decision("maybe")


@given(st.lists(st.sampled_from(STATUSES)))
def test_a_milestone_is_reached_when_all_its_deliverables_are_accepted(statuses):
    reached = rules.milestone_accepted(statuses)
    assert reached == (bool(statuses) and set(statuses) == {rules.ACCEPTED})


@given(st.sampled_from(["plan", "do", "check", "act"]), st.text(max_size=20))
def test_only_the_last_step_needs_an_evaluation(status, evaluation):
    problem = rules.action_problem(status, evaluation)
    assert (problem is not None) == (status == rules.ACT and not evaluation.strip())
