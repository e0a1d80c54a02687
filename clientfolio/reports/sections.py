"""What a progress report's client version may show: the sections, the fields that are
internal and the client snapshot cut from the drafted figures.

Pure Python: imports only the standard library. The drafted figures (``progress.draft``)
are a JSON-ready dict with one key per section. The client version holds only the
sections the manager ticked, and never an internal field (hours, cost, budget burn, CPI,
rates, internal notes): ``client_snapshot`` leaves those out of the sections that carry
them, and ``internal_fields`` finds any that would still be there, so publishing can
refuse rather than send them."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CLIENT_DEFAULT",
    "arrange",
    "INTERNAL_FIELDS",
    "INTERNAL_SECTIONS",
    "NARRATIVE",
    "SECTIONS",
    "client_snapshot",
    "internal_fields",
    "internal_snapshot",
]

# In the order the report shows them.
SECTIONS = (
    "progress",
    "tasks",
    "milestones",
    "communication",
    "changes",
    "risks",
    "budget",
    "waiting",
)
# Sections made of internal figures only: a client version never shows them.
INTERNAL_SECTIONS = frozenset({"budget"})
# What a new draft shows the client until the manager changes it.
CLIENT_DEFAULT = ("progress", "tasks", "milestones", "changes", "waiting")
# Keys that must never reach a client, wherever they appear.
INTERNAL_FIELDS = frozenset(
    {
        "budget",
        "hours",
        "hours_in_period",
        "hours_total",
        "cost",
        "cost_in_period",
        "cost_impact",
        "actual_cost",
        "burn_percent",
        "cpi",
        "rate",
        "rates",
        "internal_notes",
    }
)
NARRATIVE = ("summary", "next_steps", "client_notes")


def arrange(order: Any = None) -> list[str]:
    """The sections of a report in a template's ``order``: the known names, each once;
    every section in the usual order when there is no order (or nothing known in it)."""
    if not order:
        return list(SECTIONS)
    chosen = [s for s in dict.fromkeys(order) if s in SECTIONS]
    return chosen or list(SECTIONS)


def _client_progress(progress: dict[str, Any]) -> dict[str, Any]:
    result = {k: v for k, v in progress.items() if k not in INTERNAL_FIELDS}
    result["milestones"] = [
        {k: v for k, v in m.items() if k != "is_client_visible"}
        for m in progress.get("milestones", [])
        if m.get("is_client_visible")
    ]
    return result


def _client_milestones(milestones: dict[str, Any]) -> dict[str, Any]:
    return {
        key: [
            {k: v for k, v in m.items() if k != "is_client_visible"}
            for m in rows
            if m.get("is_client_visible")
        ]
        for key, rows in milestones.items()
    }


def _client_communication(communication: dict[str, Any]) -> dict[str, Any]:
    return {
        "records": [
            {k: v for k, v in r.items() if k != "with_client"}
            for r in communication.get("records", [])
            if r.get("with_client")
        ]
    }


def _client_changes(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        "requests": [
            {k: v for k, v in r.items() if k not in INTERNAL_FIELDS and k != "currency"}
            for r in changes.get("requests", [])
        ]
    }


_CUTS = {
    "progress": _client_progress,
    "milestones": _client_milestones,
    "communication": _client_communication,
    "changes": _client_changes,
}


def client_snapshot(
    data: dict[str, Any], sections: list[str], narrative: dict[str, str]
) -> dict[str, Any]:
    """The client version: the report's heading, the ticked ``sections`` (in the order
    of the report's template, ``data["layout"]``; names outside it ignored) cut to what
    a client may read, and the narrative meant for the client (``NARRATIVE``). An
    internal section that was ticked stays in, so that ``internal_fields`` reports it:
    the caller refuses to publish such a version."""
    chosen = [s for s in arrange(data.get("layout")) if s in set(sections)]
    result: dict[str, Any] = {
        "as_of": data.get("as_of"),
        "period": data.get("period", {}),
        "project": data.get("project", {}),
        "sections": chosen,
        "narrative": {k: narrative.get(k, "") for k in NARRATIVE},
    }
    for section in chosen:
        value = data.get(section, {})
        cut = _CUTS.get(section)
        result[section] = cut(value) if cut else value
    return result


def internal_snapshot(
    data: dict[str, Any], narrative: dict[str, str]
) -> dict[str, Any]:
    """The team's version: every section of the report's template (in its order) and
    the whole narrative, internal notes too."""
    return {
        **data,
        "sections": arrange(data.get("layout")),
        "narrative": {k: narrative.get(k, "") for k in (*NARRATIVE, "internal_notes")},
    }


def internal_fields(snapshot: Any) -> list[str]:
    """The internal keys found anywhere in ``snapshot`` (sorted, each once): empty for a
    version a client may read."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in INTERNAL_FIELDS:
                    found.add(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({k: v for k, v in snapshot.items() if k != "sections"})
    found |= INTERNAL_SECTIONS & set(snapshot.get("sections", []))
    return sorted(found)
