"""The words of an import report: the readers (``plan``, ``mspdi``, ``sheet``) speak in
codes with parameters, translated here for the pages and the API."""

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FIELDS",
    "describe",
    "element_label",
    "field_rows",
    "problem_rows",
    "sheet_headers",
]

# Field code -> (label, what it becomes here), in the order the report lists them.
FIELDS: dict[str, tuple[Any, Any]] = {
    "task": (_("Task rows"), _("Tasks of the schedule")),
    "name": (_("Task name"), _("Task name (up to 300 characters)")),
    "outline_level": (_("Outline level"), _("Position in the task tree")),
    "wbs": (_("WBS code"), _("WBS code, renumbered from the outline")),
    "duration": (_("Duration"), _("Duration in working days")),
    "milestone": (_("Milestone"), _("Milestone (no duration)")),
    "constraint": (_("Constraint"), _("Start no earlier than / finish no later than")),
    # xgettext:no-python-format
    "percent_complete": (_("% complete"), _("% complete")),
    "actuals": (_("Actual start and finish"), _("Actual start and finish")),
    "notes": (_("Notes"), _("Task description")),
    "priority": (_("Priority"), _("Priority (low, medium, high, critical)")),
    "link": (_("Predecessor links"), _("Dependencies FS, SS, FF, SF")),
    "lag": (_("Lag and lead"), _("Lag in working days (negative for a lead)")),
    "calendar": (_("Project calendar"), _("Working weekdays of the project")),
    "calendar_exceptions": (
        _("Calendar exceptions"),
        _("Non-working and extra working days"),
    ),
    "calendar_hours": (_("Working hours"), _("Whole working days")),
    "resource_calendars": (_("Resource calendars"), _("Not kept")),
    "baseline": (_("Baseline"), _("A saved baseline of the project")),
    "resource": (_("Resources"), _("People to match with users")),
    "people": (_("People"), _("Users matched by e-mail, added to the team")),
    "assignment": (_("Assignments"), _("Assignments with planned hours")),
    "actual_work": (_("Actual work"), _("Not kept (log time in the timesheet)")),
    "cost": (_("Costs"), _("Not kept (budget in the finance section)")),
    "splits": (_("Split tasks"), _("One continuous task")),
    "column": (_("Columns"), _("Columns this import knows")),
    "phase": (_("Lists and sections"), _("Phases (summary tasks)")),
    "parent": (_("Parents and sub-tasks"), _("The task tree (summary tasks)")),
    "start": (_("Start dates"), _("Start no earlier than the start date")),
    "due": (_("Due dates"), _("Finish no later than the due date")),
    "status": (
        _("Status and completion"),
        _("Task status (to do, in progress, blocked, done)"),
    ),
    "checklists": (_("Checklists"), _("Subtasks, and the list in the description")),
    "comments": (_("Comments"), _("Task description, with author and date")),
    "labels": (_("Labels"), _("Not kept")),
    "tags": (_("Labels and tags"), _("Written into the task's description")),
    "sprint": (_("Sprints"), _("Written into the task's description")),
    "components": (_("Components"), _("Written into the task's description")),
    "points": (_("Story points"), _("Written into the task's description")),
    "attachments": (_("Attachments"), _("Not kept (upload them to Documents)")),
    "custom_fields": (_("Custom fields"), _("Not kept")),
}

