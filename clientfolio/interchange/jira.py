"""A Jira CSV export (Filters → Export → CSV, all or current fields) to a ``plan.Plan``.

What a Jira user expects in a plan is Jira's own hierarchy, as its Timeline shows it:
epics with their issues, issues with their sub-tasks. So the tree comes from the
parents (``Parent`` / ``Parent id`` / ``Parent key``, the older ``Custom field (Epic
Link)``, and a ``Sub-tasks`` column of the parent); the status (by its ``Status
Category`` when exported, else by its name) becomes the task's status; sprints,
components, labels and story points are written into the task's description, each
noted in the report. Issue links of type Blocks (``Outward issue link (Blocks)`` = this
issue blocks that one, ``Inward issue link (Blocks)`` = it is blocked by that one)
become finish-to-start links; other link types are dropped, noted.

``Original estimate`` (seconds in an export, or ``1w 2d 4h``) becomes the duration at
Jira's default 8 hours a day and 5 days a week; ``Due date`` "finish no later than";
``Custom field (Start date)`` "start no earlier than". Dates are read as Jira writes
them in English or Chinese (``04/Dec/26 10:15 AM``, ``04/十二月/26 10:15 上午``) and
in ISO form. Each ``Comment`` column (``date;author;text``) goes into the description
with its date and author. The assignee is matched to a user by e-mail when the export
has one (an ``Assignee email`` column, or an address as the assignee), else by user
name (Jira Server exports user names); a person not matched is reported.

Headers are matched in English (including Jira Cloud's newer "Work item" wording) and
in Chinese; a column not used is listed in the report as not imported. The first
``Project name`` names the plan (the new project's name, which the user may change).
Pure Python.
"""

from __future__ import annotations

import re

from clientfolio.interchange import plan as p
from clientfolio.interchange.table import (
    Table,
    non_empty,
    parse_date,
    parse_datetime,
    split_list,
)
from clientfolio.interchange.tracker import Item, build

__all__ = ["COLUMNS", "NoSummary", "looks_like", "read"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "概要", "摘要", "主题"),
    "key": ("issue key", "work item key", "key", "问题关键字", "关键字", "事务关键字"),
    "id": ("issue id", "work item id", "问题id", "问题 id", "事务id"),
    "type": ("issue type", "work type", "work item type", "问题类型", "事务类型"),
    "status": ("status", "状态"),
    "status_category": ("status category", "状态类别"),
    "resolution": ("resolution", "解决结果"),
    "description": ("description", "描述"),
    "due": ("due date", "due", "到期日", "到期日期"),
    "start": ("custom field (start date)", "start date", "开始日期"),
    "assignee": ("assignee", "经办人"),
    "assignee_email": (
        "assignee email",
        "assignee e-mail",
        "assignee email address",
        "经办人邮箱",
        "经办人电子邮件",
    ),
    "estimate": ("original estimate", "初始预估", "原始预估"),
    # In order of preference: a key names the parent better than an id.
    "parent": (
        "parent key",
        "parent",
        "parent id",
        "custom field (parent link)",
        "custom field (epic link)",
        "父级",
        "父项",
        "父任务",
    ),
    "subtasks": ("sub-tasks", "子任务"),
    "blocks": ("outward issue link (blocks)",),
    "blocked_by": ("inward issue link (blocks)",),
    "comment": ("comment", "comments", "注释", "评论", "备注"),
    "labels": ("labels", "标签"),
    "sprint": ("sprint", "custom field (sprint)", "冲刺"),
    "components": ("component/s", "components", "模块", "组件"),
    "priority": ("priority", "优先级"),
    "project": ("project name", "项目名称"),
    "points": (
        "custom field (story points)",
        "custom field (story point estimate)",
        "story points",
        "故事点",
    ),
}
_OTHER_LINK = re.compile(r"^(inward|outward) issue link \((?P<kind>.+)\)$", re.I)

