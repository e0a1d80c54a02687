"""Microsoft Project XML (MSPDI) to a ``plan.Plan`` and back.

Reading goes through defusedxml, which refuses a document type declaration, entities and
external references, so an "XML bomb" or an XXE file is refused with ``NotMspdi`` before
anything expands. The caller bounds the size (``interchange.services.max_upload_bytes``).

What maps how (``plan.Report`` records it per field, with the task's UID):

- tasks with their outline level (the WBS is renumbered from the outline), name, notes,
  priority, milestone flag, percent complete, actual start and finish;
- durations in working days: minutes over ``MinutesPerDay``; elapsed durations (``ed``,
  ``ew`` …) over calendar days; fractions of a day are rounded (approximated);
- links of the four types with lag in working days; a lead is a negative lag; a percent
  lag becomes that share of the predecessor's duration (approximated); links to summary
  tasks and to other projects are dropped;
- constraints: as soon as possible, start no earlier than and finish no later than map;
  must start on / must finish on become start no earlier / finish no later than; as late
  as possible, start no later than and finish no earlier than become as soon as possible
  (approximated);
- the project calendar's working weekdays and its exceptions (both the Project 2003
  ``WeekDay DayType=0`` form and the 2007+ ``Exceptions``), expanded to days; working
  hours within a day are not kept (a day works or not);
- baseline 0 (or the lowest saved) per task: start, finish, duration; other baselines are
  dropped;
- resources (name, e-mail) and their assignments with the work in hours.

Pure Python: the standard library and defusedxml only.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape as xml_escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from clientfolio.interchange import plan as p

__all__ = ["NS", "NotMspdi", "read", "write"]

NS = "http://schemas.microsoft.com/project"
MAX_EXCEPTION_DAYS = 3700  # one exception range: about ten years of days

# MSPDI link types.
LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
LINK_CODES = {kind: code for code, kind in LINK_TYPES.items()}
# Constraint types -> (our constraint, exact?).
CONSTRAINTS = {
    "0": ("asap", True),
    "1": ("asap", False),  # as late as possible
    "2": ("snet", False),  # must start on
    "3": ("fnlt", False),  # must finish on
    "4": ("snet", True),
    "5": ("asap", False),  # start no later than
    "6": ("asap", False),  # finish no earlier than
    "7": ("fnlt", True),
}
CONSTRAINT_CODES = {"asap": "0", "snet": "4", "fnlt": "7"}
CONSTRAINT_NAMES = {
    "1": "ALAP",
    "2": "MSO",
    "3": "MFO",
    "5": "SNLT",
    "6": "FNET",
}
# Duration/lag formats that count calendar time (elapsed), with their estimated forms.
ELAPSED = {4, 6, 8, 10, 12, 20}
PERCENT = {19, 20}
PRIORITIES = {"low": 200, "medium": 500, "high": 700, "critical": 900}
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


class NotMspdi(ValueError):
    """The file is not an MS Project XML document; ``code`` says why (``not_xml``,
    ``unsafe_xml``, ``not_project``)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


# --- reading -------------------------------------------------------------------------------------


def _minutes(text: str | None) -> float | None:
    """Minutes of an ISO 8601 duration (``PT8H0M0S``), or None when absent/unreadable."""
    if not text:
        return None
    match = _DURATION.match(text.strip())
    if not match:
        return None
    sign, years, months, days, hours, mins, secs = match.groups()
    total = (
        float(years or 0) * 365 * 1440
        + float(months or 0) * 30 * 1440
        + float(days or 0) * 1440
        + float(hours or 0) * 60
        + float(mins or 0)
        + float(secs or 0) / 60
    )
    return -total if sign else total


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip()[:19]).date()
    except ValueError:
        try:
            return date.fromisoformat(text.strip()[:10])
        except ValueError:
            return None


def _clock(text: str) -> int | None:
    """Minutes since midnight of ``08:30:00``."""
    parts = text.strip().split(":")
    if len(parts) < 2 or not all(part.isdigit() for part in parts[:3]):
        return None
    return int(parts[0]) * 60 + int(parts[1])


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(float(text)) if text not in (None, "") else default  # type: ignore[arg-type]
    except ValueError:
        return default