CODES: dict[str, Any] = {
    # approximated / dropped
    "fraction_rounded": _("%(value)s days rounded to %(days)s working days"),
    "elapsed_rounded": _(
        "elapsed time (%(value)s working-day equivalents) rounded to %(days)s working days"
    ),
    "milestone_duration": _(
        "a milestone with a duration of %(days)s days: imported as a milestone (no duration)"
    ),
    "constraint_approximated": _("%(source)s became %(target)s"),
    "constraint_no_date": _("constraint without a date: as soon as possible"),
    "wbs_renumbered": _("WBS %(wbs)s became %(code)s"),
    "name_truncated": _("name cut to %(limit)s characters"),
    "priority_banded": _("priority %(value)s put in the nearest band"),
    "percent_lag": _("%(percent)s%% lag became %(days)s working days"),
    "summary_link": _(
        "link to a summary task left out (links join tasks, not summaries)"
    ),
    "cross_project_link": _("link to another project left out"),
    "working_hours_whole_days": _("working hours within a day are not kept"),
    "recurring_expanded": _("recurring exception expanded to its days"),
    "exception_no_date": _("exception without a date left out"),
    "exception_range": _(
        "exception from %(start)s to %(end)s is too long and was left out"
    ),
    "resource_calendars_dropped": _("%(count)s resource calendars not kept"),
    "other_baselines": _("%(count)s further baselines not kept"),
    "split_joined": _("the split parts were joined into one task"),
    "cost_dropped": _("costs are not kept"),
    "blank_row": _("blank row left out"),
    "material_resource": _("“%(name)s” is a material or cost resource: left out"),
    "person_unmatched": _(
        "no user with the e-mail or user name of “%(name)s” %(email)s: not assigned"
    ),
    "actual_work_dropped": _("actual work not kept"),
    "unknown_column": _(
        "column “%(column)s” is not part of the layout and was ignored"
    ),
    "due_as_deadline": _("due %(date)s: finish no later than that day"),
    "archived_card": _("archived card “%(name)s” left out"),
    "archived_list": _("archived list left out"),
    "labels_dropped": _("labels are not kept"),
    "attachments_dropped": _("attachments are not kept"),
    "custom_fields_dropped": _("%(count)s custom fields not kept"),
    "columns_not_imported": _("columns not imported: %(columns)s"),
    "parent_missing": _(
        "the parent %(key)s is not in the file: the task stays where it is"
    ),
    "parent_ambiguous": _(
        "more than one task is named “%(key)s”: the first one is taken as the parent"
    ),
    "summary_dates": _(
        "a task with sub-tasks takes its dates from them: its own dates are not kept"
    ),
    "dates_as_duration": _(
        "from %(start)s to the due date %(due)s: %(days)s working days"
    ),
    "estimate_rounded": _(
        "an estimate of %(hours)s hours became %(days)s working days (8 hours a day)"
    ),
    "link_outside": _("the link to %(key)s, which is not in the file, was left out"),
    "link_type_dropped": _(
        "a “%(kind)s” link is not kept: only Blocks links become dependencies"
    ),
    "link_to_summary_expanded": _(
        "the link joins a task with sub-tasks, so it joins the work under it instead "
        "(links: %(count)s)"
    ),
    "kept_in_description": _("written into the task's description"),
    "priority_unknown": _("the priority “%(value)s” is not known: medium"),
    # problems
    "no_tasks": _("The file has no tasks."),
    "task_uid_missing": _("A task has no UID."),
    "duplicate_key": _("Task %(key)s appears twice."),
    "name_missing": _("The task has no name."),
    "duration_range": _("The duration %(value)s is outside 0–%(limit)s working days."),
    "constraint_unknown": _("The constraint “%(value)s” is not known."),
    "constraint_date_missing": _("The constraint needs a date."),
    "percent_range": _("%% complete %(value)s is outside 0–100."),
    "actual_finish_before_start": _("The actual finish is before the actual start."),
    "milestone_with_children": _("The milestone “%(name)s” has tasks under it."),
    "link_missing_task": _("The link names task %(key)s, which is not in the file."),
    "link_self": _("A task cannot depend on itself."),
    "link_kind": _("The link type “%(value)s” is not known."),
    "lag_range": _("The lag %(value)s is outside ±%(limit)s working days."),
    "link_summary": _("A link joins a summary task."),
    "link_duplicate": _("These tasks are linked twice."),
    "cycle": _("The links make a cycle: %(path)s."),
    "assignment_missing_task": _(
        "The assignment names task %(key)s, which is not in the file."
    ),
    "assignment_missing_resource": _(
        "The assignment names resource %(key)s, which is not in the file."
    ),
    "date_range": _(
        "The date %(value)s (%(field)s) is outside the years a plan may use."
    ),
    "date_unreadable": _("“%(value)s” in %(field)s is not a date."),
    "duration_unreadable": _("The duration “%(value)s” is not a number of days."),
    "percent_unreadable": _("%% complete “%(value)s” is not a number."),
    "predecessor_syntax": _(
        "The predecessor “%(item)s” cannot be read: write it as 3, 3FS+2, 5SS-1 or 4FF."
    ),
    "predecessor_lag_range": _(
        "The lag of the predecessor “%(item)s” is beyond ±1000 working days."
    ),
    "predecessor_missing": _("The predecessor %(key)s is not a task ID of the sheet."),
    "parent_cycle": _("The parents of this task lead back to it."),
    "project_not_empty": _(
        "The project already has tasks: a plan is imported into an empty project. "
        "Start a new project from the file instead."
    ),
}


