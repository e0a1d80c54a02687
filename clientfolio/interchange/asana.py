"""An Asana CSV export (project menu → Export/Print → CSV) to a ``plan.Plan``.

Each section (``Section/Column``, a board's column) becomes a phase, a summary task
holding its tasks in the file's order, as Trello's lists do; a subtask (``Parent
task``, the parent's name, or ``Parent Task ID`` where exported) sits under its parent.
``Start Date`` becomes "start no earlier than", ``Due Date`` alone "finish no later
than" and both together the duration in working days; a task with ``Completed At``
is done. ``Assignee`` is matched to a user by ``Assignee Email``. ``Notes`` are the
description, with ``Tags`` written under them; ``Blocked By (Dependencies)`` and
``Blocking (Dependencies)`` (task IDs or names) become finish-to-start links. Columns
not used (``Created At``, ``Last Modified``, custom fields) are listed in the report as
not imported; the first of ``Projects`` names the plan. Headers are matched in English and Chinese. Pure Python.
"""

from __future__ import annotations

from clientfolio.interchange import plan as p
from clientfolio.interchange.table import Table, parse_date, split_list
from clientfolio.interchange.tracker import Item, build

__all__ = ["COLUMNS", "NoName", "looks_like", "read"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("task id", "任务 id", "任务id"),
    "name": ("name", "task name", "名称", "任务名称"),
    "section": ("section/column", "section", "分区/栏", "分区", "栏"),
    "assignee": ("assignee", "负责人", "任务负责人"),
    "assignee_email": ("assignee email", "负责人电子邮件", "负责人邮箱"),
    "start": ("start date", "开始日期"),
    "due": ("due date", "截止日期", "到期日期"),
    "notes": ("notes", "description", "备注", "描述"),
    "parent_id": ("parent task id", "父任务 id", "父任务id"),
    "parent": ("parent task", "父任务"),
    "completed": ("completed at", "完成于", "完成时间"),
    "tags": ("tags", "标签"),
    "blocked_by": ("blocked by (dependencies)", "被阻止（依赖项）"),
    "blocking": ("blocking (dependencies)", "阻止（依赖项）"),
    "priority": ("priority", "优先级"),
    "projects": ("projects", "项目"),
}
PRIORITIES = {
    "urgent": "critical",
    "紧急": "critical",
    "high": "high",
    "高": "high",
    "medium": "medium",
    "中": "medium",
    "low": "low",
    "低": "low",
}


class NoName(ValueError):
    """An Asana export without its Name column."""


def looks_like(table: Table) -> bool:
    """Whether ``table`` is an Asana export: a Task ID column and one of the columns
    only Asana writes."""
    return table.has(*COLUMNS["id"]) and table.has(
        "section/column",
        "assignee email",
        "parent task",
        "completed at",
        "last modified",
        "blocked by (dependencies)",
    )


def read(table: Table) -> tuple[p.Plan, p.Report]:
    """The plan of an Asana export read as ``table`` and the report. Raises
    ``NoName`` when there is no Name column."""
    cols = {key: table.column(*names) for key, names in COLUMNS.items()}
    if cols["name"] is None:
        raise NoName("no name column")
    report = p.Report()
    used = {index for index in cols.values() if index is not None}
    unused = [label for i, label in enumerate(table.header) if i not in used]
    if unused:
        report.dropped_many(
            "column",
            len(unused),
            "row 1",
            "columns_not_imported",
            columns=", ".join(label or "—" for label in unused)[:600],
        )
    items = []
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = cols[key]
            return cells[index] if index is not None else ""

        element = f"row {number}"
        name = cell("name")
        item = Item(
            key=cell("id") or f"row{number}",
            name=name,
            element=element,
            aliases=(name,) if name else (),
            parent=cell("parent_id") or cell("parent"),
            phase=cell("section") if not (cell("parent_id") or cell("parent")) else "",
        )
        if cell("completed"):
            item.status = "done"
        for field_name in ("start", "due"):
            text = cell(field_name)
            if not text:
                continue
            day = parse_date(text)
            if day is None:
                label = table.header[cols[field_name] or 0]
                report.problem(
                    "date_unreadable", element, field=label[:60], value=text[:40]
                )
            setattr(item, field_name, day)
        person, email = cell("assignee"), cell("assignee_email")
        if person or email:
            item.person = (person, email)
        item.after = split_list(cell("blocked_by"))
        item.before = split_list(cell("blocking"))
        priority = cell("priority").casefold()
        if priority:
            if priority in PRIORITIES:
                item.priority = PRIORITIES[priority]
                report.mapped("priority")
            else:
                report.approximated(
                    "priority", element, "priority_unknown", value=priority[:40]
                )
        notes = [cell("notes")]
        if notes[0]:
            report.mapped("notes")
        tags = split_list(cell("tags"))
        if tags:
            notes.append(f"Tags: {', '.join(tags)}")
            report.approximated("tags", element, "kept_in_description")
        item.notes = "\n\n".join(part for part in notes if part)
        items.append(item)
    index = cols["projects"]
    projects = [
        split_list(cells[index])[0]
        for _n, cells in table.rows
        if index is not None and split_list(cells[index])
    ]
    return build(items, report, name=projects[0] if projects else ""), report