DONE = {"done", "closed", "resolved", "complete", "completed", "完成", "已完成"}
DONE |= {"关闭", "已关闭", "已解决", "结束"}
IN_PROGRESS = {"in progress", "in review", "in development", "review", "testing"}
IN_PROGRESS |= {"进行中", "处理中", "开发中", "测试中", "审核中"}
BLOCKED = {"blocked", "on hold", "阻塞", "受阻", "已阻塞", "挂起"}
PRIORITIES = {
    "highest": "critical",
    "blocker": "critical",
    "critical": "critical",
    "最高": "critical",
    "紧急": "critical",
    "high": "high",
    "major": "high",
    "高": "high",
    "medium": "medium",
    "中": "medium",
    "low": "low",
    "lowest": "low",
    "minor": "low",
    "trivial": "low",
    "低": "low",
    "最低": "low",
}
MILESTONE_TYPES = {"milestone", "里程碑"}
HOURS_PER_DAY = 8
DAYS_PER_WEEK = 5
_SPAN = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|周|天|小时|分钟?)", re.I)


class NoSummary(ValueError):
    """A Jira export without its Summary column: nothing can be named."""


def looks_like(table: Table) -> bool:
    """Whether ``table`` is a Jira export: it has an issue key or id column, or two of
    the columns only Jira writes."""
    if table.has(*COLUMNS["key"][:2], *COLUMNS["id"][:2], "问题关键字"):
        return True
    folded = table.folded_header()
    marks = sum(
        (
            "issue type" in folded or "work type" in folded,
            "status category" in folded,
            any(h.startswith("custom field (") for h in folded),
            any(_OTHER_LINK.match(h) for h in folded),
            "sprint" in folded,
        )
    )
    return marks >= 2


