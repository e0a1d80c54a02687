"""The closure checklist: which conditions of a clean project closure hold.

Pure Python: no Django. The services count the project's records into ``Facts``; this
module decides each item's status. Every item is ``met``, ``not_met`` or
``not_applicable`` (nothing of that kind exists on the project), with ``count``: how many
records still stand in the way (0 unless not met), and ``total``: how many were looked at.

Decisions (documented for the users in the checklist page's help):

- Invoices: unpaid means *issued* or *partly paid*. Void invoices are ignored, and so are
  drafts (never sent to the client, so nothing is owed).
- Change requests: open means not in a final state (submitted, evaluating, awaiting the
  client, or approved but not yet implemented).
- Risks: settled are *closed* risks, and *occurred* risks whose issues (at least one was
  logged) are all resolved or closed. An occurred risk without an issue is not settled:
  what happened was never tracked.
- Issues: open means *open* or *in progress*.
- Documents handed over: met when the handover record lists at least one document and
  every document shared with the client is in it. Not applicable when the project keeps
  no documents at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ITEM_KEYS",
    "MET",
    "NOT_APPLICABLE",
    "NOT_MET",
    "Facts",
    "Item",
    "evaluate",
    "is_ready",
    "unmet",
]

MET, NOT_MET, NOT_APPLICABLE = "met", "not_met", "not_applicable"

ITEM_KEYS = (
    "deliverables",
    "milestones",
    "invoices",
    "change_requests",
    "action_items",
    "risks",
    "issues",
    "documents",
)


@dataclass(frozen=True)
class Facts:
    """What the checklist needs to know about a project, as plain counts."""

    deliverables: int = 0
    deliverables_unaccepted: int = 0
    milestones: int = 0
    milestones_open: int = 0
    invoices: int = 0  # not void, not draft
    invoices_unpaid: int = 0  # issued or partly paid
    change_requests: int = 0
    change_requests_open: int = 0
    action_items: int = 0
    action_items_open: int = 0
    risks: int = 0
    risks_open: int = 0  # identified, analysing, responding, monitoring
    risks_occurred_unsettled: int = 0  # occurred, without issues or with open ones
    issues: int = 0
    issues_open: int = 0
    documents: int = 0  # active documents of the project
    documents_handed_over: int = 0  # listed in the handover record
    documents_shared_not_handed_over: int = 0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative int, got {value!r}")


@dataclass(frozen=True)
class Item:
    """One line of the checklist."""

    key: str
    status: str
    count: int
    total: int

    @property
    def is_met(self) -> bool:
        return self.status != NOT_MET


def _item(key: str, total: int, missing: int) -> Item:
    if total == 0 and missing == 0:
        return Item(key, NOT_APPLICABLE, 0, 0)
    return Item(key, NOT_MET if missing else MET, missing, total)


def _documents(facts: Facts) -> Item:
    if facts.documents == 0 and facts.documents_handed_over == 0:
        return Item("documents", NOT_APPLICABLE, 0, 0)
    total = max(facts.documents, facts.documents_handed_over)
    if facts.documents_shared_not_handed_over:
        missing = facts.documents_shared_not_handed_over
    elif facts.documents_handed_over == 0:
        missing = total  # nothing handed over yet: every document is a candidate
    else:
        missing = 0
    return Item("documents", NOT_MET if missing else MET, missing, total)


def evaluate(facts: Facts) -> list[Item]:
    """The checklist for ``facts``, one item per key of ``ITEM_KEYS``, in that order.

    Invariant: an item is ``not_met`` exactly when its ``count`` is positive, and
    ``not_applicable`` only when nothing of its kind exists.
    """
    return [
        _item("deliverables", facts.deliverables, facts.deliverables_unaccepted),
        _item("milestones", facts.milestones, facts.milestones_open),
        _item("invoices", facts.invoices, facts.invoices_unpaid),
        _item("change_requests", facts.change_requests, facts.change_requests_open),
        _item("action_items", facts.action_items, facts.action_items_open),
        _item("risks", facts.risks, facts.risks_open + facts.risks_occurred_unsettled),
        _item("issues", facts.issues, facts.issues_open),
        _documents(facts),
    ]


def unmet(items: Iterable[Item]) -> list[Item]:
    """The items that are not met, in checklist order."""
    return [item for item in items if item.status == NOT_MET]


def is_ready(items: Iterable[Item]) -> bool:
    """Whether the project may be closed without an override."""
    return not unmet(items)
