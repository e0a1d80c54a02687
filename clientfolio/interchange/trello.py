"""A Trello board export (Board menu → Print, export and share → Export as JSON) to a
``plan.Plan``.

Each open list becomes a phase (a summary task) and each open card a task under it, in
the board's order; a card's checklist items become its subtasks. The due date becomes
"finish no later than" that date, a completed due date or a card in a list whose name
says done (Done, 完成, 已完成) 100 % complete. Members are matched to users by their
Trello user name; the card's description, its comments (text, author, date) and checklist
state go into the task's description. Archived lists and cards, labels, attachments and
custom fields are dropped, each noted in the report. Pure Python.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from clientfolio.interchange import plan as p

__all__ = ["NotTrello", "read_board"]

DONE_WORDS = ("done", "complete", "completed", "finished", "完成", "已完成", "结束")


class NotTrello(ValueError):
    """The JSON document is not a Trello board export."""


def _date(text: Any) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _position(item: dict[str, Any]) -> float:
    value = item.get("pos", 0)
    return float(value) if isinstance(value, int | float) else 0.0


def read_board(board: Any) -> tuple[p.Plan, p.Report]:
    """The plan of a decoded Trello board export and the report. Raises ``NotTrello``
    for JSON that is not one."""
    if not isinstance(board, dict) or not isinstance(board.get("lists"), list):
        raise NotTrello("no lists")
    if not isinstance(board.get("cards", []), list):
        raise NotTrello("no cards")
    report = p.Report()
    plan = p.Plan(name=str(board.get("name") or "")[:200])
    members = {
        m.get("id"): m
        for m in board.get("members", [])
        if isinstance(m, dict) and m.get("id")
    }
    for member in members.values():
        plan.resources.append(
            p.Resource(
                str(member["id"]),
                str(member.get("username") or member.get("fullName") or member["id"])[
                    :150
                ],
                "",
                f"member {member.get('username', '')}",
            )
        )
        report.mapped("resource")
    checklists: dict[str, list[dict[str, Any]]] = {}
    for checklist in board.get("checklists", []):
        if isinstance(checklist, dict):
            checklists.setdefault(str(checklist.get("idCard")), []).append(checklist)
    comments: dict[str, list[str]] = {}
    for action in board.get("actions", []):
        if not isinstance(action, dict) or action.get("type") != "commentCard":
            continue
        data = action.get("data") or {}
        card = (data.get("card") or {}).get("id")
        author = (action.get("memberCreator") or {}).get("fullName", "")
        when = str(action.get("date", ""))[:10]
        comments.setdefault(str(card), []).append(
            f"{when} {author}: {data.get('text', '')}".strip()
        )
        report.mapped("comments")
    cards_by_list: dict[str, list[dict[str, Any]]] = {}
    for card in board.get("cards", []):
        if not isinstance(card, dict):
            continue
        where = f"card {card.get('idShort', card.get('id', ''))}"
        if card.get("closed"):
            report.dropped(
                "task", where, "archived_card", name=str(card.get("name"))[:60]
            )
            continue
        cards_by_list.setdefault(str(card.get("idList")), []).append(card)
    key = 0
    for trello_list in sorted(
        (item for item in board["lists"] if isinstance(item, dict)), key=_position
    ):
        where = f"list {trello_list.get('name', '')}"[:80]
        if trello_list.get("closed"):
            report.dropped("phase", where, "archived_list")
            continue
        key += 1
        list_name = str(trello_list.get("name") or "").strip() or "—"
        done_list = list_name.lower() in DONE_WORDS
        plan.tasks.append(
            p.PlanTask(f"L{key}", list_name[: p.MAX_NAME], 1, element=where)
        )
        report.mapped("phase")
        for card in sorted(
            cards_by_list.get(str(trello_list.get("id")), []), key=_position
        ):
            card_where = f"card {card.get('idShort', card.get('id', ''))}"
            task = p.PlanTask(
                str(card.get("id")),
                str(card.get("name") or "").strip()[: p.MAX_NAME],
                2,
                element=card_where,
            )
            report.mapped("name")
            due = _date(card.get("due"))
            if due:
                task.constraint, task.constraint_date = "fnlt", due
                report.approximated(
                    "due", card_where, "due_as_deadline", date=due.isoformat()
                )
            start = _date(card.get("start"))
            if start:
                task.actual_start = None
                task.start = start
            if card.get("dueComplete") or done_list:
                task.percent_complete = 100
                report.mapped("status")
            text = [str(card.get("desc") or "").strip()]
            items = []
            for checklist in checklists.get(str(card.get("id")), []):
                for item in sorted(checklist.get("checkItems", []), key=_position):
                    if isinstance(item, dict):
                        items.append(item)
                        mark = "☑" if item.get("state") == "complete" else "☐"
                        text.append(f"{mark} {item.get('name', '')}")
                report.mapped("checklists")
            if comments.get(str(card.get("id"))):
                text.append("\n".join(comments[str(card.get("id"))]))
            task.notes = "\n\n".join(part for part in text if part)[:20000]
            if card.get("idLabels"):
                report.dropped("labels", card_where, "labels_dropped")
            if card.get("attachments") or card.get("badges", {}).get("attachments"):
                report.dropped("attachments", card_where, "attachments_dropped")
            plan.tasks.append(task)
            for checklist_index, item in enumerate(items, start=1):
                plan.tasks.append(
                    p.PlanTask(
                        f"{card.get('id')}-{checklist_index}",
                        str(item.get("name") or "").strip()[: p.MAX_NAME] or "—",
                        3,
                        percent_complete=100 if item.get("state") == "complete" else 0,
                        element=card_where,
                    )
                )
            for member in card.get("idMembers", []):
                if member in members:
                    plan.assignments.append(
                        p.Assignment(task.key, str(member), element=card_where)
                    )
                    report.mapped("assignment")
    if board.get("customFields"):
        report.dropped(
            "custom_fields",
            "",
            "custom_fields_dropped",
            count=len(board["customFields"]),
        )
    p.validate(plan, report)
    return plan, report
