"""A project template's content: its schema, its validation and the plan it turns into.

Pure Python (no Django): a template is a JSON document (``SCHEMA_VERSION`` 1) of this shape::

    {"schema": 1,
     "tasks": [{"ref": "t1", "parent": null, "name": {"zh": "需求调研", "en": "Discovery"},
                "duration": 5, "milestone": false, "acceptance": {...},
                "client_visible": true, "description": {...}}, ...],
     "links": [{"from": "t1", "to": "t2", "type": "FS", "lag": 0}, ...],
     "folders": [{"ref": "f1", "parent": null, "name": {...}}, ...],
     "risks": [{"title": {...}, "description": {...}, "category": "technical",
                "probability": 3, "impact": 4, "strategy": "mitigate",
                "response": {...}, "contingency": {...}, "trigger": {...}}, ...],
     "standards": [{"category": "technical", "title": {...}, "description": {...},
                    "target": {...}}, ...],
     "deliverables": [{"name": {...}, "description": {...}, "acceptance": {...},
                       "milestone": "t9"}, ...],
     "roles": [{"role": "member", "name": {...}, "responsibilities": {...}}, ...]}

Every text is a ``{"zh": …, "en": …}`` pair with at least one of the two filled (a
template saved from a project has the saver's language only); ``text`` picks one. Tasks
are listed in tree order (a parent before its children), durations are working days, a
milestone has duration 0, and links join leaf tasks only (the schedule engine refuses
links to summary tasks). ``validate`` checks all of it and raises ``StructureError`` with
a code the caller translates; ``plan`` lays the tree out for creation (WBS codes,
positions) and ``first_working_day`` says where a plan starting on a holiday begins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clientfolio.schedule.engine import Calendar

__all__ = [
    "LANGUAGES",
    "LIMITS",
    "SCHEMA_VERSION",
    "PlannedTask",
    "Structure",
    "StructureError",
    "first_working_day",
    "plan",
    "text",
    "validate",
]

SCHEMA_VERSION = 1
LANGUAGES = ("zh", "en")
LINK_TYPES = ("FS", "SS", "FF", "SF")
RISK_CATEGORIES = (
    "technical",
    "resource",
    "schedule",
    "cost",
    "external",
    "market",
    "management",
    "client",
)
RISK_STRATEGIES = ("avoid", "mitigate", "transfer", "accept")
STANDARD_CATEGORIES = ("technical", "management", "service")
PROJECT_ROLES = ("manager", "member", "viewer", "finance")
SECTIONS = (
    "tasks",
    "links",
    "folders",
    "risks",
    "standards",
    "deliverables",
    "roles",
)
# Upper bounds that keep one template (and one instantiation) reasonable.
LIMITS = {
    "tasks": 5000,
    "links": 10000,
    "folders": 500,
    "risks": 500,
    "standards": 500,
    "deliverables": 500,
    "roles": 100,
    "duration": 5000,
    "lag": 1000,
    "name": 300,
    "long_text": 10000,
    "depth": 20,
}


class StructureError(ValueError):
    """The document does not follow the schema. ``code`` names the rule broken
    (``"cycle"``, ``"unknown_ref"``, …), ``path`` where (``"tasks[3].duration"``), and
    ``params`` the values a message needs (``cycle``: the refs around the loop)."""

    def __init__(self, code: str, path: str = "", **params: Any) -> None:
        super().__init__(f"{code} at {path or 'document'}: {params}")
        self.code = code
        self.path = path
        self.params = params


@dataclass(frozen=True)
class Structure:
    """A validated template: the document, normalised (every optional key present)."""

    tasks: tuple[dict[str, Any], ...]
    links: tuple[dict[str, Any], ...]
    folders: tuple[dict[str, Any], ...]
    risks: tuple[dict[str, Any], ...]
    standards: tuple[dict[str, Any], ...]
    deliverables: tuple[dict[str, Any], ...]
    roles: tuple[dict[str, Any], ...]
    summaries: frozenset[str] = field(default_factory=frozenset)

    def as_document(self) -> dict[str, Any]:
        """The normalised JSON document (what is stored)."""
        return {
            "schema": SCHEMA_VERSION,
            **{name: [dict(item) for item in getattr(self, name)] for name in SECTIONS},
        }

    @property
    def milestones(self) -> tuple[dict[str, Any], ...]:
        return tuple(t for t in self.tasks if t["milestone"])

    @property
    def leaf_days(self) -> int:
        return sum(t["duration"] for t in self.tasks if t["ref"] not in self.summaries)


def text(value: Mapping[str, str] | None, language: str) -> str:
    """The text in ``language`` ("zh…" or "en…"), else in the other language, else ""."""
    if not value:
        return ""
    first = "zh" if language.lower().startswith("zh") else "en"
    other = "en" if first == "zh" else "zh"
    return value.get(first) or value.get(other) or ""


# --- validation ----------------------------------------------------------------------------


def _texts(value: Any, path: str, *, required: bool, limit: int) -> dict[str, str]:
    if value is None or value == "":
        value = {}
    if isinstance(value, str):
        value = {"zh": value, "en": value}
    if not isinstance(value, dict) or not set(value) <= set(LANGUAGES):
        raise StructureError("bad_text", path)
    cleaned: dict[str, str] = {}
    for language in LANGUAGES:
        item = value.get(language, "")
        if not isinstance(item, str):
            raise StructureError("bad_text", f"{path}.{language}")
        item = item.strip()
        if len(item) > limit:
            raise StructureError("too_long", f"{path}.{language}", limit=limit)
        if item:
            cleaned[language] = item
    if required and not cleaned:
        raise StructureError("required", path)
    return cleaned


def _integer(value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StructureError("not_integer", path)
    if not low <= value <= high:
        raise StructureError("out_of_range", path, low=low, high=high)
    return value


def _choice(value: Any, path: str, choices: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value not in choices:
        raise StructureError("bad_choice", path, choices=", ".join(choices))
    return str(value)


def _flag(value: Any, path: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise StructureError("not_boolean", path)
    return value


def _ref(value: Any, path: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        raise StructureError("bad_ref", path)
    return value.strip()


def _items(document: Mapping[str, Any], name: str) -> list[Any]:
    items = document.get(name, [])
    if items is None:
        return []
    if not isinstance(items, list):
        raise StructureError("not_list", name)
    if len(items) > LIMITS[name]:
        raise StructureError("too_many", name, limit=LIMITS[name])
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise StructureError("not_object", f"{name}[{index}]")
    return items


def _tree(
    items: list[Any], name: str, make: Any
) -> tuple[list[dict[str, Any]], set[str]]:
    """Nodes with ``ref`` and ``parent`` in tree order; returns them and the refs that
    are parents."""
    nodes: list[dict[str, Any]] = []
    depth: dict[str, int] = {}
    for index, item in enumerate(items):
        path = f"{name}[{index}]"
        ref = _ref(item.get("ref"), f"{path}.ref")
        if ref in depth:
            raise StructureError("duplicate_ref", f"{path}.ref", ref=ref)
        parent = item.get("parent")
        if parent is not None:
            parent = _ref(parent, f"{path}.parent")
            if parent not in depth:
                # Unknown, or listed after its child: either way not a tree in order.
                raise StructureError("unknown_parent", f"{path}.parent", ref=parent)
        depth[ref] = 1 if parent is None else depth[parent] + 1
        if depth[ref] > LIMITS["depth"]:
            raise StructureError("too_deep", path, limit=LIMITS["depth"])
        nodes.append({"ref": ref, "parent": parent, **make(item, path)})
    parents = {n["parent"] for n in nodes if n["parent"] is not None}
    return nodes, parents


def _task(item: Mapping[str, Any], path: str) -> dict[str, Any]:
    milestone = _flag(item.get("milestone"), f"{path}.milestone", False)
    duration = _integer(
        item.get("duration", 0 if milestone else 1),
        f"{path}.duration",
        0,
        LIMITS["duration"],
    )
    if milestone and duration:
        raise StructureError("milestone_duration", f"{path}.duration")
    return {
        "name": _texts(
            item.get("name"), f"{path}.name", required=True, limit=LIMITS["name"]
        ),
        "duration": 0 if milestone else duration,
        "milestone": milestone,
        "acceptance": _texts(
            item.get("acceptance"),
            f"{path}.acceptance",
            required=False,
            limit=LIMITS["long_text"],
        ),
        "client_visible": _flag(
            item.get("client_visible"), f"{path}.client_visible", True
        ),
        "description": _texts(
            item.get("description"),
            f"{path}.description",
            required=False,
            limit=LIMITS["long_text"],
        ),
    }


def _folder(item: Mapping[str, Any], path: str) -> dict[str, Any]:
    return {"name": _texts(item.get("name"), f"{path}.name", required=True, limit=100)}


def _long(item: Mapping[str, Any], key: str, path: str) -> dict[str, str]:
    return _texts(
        item.get(key), f"{path}.{key}", required=False, limit=LIMITS["long_text"]
    )


def _risk(item: Mapping[str, Any], path: str) -> dict[str, Any]:
    return {
        "title": _texts(item.get("title"), f"{path}.title", required=True, limit=200),
        "description": _long(item, "description", path),
        "category": _choice(
            item.get("category"), f"{path}.category", RISK_CATEGORIES, "technical"
        ),
        "probability": _integer(
            item.get("probability", 3), f"{path}.probability", 1, 5
        ),
        "impact": _integer(item.get("impact", 3), f"{path}.impact", 1, 5),
        "strategy": _choice(
            item.get("strategy"), f"{path}.strategy", RISK_STRATEGIES, "mitigate"
        ),
        "response": _long(item, "response", path),
        "contingency": _long(item, "contingency", path),
        "trigger": _texts(
            item.get("trigger"), f"{path}.trigger", required=False, limit=500
        ),
    }


def _standard(item: Mapping[str, Any], path: str) -> dict[str, Any]:
    return {
        "category": _choice(
            item.get("category"), f"{path}.category", STANDARD_CATEGORIES, "technical"
        ),
        "title": _texts(item.get("title"), f"{path}.title", required=True, limit=200),
        "description": _texts(
            item.get("description"), f"{path}.description", required=False, limit=5000
        ),
        "target": _texts(
            item.get("target"), f"{path}.target", required=False, limit=200
        ),
    }


def _role(item: Mapping[str, Any], path: str) -> dict[str, Any]:
    return {
        "role": _choice(item.get("role"), f"{path}.role", PROJECT_ROLES, "member"),
        "name": _texts(item.get("name"), f"{path}.name", required=True, limit=100),
        "responsibilities": _texts(
            item.get("responsibilities"),
            f"{path}.responsibilities",
            required=False,
            limit=2000,
        ),
    }


def _find_cycle(refs: list[str], links: list[dict[str, Any]]) -> list[str] | None:
    """A loop of refs (first repeated at the end) if the links make one, else None."""
    successors: dict[str, list[str]] = {ref: [] for ref in refs}
    for link in links:
        successors[link["from"]].append(link["to"])
    state: dict[str, int] = dict.fromkeys(refs, 0)  # 0 new, 1 on the path, 2 done
    for root in refs:
        if state[root]:
            continue
        path = [root]
        stack = [iter(successors[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                state[path.pop()] = 2
                continue
            if state[nxt] == 1:
                return path[path.index(nxt) :] + [nxt]
            if state[nxt] == 0:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(successors[nxt]))
    return None


def validate(document: Any) -> Structure:
    """Check ``document`` against the schema and return it normalised.

    Raises ``StructureError``: a wrong type or value, a duplicate or unknown ref, a
    parent listed after its child, a link to a summary task or to itself, a duplicate
    link, or links that form a cycle (``code="cycle"``, ``params["cycle"]`` the refs).
    """
    if not isinstance(document, dict):
        raise StructureError("not_object")
    schema = document.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise StructureError("bad_schema", "schema", expected=SCHEMA_VERSION)
    unknown = set(document) - {"schema", *SECTIONS}
    if unknown:
        raise StructureError("unknown_key", sorted(unknown)[0])
    tasks, summaries = _tree(_items(document, "tasks"), "tasks", _task)
    for task in tasks:
        if task["ref"] in summaries and task["milestone"]:
            raise StructureError("summary_milestone", "tasks", ref=task["ref"])
    by_ref = {t["ref"]: t for t in tasks}
    links: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(_items(document, "links")):
        path = f"links[{index}]"
        ends = []
        for key in ("from", "to"):
            ref = _ref(item.get(key), f"{path}.{key}")
            if ref not in by_ref:
                raise StructureError("unknown_ref", f"{path}.{key}", ref=ref)
            if ref in summaries:
                raise StructureError("summary_link", f"{path}.{key}", ref=ref)
            ends.append(ref)
        if ends[0] == ends[1]:
            raise StructureError("self_link", path, ref=ends[0])
        if (ends[0], ends[1]) in seen:
            raise StructureError("duplicate_link", path, ref=ends[0], to=ends[1])
        seen.add((ends[0], ends[1]))
        links.append(
            {
                "from": ends[0],
                "to": ends[1],
                "type": _choice(item.get("type"), f"{path}.type", LINK_TYPES, "FS"),
                "lag": _integer(
                    item.get("lag", 0), f"{path}.lag", -LIMITS["lag"], LIMITS["lag"]
                ),
            }
        )
    cycle = _find_cycle([t["ref"] for t in tasks], links)
    if cycle:
        names = {ref: by_ref[ref]["name"] for ref in cycle}
        raise StructureError("cycle", "links", cycle=cycle, names=names)
    folders, _parents = _tree(_items(document, "folders"), "folders", _folder)
    risks = [
        _risk(item, f"risks[{i}]") for i, item in enumerate(_items(document, "risks"))
    ]
    standards = [
        _standard(item, f"standards[{i}]")
        for i, item in enumerate(_items(document, "standards"))
    ]
    deliverables = []
    for index, item in enumerate(_items(document, "deliverables")):
        path = f"deliverables[{index}]"
        milestone = item.get("milestone")
        if milestone is not None:
            milestone = _ref(milestone, f"{path}.milestone")
            if milestone not in by_ref or not by_ref[milestone]["milestone"]:
                raise StructureError(
                    "not_milestone", f"{path}.milestone", ref=milestone
                )
        deliverables.append(
            {
                "name": _texts(
                    item.get("name"), f"{path}.name", required=True, limit=200
                ),
                "description": _long(item, "description", path),
                "acceptance": _long(item, "acceptance", path),
                "milestone": milestone,
            }
        )
    roles = [
        _role(item, f"roles[{i}]") for i, item in enumerate(_items(document, "roles"))
    ]
    return Structure(
        tasks=tuple(tasks),
        links=tuple(links),
        folders=tuple(folders),
        risks=tuple(risks),
        standards=tuple(standards),
        deliverables=tuple(deliverables),
        roles=tuple(roles),
        summaries=frozenset(summaries),
    )


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedTask:
    """One task to create: its ref, its parent's ref, its position among its siblings
    (from 1) and its WBS code ("2.3")."""

    ref: str
    parent: str | None
    position: int
    wbs: str
    name: str
    duration: int
    is_milestone: bool
    is_summary: bool


def plan(structure: Structure, language: str) -> list[PlannedTask]:
    """The tasks to create, in tree order, named in ``language`` (the other language
    where a name has only that one), with positions and WBS codes as
    ``schedule.services.renumber`` would give them."""
    counters: dict[str | None, int] = {}
    codes: dict[str, str] = {}
    planned = []
    for task in structure.tasks:
        parent = task["parent"]
        counters[parent] = counters.get(parent, 0) + 1
        position = counters[parent]
        code = str(position) if parent is None else f"{codes[parent]}.{position}"
        codes[task["ref"]] = code
        planned.append(
            PlannedTask(
                ref=task["ref"],
                parent=parent,
                position=position,
                wbs=code,
                name=text(task["name"], language),
                duration=task["duration"],
                is_milestone=task["milestone"],
                is_summary=task["ref"] in structure.summaries,
            )
        )
    return planned


def first_working_day(calendar: Calendar, start: date) -> date:
    """The day a plan asked to start on ``start`` begins: ``start`` itself on a working
    day, else the next working day of ``calendar`` (a holiday, a weekend that is not a
    make-up workday)."""
    return calendar.next_workday(start)