# Where a reader found something ("Task UID 7", "row 12"), worded in the user's language.
ELEMENTS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^Task UID (\S+) ← (\S*)$"), _("task UID %(a)s ← %(b)s")),
    (re.compile(r"^Task UID (\S+)$"), _("task UID %(a)s")),
    (re.compile(r"^Task (\d+)$"), _("task %(a)s")),
    (re.compile(r"^Resource UID (\S*)$"), _("resource UID %(a)s")),
    (re.compile(r"^Assignment UID (\S*)$"), _("assignment UID %(a)s")),
    (re.compile(r"^Calendar UID (\S*)$"), _("calendar UID %(a)s")),
    (re.compile(r"^row (\d+) · (.+)$"), _("row %(a)s (%(b)s)")),
    (re.compile(r"^row (\d+)$"), _("row %(a)s")),
    (re.compile(r"^card (\S+)$"), _("card %(a)s")),
    (re.compile(r"^list (.+)$"), _("list %(a)s")),
    (re.compile(r"^member (.*)$"), _("member %(a)s")),
]


def element_label(element: str) -> str:
    """``element`` as the reader wrote it, in the active language."""
    for pattern, template in ELEMENTS:
        match = pattern.match(element or "")
        if match:
            groups = match.groups()
            return str(template) % {
                "a": groups[0],
                "b": groups[1] if len(groups) > 1 else "",
            }
    return element


def describe(code: str, params: dict[str, Any]) -> str:
    """The sentence for ``code`` with ``params`` in the active language."""
    template = CODES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def field_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's fields in the order of ``FIELDS``, each with its label, its target
    and its counts, and the examples worded."""
    fields = report.get("fields", {})
    rows = []
    for code in [*FIELDS, *sorted(set(fields) - set(FIELDS))]:
        tally = fields.get(code)
        if not tally:
            continue
        label, target = FIELDS.get(code, (code, ""))
        # An example may stand for several things (the columns it lists).
        shown = sum(
            len(str(example["params"].get("columns", "")).split(", "))
            if example["code"] == "columns_not_imported"
            else 1
            for example in tally["examples"]
        )
        rows.append(
            {
                "code": code,
                "label": label,
                "target": target,
                "mapped": tally["mapped"],
                "approximated": tally["approximated"],
                "dropped": tally["dropped"],
                "more": tally["approximated"] + tally["dropped"] > shown,
                "examples": [
                    {
                        "outcome": example["outcome"],
                        "element": element_label(example["element"]),
                        "message": describe(example["code"], example["params"]),
                    }
                    for example in tally["examples"]
                ],
            }
        )
    return rows


def problem_rows(report: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "element": element_label(problem.get("element", "")),
            "message": describe(problem.get("code", ""), problem.get("params", {})),
        }
        for problem in report.get("problems", [])
    ]


def sheet_headers() -> dict[str, str]:
    """The Excel layout's column labels in the active language (the import reads both)."""
    return {
        "id": gettext("ID"),
        "wbs": gettext("WBS"),
        "name": gettext("Task name"),
        "duration": gettext("Duration (working days)"),
        "start": gettext("Start"),
        "finish": gettext("Finish"),
        "predecessors": gettext("Predecessors"),
        "milestone": gettext("Milestone"),
        # xgettext:no-python-format
        "percent_complete": gettext("% complete"),
        "constraint": gettext("Constraint"),
        "constraint_date": gettext("Constraint date"),
        "actual_start": gettext("Actual start"),
        "actual_finish": gettext("Actual finish"),
        "baseline_start": gettext("Baseline start"),
        "baseline_finish": gettext("Baseline finish"),
        "assigned": gettext("Assigned to"),
    }