def _estimate(text: str, item: Item, report: p.Report) -> int | None:
    """Working days of an original estimate: seconds, or ``1w 2d 4h``."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        hours = float(text) / 3600
    else:
        parts = _SPAN.findall(text)
        if not parts:
            report.problem("duration_unreadable", item.element, value=text[:40])
            return None
        hours = 0.0
        for number, unit in parts:
            unit = unit.lower()
            value = float(number)
            if unit in ("w", "周"):
                hours += value * HOURS_PER_DAY * DAYS_PER_WEEK
            elif unit in ("d", "天"):
                hours += value * HOURS_PER_DAY
            elif unit in ("h", "小时"):
                hours += value
            else:
                hours += value / 60
    days = hours / HOURS_PER_DAY
    whole = max(1, int(days + 0.5)) if days > 0 else 0
    if days != whole:
        report.approximated(
            "duration",
            item.element,
            "estimate_rounded",
            hours=f"{hours:g}",
            days=whole,
        )
    else:
        report.mapped("duration")
    return whole


def _comment(text: str) -> str:
    """``04/Dec/26 10:15 AM;712020:abcd;Text`` as ``2026-12-04 10:15 712020:abcd: Text``."""
    parts = text.split(";", 2)
    if len(parts) == 3:
        when = parse_datetime(parts[0])
        if when is not None:
            return f"{when:%Y-%m-%d %H:%M} {parts[1].strip()}: {parts[2].strip()}"
    return text


def _status(category: str, status: str, resolution: str) -> str:
    for word in (category.casefold(), status.casefold()):
        if word in DONE or word == "done":
            return "done"
        if word in BLOCKED:
            return "blocked"
        if word in IN_PROGRESS:
            return "in_progress"
        if word in ("to do", "todo", "open", "backlog", "待办", "待处理", "打开"):
            return "todo"
    if resolution and resolution.casefold() not in ("unresolved", "未解决"):
        return "done"
    return "todo" if status or category else ""


def read(table: Table) -> tuple[p.Plan, p.Report]:
    """The plan of a Jira export read as ``table`` and the report. Raises
    ``NoSummary`` when there is no Summary column."""
    cols = {key: table.columns(*names) for key, names in COLUMNS.items()}
    if not cols["summary"]:
        raise NoSummary("no summary column")
    # Each field reads its first column; the repeated ones (comments, sprints, labels,
    # components, links, sub-tasks) read them all.
    used = {i for indexes in cols.values() for i in indexes}
    report = p.Report()
    other_links = {
        i: match["kind"]
        for i, label in enumerate(table.header)
        if (match := _OTHER_LINK.match(" ".join(label.split()))) and i not in used
    }
    used |= set(other_links)
    unused = [label for i, label in enumerate(table.header) if i not in used]
    if unused:
        report.dropped_many(
            "column",
            len(unused),
            "row 1",
            "columns_not_imported",
            columns=", ".join(label or "—" for label in unused)[:600],
        )
    parent_order = [table.columns(name) for name in COLUMNS["parent"]]
    items: list[Item] = []
    child_refs: dict[str, str] = {}
    for number, cells in table.rows:

        def first(key: str, cells: list[str] = cells) -> str:
            indexes = cols[key]
            return cells[indexes[0]] if indexes else ""

        def every(key: str, cells: list[str] = cells) -> list[str]:
            return non_empty(cells[i] for i in cols[key])

        key = first("key") or first("id") or f"row{number}"
        element = f"row {number} · {key}" if first("key") else f"row {number}"
        item = Item(
            key=key,
            name=first("summary"),
            element=element,
            aliases=tuple(non_empty([first("id")])),
        )
        for indexes in parent_order:
            values = non_empty(cells[i] for i in indexes)
            if values:
                item.parent = values[0]
                break
        for value in every("subtasks"):
            for child in split_list(value):
                child_refs.setdefault(child, key)
        item.status = _status(
            first("status_category"), first("status"), first("resolution")
        )
        item.milestone = first("type").casefold() in MILESTONE_TYPES
        priority = first("priority").casefold()
        if priority:
            if priority in PRIORITIES:
                item.priority = PRIORITIES[priority]
                report.mapped("priority")
            else:
                report.approximated(
                    "priority", element, "priority_unknown", value=priority[:40]
                )
        for field_name, target in (("due", "due"), ("start", "start")):
            text = first(field_name)
            if not text:
                continue
            day = parse_date(text)
            if day is None:
                label = table.header[cols[field_name][0]]
                report.problem(
                    "date_unreadable", element, field=label[:60], value=text[:40]
                )
            setattr(item, target, day)
        item.duration = _estimate(first("estimate"), item, report)
        person, email = first("assignee"), first("assignee_email")
        if not email and "@" in person:
            email = person
        if person or email:
            item.person = (person, email)
        for value in every("blocks"):
            item.before.extend(split_list(value))
        for value in every("blocked_by"):
            item.after.extend(split_list(value))
        for index, kind in other_links.items():
            if cells[index]:
                report.dropped("link", element, "link_type_dropped", kind=kind[:40])
        notes = [first("description")]
        facts = []
        sprints = every("sprint")
        if sprints:
            facts.append(f"Sprint: {', '.join(sprints)}")
            report.approximated("sprint", element, "kept_in_description")
        components = every("components")
        if components:
            facts.append(f"Components: {', '.join(components)}")
            report.approximated("components", element, "kept_in_description")
        labels = [label for value in every("labels") for label in split_list(value)]
        if labels:
            facts.append(f"Labels: {', '.join(labels)}")
            report.approximated("tags", element, "kept_in_description")
        points = first("points")
        if points:
            facts.append(f"Story points: {points}")
            report.approximated("points", element, "kept_in_description")
        if facts:
            notes.append("\n".join(facts))
        comments = [_comment(value) for value in every("comment")]
        if comments:
            notes.append("\n".join(comments))
            report.mapped("comments", len(comments))
        item.notes = "\n\n".join(part for part in notes if part)
        items.append(item)
    by_key = {item.key: item for item in items}
    by_id = {alias: item for item in items for alias in item.aliases}
    for child, parent_key in child_refs.items():
        found = by_key.get(child) or by_id.get(child)
        if found is not None and not found.parent:
            found.parent = parent_key
    projects = non_empty(cells[i] for _n, cells in table.rows for i in cols["project"])
    plan = build(items, report, name=projects[0] if projects else "")
    return plan, report
