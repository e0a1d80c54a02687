"""The life cycles of project requirements and change requests: which status may follow
which, and which steps are the client's decision.

Pure Python: no Django. Statuses are the plain string values stored in the database
(``ProjectRequirement.Status`` and ``ChangeRequest.Status``); the services in
``change_control`` enforce these tables, and the pages offer only the steps they allow.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "CHANGE_DECIDED",
    "CHANGE_IMPACT_COUNTED",
    "CHANGE_INITIAL",
    "CHANGE_PENDING",
    "CHANGE_TRANSITIONS",
    "REQUIREMENT_INITIAL",
    "REQUIREMENT_TRANSITIONS",
    "is_client_decision",
    "is_decided",
    "is_terminal",
    "next_change_statuses",
    "next_requirement_statuses",
]

# --- requirements ------------------------------------------------------------------------

REQUIREMENT_INITIAL = "collected"

# collected → confirmed → in_scope → delivered; any open step may end in rejected.
REQUIREMENT_TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "collected": ("confirmed", "rejected"),
    "confirmed": ("in_scope", "rejected"),
    "in_scope": ("delivered", "rejected"),
    "delivered": (),
    "rejected": (),
}

# --- change requests ---------------------------------------------------------------------

CHANGE_INITIAL = "submitted"

# The order of each tuple is the order the pages offer the steps in: forward first.
CHANGE_TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "submitted": ("evaluating", "rejected"),
    "evaluating": ("awaiting_client", "rejected"),
    "awaiting_client": ("approved", "rejected"),
    "approved": ("implemented",),
    "rejected": (),
    "implemented": (),
}

# Before these the request may still be edited; from them on it is a record.
CHANGE_PENDING = frozenset({"submitted", "evaluating", "awaiting_client"})
CHANGE_DECIDED = frozenset({"approved", "rejected", "implemented"})

# Changes whose schedule and cost impact count in the change log's totals.
CHANGE_IMPACT_COUNTED = frozenset({"approved", "implemented"})


def next_requirement_statuses(status: str) -> tuple[str, ...]:
    """The statuses a requirement in ``status`` may move to (empty for an unknown status)."""
    return REQUIREMENT_TRANSITIONS.get(status, ())


def next_change_statuses(status: str) -> tuple[str, ...]:
    """The statuses a change request in ``status`` may move to (empty for an unknown one)."""
    return CHANGE_TRANSITIONS.get(status, ())


def is_terminal(status: str) -> bool:
    """Whether a change request in ``status`` can never move again."""
    return not next_change_statuses(status)


def is_decided(status: str) -> bool:
    """Whether the change request has been approved or rejected (or already implemented)."""
    return status in CHANGE_DECIDED


def is_client_decision(from_status: str, to_status: str) -> bool:
    """Whether the step is the client's decision: approving or rejecting a change that
    awaits it. Such a step names the client contact who decided and the date."""
    return from_status == "awaiting_client" and to_status in ("approved", "rejected")