class _Reader:
    def __init__(self, root: ET.Element) -> None:
        tag = root.tag
        self.ns = tag[1 : tag.index("}")] if tag.startswith("{") else ""
        self.root = root
        self.report = p.Report()
        self.plan = p.Plan()
        self.minutes_per_day = 480
        self.workdays_per_week = 5
        self._tags: dict[str, str] = {}
        # id(element) -> {child tag: text}; the elements live as long as the reader.
        self._values: dict[int, dict[str, str | None]] = {}

    def q(self, name: str) -> str:
        tag = self._tags.get(name)
        if tag is None:
            tag = self._tags[name] = f"{{{self.ns}}}{name}" if self.ns else name
        return tag

    def text(self, element: ET.Element | None, name: str) -> str | None:
        """The text of ``element``'s first child ``name``; the children are read into a
        dict once per element (a task has about a hundred, and dozens are asked for)."""
        if element is None:
            return None
        values = self._values.get(id(element))
        if values is None:
            values = {}
            for child in element:
                values.setdefault(child.tag, child.text)
            self._values[id(element)] = values
        return values.get(self.q(name))

    def children(self, element: ET.Element | None, path: str) -> list[ET.Element]:
        if element is None:
            return []
        return element.findall("/".join(self.q(part) for part in path.split("/")))

    # durations in working days
    def days(
        self, minutes: float, fmt: int, element: str, field: str
    ) -> tuple[int, bool]:
        """Working days of ``minutes``; True when exact."""
        base = fmt - 32 if fmt >= 32 else fmt
        if base in ELAPSED:
            value = minutes / 1440 * self.workdays_per_week / 7
            exact = False
        else:
            value = minutes / self.minutes_per_day
            exact = math.isclose(value, round(value), abs_tol=1e-6)
        rounded = math.floor(value + 0.5)  # half a day up, as people count
        if value > 0 and rounded == 0:
            rounded = 1
        if not exact:
            self.report.approximated(
                field,
                element,
                "elapsed_rounded" if base in ELAPSED else "fraction_rounded",
                value=round(value, 2),
                days=rounded,
            )
        else:
            self.report.mapped(field)
        return rounded, exact

    def run(self) -> tuple[p.Plan, p.Report]:
        root = self.root
        plan, report = self.plan, self.report
        self.minutes_per_day = _int(self.text(root, "MinutesPerDay"), 480) or 480
        plan.name = (self.text(root, "Title") or self.text(root, "Name") or "").strip()[
            :200
        ]
        plan.start = _date(self.text(root, "StartDate"))
        self.read_calendar()
        self.workdays_per_week = len(plan.calendar.workdays) or 5
        tasks = self.read_tasks()
        self.read_links(tasks)
        self.read_resources()
        p.drop_summary_links(plan, report)
        p.validate(plan, report)
        return plan, report

    # calendar
    def read_calendar(self) -> None:
        calendars = {
            self.text(c, "UID"): c
            for c in self.children(self.root, "Calendars/Calendar")
        }
        uid = self.text(self.root, "CalendarUID")
        chosen = calendars.get(uid) if uid else None
        if chosen is None and calendars:
            chosen = next(iter(calendars.values()))
        if chosen is None:
            self.report.approximated("calendar", "", "calendar_missing")
            return
        chain = [chosen]
        seen = {self.text(chosen, "UID")}
        while True:
            base = calendars.get(self.text(chain[-1], "BaseCalendarUID"))
            if base is None or self.text(base, "UID") in seen:
                break
            seen.add(self.text(base, "UID"))
            chain.append(base)
        workdays = {0, 1, 2, 3, 4}
        exceptions: dict[date, p.CalendarException] = {}
        hours_noted = False
        # From the base calendar up to the project's, the nearer one overriding.
        for calendar in reversed(chain):
            element = f"Calendar UID {self.text(calendar, 'UID')}"
            for weekday in self.children(calendar, "WeekDays/WeekDay"):
                day_type = _int(self.text(weekday, "DayType"), -1)
                working = self.text(weekday, "DayWorking") == "1"
                if 1 <= day_type <= 7:
                    number = (day_type + 5) % 7  # Sunday (1) -> 6, Monday (2) -> 0
                    (workdays.add if working else workdays.discard)(number)
                    if working and not hours_noted and self._partial_hours(weekday):
                        self.report.approximated(
                            "calendar_hours", element, "working_hours_whole_days"
                        )
                        hours_noted = True
                elif day_type == 0:
                    period = weekday.find(self.q("TimePeriod"))
                    self._exception(
                        exceptions,
                        element,
                        self.text(period, "FromDate"),
                        self.text(period, "ToDate"),
                        working,
                        "",
                    )
            for exception in self.children(calendar, "Exceptions/Exception"):
                period = exception.find(self.q("TimePeriod"))
                kind = self.text(exception, "Type")
                if (
                    kind not in (None, "1")
                    or _int(self.text(exception, "Occurrences"), 1) > 1
                    and self.children(exception, "DaysOfWeek")
                ):
                    self.report.approximated(
                        "calendar_exceptions", element, "recurring_expanded"
                    )
                self._exception(
                    exceptions,
                    element,
                    self.text(period, "FromDate"),
                    self.text(period, "ToDate"),
                    self.text(exception, "DayWorking") == "1",
                    (self.text(exception, "Name") or "")[:100],
                )
        others = len(calendars) - len(chain)
        if others > 0:
            self.report.dropped(
                "resource_calendars", "", "resource_calendars_dropped", count=others
            )
        self.plan.calendar = p.Calendar(
            name=(self.text(chosen, "Name") or "")[:100],
            workdays=frozenset(workdays),
            exceptions=sorted(exceptions.values(), key=lambda e: e.day),
        )
        self.report.mapped("calendar")

    def _partial_hours(self, weekday: ET.Element) -> bool:
        total = 0.0
        for period in self.children(weekday, "WorkingTimes/WorkingTime"):
            start, end = self.text(period, "FromTime"), self.text(period, "ToTime")
            if not start or not end:
                continue
            a, b = _clock(start), _clock(end)
            if a is None or b is None:
                continue
            minutes = b - a
            total += minutes if minutes > 0 else minutes + 1440
        return total > 0 and abs(total - self.minutes_per_day) > 1

    def _exception(
        self,
        exceptions: dict[date, p.CalendarException],
        element: str,
        start_text: str | None,
        end_text: str | None,
        working: bool,
        name: str,
    ) -> None:
        start, end = _date(start_text), _date(end_text)
        if start is None:
            self.report.dropped("calendar_exceptions", element, "exception_no_date")
            return
        end = end or start
        if (end - start).days > MAX_EXCEPTION_DAYS or end < start:
            self.report.dropped(
                "calendar_exceptions",
                element,
                "exception_range",
                start=start.isoformat(),
                end=end.isoformat(),
            )
            return
        day = start
        while day <= end:
            exceptions[day] = p.CalendarException(day, working, name)
            day += timedelta(days=1)
        self.report.mapped("calendar_exceptions")

    # tasks
    def read_tasks(self) -> dict[str, p.PlanTask]:
        plan, report = self.plan, self.report
        by_uid: dict[str, p.PlanTask] = {}
        self.task_elements: dict[str, ET.Element] = {}
        for element in self.children(self.root, "Tasks/Task"):
            uid = (self.text(element, "UID") or "").strip()
            where = f"Task UID {uid}" if uid else f"Task {len(by_uid) + 1}"
            level_text = self.text(element, "OutlineLevel")
            if level_text is None:
                number = self.text(element, "OutlineNumber") or ""
                level = len(number.split(".")) if number else 1
            else:
                level = _int(level_text, 1)
            if level == 0 or uid == "0":
                continue  # the project summary task: the project itself
            if self.text(element, "IsNull") == "1":
                report.dropped("task", where, "blank_row")
                continue
            if not uid:
                report.problem("task_uid_missing", where)
                continue
            name = (self.text(element, "Name") or "").strip()
            if len(name) > p.MAX_NAME:
                report.approximated("name", where, "name_truncated", limit=p.MAX_NAME)
                name = name[: p.MAX_NAME]
            else:
                report.mapped("name")
            task = p.PlanTask(key=uid, name=name, outline_level=max(1, level))
            task.element = where
            report.mapped("outline_level")
            wbs = self.text(element, "WBS")
            if wbs is not None:
                report.mapped("wbs")
            self.read_task_fields(element, task, where)
            by_uid[uid] = task
            self.task_elements[uid] = element
            plan.tasks.append(task)
        codes = p.wbs_codes(plan.tasks)
        for task, code in zip(plan.tasks, codes, strict=True):
            wbs = self.text(self.task_elements[task.key], "WBS")
            if wbs and wbs != code:
                report.approximated(
                    "wbs", task.element, "wbs_renumbered", wbs=wbs, code=code
                )
        summaries = {plan.tasks[i].key for i in p.parents(plan.tasks) if i is not None}
        for task in plan.tasks:
            if task.key in summaries:
                task.is_milestone = False
        return by_uid

    def read_task_fields(
        self, element: ET.Element, task: p.PlanTask, where: str
    ) -> None:
        report = self.report
        fmt = _int(self.text(element, "DurationFormat"), 7)
        minutes = _minutes(self.text(element, "Duration"))
        is_summary = self.text(element, "Summary") == "1"
        if minutes is not None:
            if is_summary:
                # Computed again from the tasks under it; kept as read.
                report.mapped("duration")
                task.duration = max(0, round(minutes / self.minutes_per_day))
            else:
                task.duration, _exact = self.days(
                    max(0.0, minutes), fmt, where, "duration"
                )
        task.is_milestone = self.text(element, "Milestone") == "1"
        if task.is_milestone:
            if task.duration:
                report.approximated(
                    "milestone", where, "milestone_duration", days=task.duration
                )
            else:
                report.mapped("milestone")
            task.duration = 0
        task.start = _date(self.text(element, "Start"))
        task.finish = _date(self.text(element, "Finish"))
        constraint = self.text(element, "ConstraintType") or "0"
        ours, exact = CONSTRAINTS.get(constraint, ("asap", False))
        constraint_date = _date(self.text(element, "ConstraintDate"))
        if ours != "asap" and constraint_date is None:
            report.approximated("constraint", where, "constraint_no_date")
            ours, exact = "asap", True
        task.constraint = ours
        task.constraint_date = constraint_date if ours != "asap" else None
        if exact:
            report.mapped("constraint")
        else:
            report.approximated(
                "constraint",
                where,
                "constraint_approximated",
                source=CONSTRAINT_NAMES.get(constraint, constraint),
                target=ours.upper(),
            )
        percent = _int(self.text(element, "PercentComplete"), 0)
        task.percent_complete = max(0, min(100, percent))
        report.mapped("percent_complete")
        task.actual_start = _date(self.text(element, "ActualStart"))
        task.actual_finish = _date(self.text(element, "ActualFinish"))
        if task.actual_start or task.actual_finish:
            report.mapped("actuals")
        if (
            task.actual_finish
            and task.actual_start
            and task.actual_finish < task.actual_start
        ):
            report.approximated("actuals", where, "actual_finish_before_start")
            task.actual_finish = task.actual_start
        if task.actual_finish and not task.actual_start:
            task.actual_start = task.actual_finish
        notes = self.text(element, "Notes")
        if notes:
            task.notes = notes.strip()[:20000]
            report.mapped("notes")
        priority = _int(self.text(element, "Priority"), 500)
        task.priority = (
            "low"
            if priority < 400
            else "medium"
            if priority < 600
            else "high"
            if priority < 900
            else "critical"
        )
        if priority in PRIORITIES.values():
            report.mapped("priority")
        else:
            report.approximated("priority", where, "priority_banded", value=priority)
        baselines = self.children(element, "Baseline")
        if baselines:
            baselines.sort(key=lambda b: _int(self.text(b, "Number"), 0))
            first = baselines[0]
            task.baseline_start = _date(self.text(first, "Start"))
            task.baseline_finish = _date(self.text(first, "Finish"))
            base_minutes = _minutes(self.text(first, "Duration"))
            if base_minutes is not None:
                task.baseline_duration = max(
                    0, round(base_minutes / self.minutes_per_day)
                )
            number = _int(self.text(first, "Number"), 0)
            self.plan.baseline_name = self.plan.baseline_name or (
                "Baseline" if number == 0 else f"Baseline {number}"
            )
            report.mapped("baseline")
            if len(baselines) > 1:
                report.dropped(
                    "baseline", where, "other_baselines", count=len(baselines) - 1
                )
        if self.children(element, "TimephasedData"):
            report.approximated("splits", where, "split_joined")
        for name in ("Cost", "FixedCost"):
            value = self.text(element, name)
            if value and value not in ("0", "0.00") and not is_summary:
                report.dropped("cost", where, "cost_dropped")
                break

    def read_links(self, tasks: dict[str, p.PlanTask]) -> None:
        report = self.report
        for uid, element in self.task_elements.items():
            for link in self.children(element, "PredecessorLink"):
                predecessor = (self.text(link, "PredecessorUID") or "").strip()
                where = f"Task UID {uid} ← {predecessor}"
                if self.text(link, "CrossProject") == "1":
                    report.dropped("link", where, "cross_project_link")
                    continue
                kind = LINK_TYPES.get(self.text(link, "Type") or "1")
                if kind is None:
                    report.problem(
                        "link_kind", where, value=self.text(link, "Type") or ""
                    )
                    continue
                report.mapped("link")
                lag_value = float(self.text(link, "LinkLag") or 0)
                fmt = _int(self.text(link, "LagFormat"), 7)
                base = fmt - 32 if fmt >= 32 else fmt
                lag_percent = None
                if base in PERCENT:
                    lag_percent = lag_value
                    source = tasks.get(predecessor)
                    duration = source.duration if source else 0
                    lag = round(duration * lag_value / 100)
                    report.approximated(
                        "lag", where, "percent_lag", percent=lag_value, days=lag
                    )
                elif lag_value == 0:
                    lag = 0
                    report.mapped("lag")
                else:
                    lag, _exact = self.days(lag_value / 10, fmt, where, "lag")
                    if lag_value < 0 and lag > 0:
                        lag = -lag
                    if lag_value < 0:
                        lag = -abs(lag)
                self.plan.links.append(
                    p.Link(predecessor, uid, kind, lag, lag_percent, where)
                )

    def read_resources(self) -> None:
        report, plan = self.report, self.plan
        keys = set()
        for element in self.children(self.root, "Resources/Resource"):
            uid = (self.text(element, "UID") or "").strip()
            name = (self.text(element, "Name") or "").strip()
            if not name or self.text(element, "IsNull") == "1":
                continue
            where = f"Resource UID {uid}"
            if self.text(element, "Type") in ("0", "2"):
                report.dropped("resource", where, "material_resource", name=name)
                continue
            email = (self.text(element, "EmailAddress") or "").strip()[:254]
            plan.resources.append(p.Resource(uid, name[:150], email, where))
            keys.add(uid)
            report.mapped("resource")
        task_keys = {t.key for t in plan.tasks}
        for element in self.children(self.root, "Assignments/Assignment"):
            task, resource = (
                (self.text(element, "TaskUID") or "").strip(),
                (self.text(element, "ResourceUID") or "").strip(),
            )
            where = f"Assignment UID {(self.text(element, 'UID') or '').strip()}"
            if resource not in keys or task not in task_keys:
                continue  # unassigned (-65535), a material or the project task
            minutes = _minutes(self.text(element, "Work")) or 0.0
            hours = Decimal(str(round(max(0.0, minutes) / 60, 1)))
            plan.assignments.append(p.Assignment(task, resource, hours, where))
            report.mapped("assignment")
            if _minutes(self.text(element, "ActualWork")):
                report.dropped("actual_work", where, "actual_work_dropped")


