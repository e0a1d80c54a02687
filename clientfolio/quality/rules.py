"""Pure rules of quality and acceptance: a review's overall result from its checklist,
which status changes a deliverable may take by hand, what a client's decision does to it,
when a milestone counts as accepted, and whether an improvement action may be closed.

Standard library only, so the rules run and are tested without Django."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ACCEPTED",
    "ACT",
    "FAIL",
    "FAILED",
    "IN_PROGRESS",
    "NA",
    "NOT_ASSESSED",
    "PASS",
    "PASSED",
    "PLANNED",
    "REJECTED",
    "SUBMITTED",
    "action_problem",
    "manual_targets",
    "milestone_accepted",
    "overall_result",
    "status_after_decision",
]

# Results of a checklist item, and overall results of a review.
PASS, FAIL, NA = "pass", "fail", "na"
PASSED, FAILED, NOT_ASSESSED = "passed", "failed", "not_assessed"

# Deliverable statuses.
PLANNED, IN_PROGRESS, SUBMITTED = "planned", "in_progress", "submitted"
ACCEPTED, REJECTED = "accepted", "rejected"

# The last PDCA step of an improvement action.
ACT = "act"

# Status changes an editor may make by hand; "accepted" only comes from a client's decision.
_MANUAL: dict[str, frozenset[str]] = {
    PLANNED: frozenset({IN_PROGRESS, SUBMITTED}),
    IN_PROGRESS: frozenset({PLANNED, SUBMITTED}),
    SUBMITTED: frozenset({IN_PROGRESS, REJECTED}),
    REJECTED: frozenset({IN_PROGRESS}),
    ACCEPTED: frozenset(),
}


def overall_result(results: Iterable[str]) -> str:
    """A review fails if any item failed, passes if at least one item passed and none
    failed, and is not assessed when every item is not applicable (or there are none).

    >>> overall_result(["pass", "na"]), overall_result(["pass", "fail"]), overall_result([])
    ('passed', 'failed', 'not_assessed')
    """
    seen = set(results)
    unknown = seen - {PASS, FAIL, NA}
    if unknown:
        raise ValueError(f"unknown item results: {sorted(unknown)}")
    if FAIL in seen:
        return FAILED
    if PASS in seen:
        return PASSED
    return NOT_ASSESSED


def manual_targets(current: str) -> frozenset[str]:
    """The statuses a deliverable in ``current`` may be moved to by hand (besides staying)."""
    return _MANUAL.get(current, frozenset())


def status_after_decision(decision: str) -> str:
    """A client's acceptance makes a deliverable accepted; a rejection reopens the work."""
    if decision == ACCEPTED:
        return ACCEPTED
    if decision == REJECTED:
        return IN_PROGRESS
    raise ValueError(f"unknown decision: {decision!r}")


def milestone_accepted(deliverable_statuses: Iterable[str]) -> bool:
    """A milestone is reached through its deliverables once every one of them is accepted
    (a milestone without deliverables is accepted directly, never through this rule)."""
    statuses = list(deliverable_statuses)
    return bool(statuses) and all(status == ACCEPTED for status in statuses)


def action_problem(status: str, evaluation: str) -> str | None:
    """Why an improvement action cannot have ``status``: the final step needs an
    evaluation of the effect. None when it may."""
    if status == ACT and not evaluation.strip():
        return "evaluation_required"
    return None