def read(data: bytes) -> tuple[p.Plan, p.Report]:
    """The plan in an MSPDI document and the report of how each field was read. Raises
    ``NotMspdi`` for a file that is not XML, declares a DTD or entities, or is not a
    Microsoft Project document; problems of the plan itself go to the report."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise NotMspdi("unsafe_xml", type(error).__name__) from error
    except ET.ParseError as error:
        raise NotMspdi("not_xml", str(error)) from error
    local = root.tag.rsplit("}", 1)[-1]
    if local != "Project" or (root.tag.startswith("{") and NS not in root.tag):
        raise NotMspdi("not_project", local)
    return _Reader(root).run()


# --- writing -------------------------------------------------------------------------------------

MINUTES_PER_DAY = 480


def _duration(days: int) -> str:
    return f"PT{days * MINUTES_PER_DAY // 60}H0M0S"


def _stamp(day: date | None, finish: bool = False) -> str:
    if day is None:
        return ""
    return f"{day.isoformat()}T{'17:00:00' if finish else '08:00:00'}"


def _text(value: Any) -> str:
    """``value`` as element text, escaped; characters XML 1.0 cannot hold are left out."""
    text = str(value)
    if _INVALID_XML.search(text):
        text = _INVALID_XML.sub("", text)
    return xml_escape(text)


def _add(parent: ET.Element, name: str, value: Any) -> ET.Element:
    child = ET.SubElement(parent, name)
    child.text = _INVALID_XML.sub("", str(value))
    return child


def write(plan: p.Plan) -> bytes:
    """``plan`` as an MSPDI document (UTF-8) that Microsoft Project opens: one project
    calendar with the plan's weekdays and exceptions, tasks in outline order with their
    links, baseline 0, resources and assignments. Durations and lags are written in
    days of 8 hours; ``read`` of the result gives back an equal plan."""
    root = ET.Element("Project", xmlns=NS)
    _add(root, "SaveVersion", 14)
    _add(root, "Name", f"{plan.name or 'plan'}.xml")
    _add(root, "Title", plan.name)
    _add(root, "ScheduleFromStart", 1)
    if plan.start:
        _add(root, "StartDate", _stamp(plan.start))
    _add(root, "CalendarUID", 1)
    _add(root, "DefaultStartTime", "08:00:00")
    _add(root, "DefaultFinishTime", "17:00:00")
    _add(root, "MinutesPerDay", MINUTES_PER_DAY)
    _add(root, "MinutesPerWeek", MINUTES_PER_DAY * max(1, len(plan.calendar.workdays)))
    _add(root, "DaysPerMonth", 20)
    _add(root, "DurationFormat", 7)
    _add(root, "WorkFormat", 2)
    _add(root, "HonorConstraints", 0)
    _add(root, "WeekStartDay", 1)
    _write_calendar(ET.SubElement(root, "Calendars"), plan.calendar)
    tasks_element = ET.SubElement(root, "Tasks")
    summary = ET.SubElement(tasks_element, "Task")
    for name, value in (
        ("UID", 0),
        ("ID", 0),
        ("Name", plan.name),
        ("OutlineNumber", 0),
        ("OutlineLevel", 0),
        ("Summary", 1),
    ):
        _add(summary, name, value)
    codes = p.wbs_codes(plan.tasks)
    parent_of = p.parents(plan.tasks)
    summaries = {i for i in parent_of if i is not None}
    uids = {task.key: index + 1 for index, task in enumerate(plan.tasks)}
    incoming: dict[str, list[p.Link]] = {}
    for link in plan.links:
        incoming.setdefault(link.successor, []).append(link)
    # The tasks are most of the document: written as text (a tree of a quarter of a
    # million elements for 10,000 tasks costs seconds) and put in place at the end.
    parts: list[str] = []
    for index, task in enumerate(plan.tasks):
        fields: list[tuple[str, Any]] = [
            ("UID", uids[task.key]),
            ("ID", index + 1),
            ("Name", task.name),
            ("Type", 1),  # fixed duration
            ("IsNull", 0),
            ("WBS", codes[index]),
            ("OutlineNumber", codes[index]),
            ("OutlineLevel", task.outline_level),
            ("Priority", PRIORITIES.get(task.priority, 500)),
        ]
        if task.start:
            fields.append(("Start", _stamp(task.start)))
        if task.finish:
            fields.append(("Finish", _stamp(task.finish, finish=True)))
        fields += [
            ("Duration", _duration(task.duration)),
            ("DurationFormat", 7),
            ("Milestone", int(task.is_milestone)),
            ("Summary", int(index in summaries)),
            ("PercentComplete", task.percent_complete),
        ]
        if task.actual_start:
            fields.append(("ActualStart", _stamp(task.actual_start)))
        if task.actual_finish:
            fields.append(("ActualFinish", _stamp(task.actual_finish, finish=True)))
        fields.append(("ConstraintType", CONSTRAINT_CODES.get(task.constraint, "0")))
        if task.constraint != "asap" and task.constraint_date:
            fields.append(
                (
                    "ConstraintDate",
                    _stamp(task.constraint_date, finish=task.constraint == "fnlt"),
                )
            )
        if task.notes:
            fields.append(("Notes", task.notes))
        parts.append("<Task>")
        parts.extend(f"<{name}>{_text(value)}</{name}>" for name, value in fields)
        for link in incoming.get(task.key, []):
            parts.append(
                f"<PredecessorLink><PredecessorUID>{uids.get(link.predecessor, 0)}"
                f"</PredecessorUID><Type>{LINK_CODES[link.kind]}</Type>"
                f"<CrossProject>0</CrossProject>"
                f"<LinkLag>{link.lag * MINUTES_PER_DAY * 10}</LinkLag>"
                f"<LagFormat>7</LagFormat></PredecessorLink>"
            )
        if task.baseline_start or task.baseline_finish:
            parts.append("<Baseline><Number>0</Number>")
            if task.baseline_start:
                parts.append(f"<Start>{_stamp(task.baseline_start)}</Start>")
            if task.baseline_finish:
                parts.append(
                    f"<Finish>{_stamp(task.baseline_finish, finish=True)}</Finish>"
                )
            parts.append(
                f"<Duration>{_duration(task.baseline_duration or 0)}</Duration>"
                "<DurationFormat>7</DurationFormat></Baseline>"
            )
        parts.append("</Task>")
    resources_element = ET.SubElement(root, "Resources")
    resource_uids = {r.key: i + 1 for i, r in enumerate(plan.resources)}
    for resource in plan.resources:
        element = ET.SubElement(resources_element, "Resource")
        _add(element, "UID", resource_uids[resource.key])
        _add(element, "ID", resource_uids[resource.key])
        _add(element, "Name", resource.name)
        _add(element, "Type", 1)
        _add(element, "IsNull", 0)
        if resource.email:
            _add(element, "EmailAddress", resource.email)
    assignments_element = ET.SubElement(root, "Assignments")
    for number, assignment in enumerate(plan.assignments, start=1):
        element = ET.SubElement(assignments_element, "Assignment")
        _add(element, "UID", number)
        _add(element, "TaskUID", uids[assignment.task])
        _add(element, "ResourceUID", resource_uids[assignment.resource])
        minutes = int(assignment.hours * 60)
        _add(element, "Work", f"PT{minutes // 60}H{minutes % 60}M0S")
    document = ET.tostring(root, encoding="unicode")
    # The project summary task is the one child of <Tasks>: the others follow it.
    document = document.replace(
        "</Task></Tasks>", "</Task>" + "".join(parts) + "</Tasks>", 1
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + document
    ).encode("utf-8")


def _write_calendar(parent: ET.Element, calendar: p.Calendar) -> None:
    element = ET.SubElement(parent, "Calendar")
    _add(element, "UID", 1)
    _add(element, "Name", calendar.name or "Standard")
    _add(element, "IsBaseCalendar", 1)
    _add(element, "BaseCalendarUID", -1)
    weekdays = ET.SubElement(element, "WeekDays")
    for day_type in range(1, 8):
        number = (day_type + 5) % 7
        weekday = ET.SubElement(weekdays, "WeekDay")
        _add(weekday, "DayType", day_type)
        working = number in calendar.workdays
        _add(weekday, "DayWorking", int(working))
        if working:
            _working_times(weekday)
    exceptions = ET.SubElement(element, "Exceptions")
    for exception in calendar.exceptions:
        item = ET.SubElement(exceptions, "Exception")
        _add(item, "EnteredByOccurrences", 0)
        period = ET.SubElement(item, "TimePeriod")
        _add(period, "FromDate", f"{exception.day.isoformat()}T00:00:00")
        _add(period, "ToDate", f"{exception.day.isoformat()}T23:59:00")
        _add(item, "Occurrences", 1)
        _add(item, "Name", exception.name)
        _add(item, "Type", 1)
        _add(item, "DayWorking", int(exception.working))
        if exception.working:
            _working_times(item)


def _working_times(parent: ET.Element) -> None:
    times = ET.SubElement(parent, "WorkingTimes")
    for start, end in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
        item = ET.SubElement(times, "WorkingTime")
        _add(item, "FromTime", start)
        _add(item, "ToTime", end)
