"""Data for the Gantt chart and the client timeline chart (客户时间节点图).

Both are built from ``.values()`` rows in a constant number of queries (the schedule
settings, the calendar exceptions, the tasks, the links and the chosen baseline's
tasks), so a 10,000-task project builds in well under a second. The status and buffer
rules of the timeline are the pure functions of ``schedule.buffers``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clientfolio.projects.models import Project
from clientfolio.schedule.buffers import (
    AT_RISK,
    DONE,
    DONE_LATE,
    LATE,
    ON_TRACK,
    buffer_consumption,
    buffer_used,
    milestone_status,
)
from clientfolio.schedule.calendars import holiday_names
from clientfolio.schedule.models import Baseline, BaselineTask, Dependency, Task
from clientfolio.schedule.services import calendar_for, ensure_schedule, plan_warnings

__all__ = [
    "AT_RISK",
    "DONE",
    "DONE_LATE",
    "LATE",
    "ON_TRACK",
    "STATUS_LABELS",
    "Timeline",
    "TimelineRow",
    "buffer_consumption",
    "buffer_label",
    "chosen_baseline",
    "gantt_data",
    "milestone_status",
    "slip_label",
    "timeline_data",
    "working_days_between",
]


# Margin of calendar shown around the plan, in calendar days.
MARGIN_BEFORE, MARGIN_AFTER = 14, 45


def chosen_baseline(project: Project, baseline_id: Any) -> Baseline | None:
    """The project's baseline with ``baseline_id`` (a query parameter), or None."""
    try:
        pk = int(baseline_id)
    except (TypeError, ValueError):
        return None
    return Baseline.objects.filter(project=project, pk=pk).first()


def _is_working(day: date, calendar: Any) -> bool:
    if day in calendar.extra_workdays:
        return True
    if day in calendar.holidays:
        return False
    return day.weekday() in calendar.workdays


def working_days_between(start: date, end: date, calendar: Any) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end``
    is before ``start`` (the slip of a finish date, in working days)."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    count = 0
    day = low + timedelta(days=1)
    while day <= high:
        if _is_working(day, calendar):
            count += 1
        day += timedelta(days=1)
    return sign * count


def _span(dates: Iterable[date | None], today: date) -> tuple[date, date]:
    known = [d for d in dates if d is not None]
    if not known:
        return today - timedelta(days=MARGIN_BEFORE), today + timedelta(
            days=MARGIN_AFTER
        )
    return (
        min(min(known), today) - timedelta(days=MARGIN_BEFORE),
        max(max(known), today) + timedelta(days=MARGIN_AFTER),
    )


def _calendar_days(
    project: Project, settings_row, first: date, last: date
) -> dict[str, Any]:
    """Non-working days, make-up workdays and holiday names between ``first`` and ``last``."""
    years = range(first.year, last.year + 1)
    info = calendar_for(project, settings_row, years=years)
    calendar = info.calendar
    off: list[str] = []
    makeup: list[str] = []
    day = first
    while day <= last:
        if day in calendar.extra_workdays and (
            day.weekday() not in calendar.workdays or day in calendar.holidays
        ):
            makeup.append(day.isoformat())
        elif not _is_working(day, calendar):
            off.append(day.isoformat())
        day += timedelta(days=1)
    names = (
        {
            d.isoformat(): n
            for d, n in holiday_names(years).items()
            if first <= d <= last
        }
        if settings_row.use_statutory_holidays
        else {}
    )
    return {
        "off": off,
        "makeup": makeup,
        "names": names,
        "weekdays": sorted(calendar.workdays),
        "unknown_years": list(info.unknown_years),
    }


def gantt_data(
    project: Project, baseline: Baseline | None = None, *, today: date | None = None
) -> dict[str, Any]:
    """Everything the Gantt page draws, as JSON-ready values.

    ``tasks`` are in WBS order; each is a dict with short keys (``id``, ``parent``,
    ``wbs``, ``name``, ``start``/``finish`` as ISO dates, ``duration`` in working days,
    ``milestone``, ``summary``, ``critical``, ``percent``, ``version``, ``level`` and
    the baseline's ``bstart``/``bfinish`` when one is chosen). ``links`` are
    ``[predecessor, successor, kind, lag]``, only between tasks of the project (a link
    to another project's task never names it; ``warnings`` says it was ignored).
    ``calendar`` holds the non-working days and make-up workdays of the shown range. Six
    queries, whatever the size.
    """
    today = today or timezone.localdate()
    settings_row = ensure_schedule(project)
    rows = list(
        Task.objects.filter(project=project)
        .order_by("wbs_sort", "id")
        .values_list(
            "id",
            "parent_id",
            "wbs",
            "name",
            "start",
            "finish",
            "duration",
            "is_milestone",
            "is_summary",
            "is_critical",
            "percent_complete",
            "version",
            "status",
            "total_float",
            "constraint",
            "constraint_date",
        )
    )
    planned: dict[int, tuple[date | None, date | None]] = {}
    if baseline is not None:
        planned = {
            task_id: (start, finish)
            for task_id, start, finish in BaselineTask.objects.filter(
                baseline=baseline
            ).values_list("task_id", "start", "finish")
        }
    tasks = []
    for (
        task_id,
        parent_id,
        wbs,
        name,
        start,
        finish,
        duration,
        milestone,
        summary,
        critical,
        percent,
        version,
        status,
        total_float,
        constraint,
        constraint_date,
    ) in rows:
        item: dict[str, Any] = {
            "id": task_id,
            "parent": parent_id,
            "wbs": wbs,
            "name": name,
            "start": start.isoformat() if start else None,
            "finish": finish.isoformat() if finish else None,
            "duration": duration,
            "milestone": milestone,
            "summary": summary,
            "critical": critical,
            "percent": percent,
            "version": version,
            "status": status,
            "float": total_float,
            "level": wbs.count(".") if wbs else 0,
        }
        if constraint != Task.Constraint.ASAP and constraint_date:
            item["constraint"] = [constraint, constraint_date.isoformat()]
        if task_id in planned:
            bstart, bfinish = planned[task_id]
            item["bstart"] = bstart.isoformat() if bstart else None
            item["bfinish"] = bfinish.isoformat() if bfinish else None
        tasks.append(item)
    ids = {row[0] for row in rows}
    links = [
        [predecessor, successor, kind, lag]
        for predecessor, successor, kind, lag in Dependency.objects.filter(
            project=project
        ).values_list("predecessor_id", "successor_id", "kind", "lag")
        if predecessor in ids and successor in ids
    ]
    dates = [r[4] for r in rows] + [r[5] for r in rows]
    dates += [d for pair in planned.values() for d in pair]
    first, last = _span(dates, today)
    return {
        "project": {"id": project.pk, "code": project.code, "name": project.name},
        "today": today.isoformat(),
        "range": [first.isoformat(), last.isoformat()],
        "baseline": (
            {"id": baseline.pk, "name": baseline.name} if baseline is not None else None
        ),
        "tasks": tasks,
        "links": links,
        "warnings": plan_warnings(settings_row),
        "calendar": _calendar_days(project, settings_row, first, last),
    }


# --- the client timeline chart ---------------------------------------------------------------

# Lazy: this dict is built once, at import, and must speak the language of each request
# (issue 12: built with gettext, it froze in the language of the first request).
STATUS_LABELS = {
    DONE: gettext_lazy("Done"),
    DONE_LATE: gettext_lazy("Done late"),
    ON_TRACK: gettext_lazy("On track"),
    AT_RISK: gettext_lazy("At risk"),
    LATE: gettext_lazy("Late"),
}


def slip_label(slip_days: int | None) -> str:
    """A slip against the baseline in words: "3 working days late", "1 working day
    early", "on time", or "no baseline" for ``None``."""
    if slip_days is None:
        return _("no baseline")
    if slip_days > 0:
        return ngettext(
            "%(days)s working day late", "%(days)s working days late", slip_days
        ) % {"days": slip_days}
    if slip_days < 0:
        return ngettext(
            "%(days)s working day early", "%(days)s working days early", -slip_days
        ) % {"days": -slip_days}
    return _("on time")


def buffer_label(used: int, buffer_days: int, percent: int) -> str:
    """The buffer used, as "2 of 10 working days (20%)"."""
    return ngettext(
        "%(used)s of %(buffer)s working day (%(percent)s%%)",
        "%(used)s of %(buffer)s working days (%(percent)s%%)",
        buffer_days,
    ) % {"used": used, "buffer": buffer_days, "percent": percent}


def _short(day: date | None) -> str:
    return day.isoformat() if day else "—"


@dataclass
class TimelineRow:
    """A phase (top-level summary task) or a milestone on the client timeline.

    ``finish`` is the actual finish once done, else the forecast; ``slip_days`` is the
    finish minus ``baseline_finish`` in working days (0 without a baseline finish) and
    ``buffer_used`` that slip clamped to the buffer (see ``schedule.buffers``)."""

    id: int
    kind: str  # "phase" or "milestone"
    wbs: str
    name: str
    start: date | None
    finish: date | None
    baseline_finish: date | None
    percent: int
    is_client_visible: bool
    buffer_days: int
    slip_days: int
    consumption: float
    status: str
    is_done: bool = False

    @property
    def has_baseline(self) -> bool:
        return self.baseline_finish is not None and self.finish is not None

    @property
    def buffer_used(self) -> int:
        return buffer_used(self.slip_days, self.buffer_days)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def consumption_percent(self) -> int:
        """The buffer used in percent, 0 to 100."""
        return round(self.consumption * 100)

    @property
    def slip_label(self) -> str:
        return slip_label(self.slip_days if self.has_baseline else None)

    @property
    def buffer_text(self) -> str:
        if not self.has_baseline:
            return "—"
        return buffer_label(
            self.buffer_used, self.buffer_days, self.consumption_percent
        )

    @property
    def note(self) -> str:
        """What the chart writes beside the row: a phase's progress; a milestone's date
        and status, with the buffer used while open and the slip once done."""
        if self.kind == "phase":
            return f"{self.percent}% · {self.status_label}"
        day = _short(self.finish or self.start)
        if self.is_done:
            return _("%(date)s · %(status)s · %(slip)s") % {
                "date": day,
                "status": self.status_label,
                "slip": self.slip_label,
            }
        if not self.has_baseline:
            return f"{day} · {self.status_label}"
        return _("%(date)s · %(status)s · buffer %(percent)s%%") % {
            "date": day,
            "status": self.status_label,
            "percent": self.consumption_percent,
        }


@dataclass
class Timeline:
    """The client timeline of one project at ``today``: the project's forecast
    ``finish`` against its baseline's, and the project buffer that slip used."""

    project: Project
    today: date
    baseline: Baseline | None
    rows: list[TimelineRow] = field(default_factory=list)
    finish: date | None = None
    baseline_finish: date | None = None
    buffer_days: int = 0
    slip_days: int = 0
    consumption: float = 0.0
    status: str = ON_TRACK
    all_milestones: bool = False

    @property
    def phases(self) -> list[TimelineRow]:
        return [r for r in self.rows if r.kind == "phase"]

    @property
    def milestones(self) -> list[TimelineRow]:
        return [r for r in self.rows if r.kind == "milestone"]

    @property
    def has_baseline(self) -> bool:
        return self.baseline_finish is not None and self.finish is not None

    @property
    def buffer_used(self) -> int:
        return buffer_used(self.slip_days, self.buffer_days)

    @property
    def consumption_percent(self) -> int:
        """The project buffer used in percent, 0 to 100."""
        return round(self.consumption * 100)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def slip_label(self) -> str:
        return slip_label(self.slip_days if self.has_baseline else None)

    @property
    def buffer_text(self) -> str:
        if not self.has_baseline:
            return "—"
        return buffer_label(
            self.buffer_used, self.buffer_days, self.consumption_percent
        )

    @property
    def title(self) -> str:
        return _("%(code)s %(name)s — client timeline as of %(date)s") % {
            "code": self.project.code,
            "name": self.project.name,
            "date": self.today.isoformat(),
        }

    @property
    def summary(self) -> str:
        """The line under the chart's title: finish against the baseline, the project
        buffer used and the status."""
        if not self.has_baseline:
            return _("Finish %(finish)s · no baseline yet · %(status)s") % {
                "finish": _short(self.finish),
                "status": self.status_label,
            }
        return _(
            "Finish %(finish)s, baseline %(baseline)s (%(slip)s) · "
            "project buffer used: %(buffer)s · %(status)s"
        ) % {
            "finish": _short(self.finish),
            "baseline": _short(self.baseline_finish),
            "slip": self.slip_label,
            "buffer": self.buffer_text,
            "status": self.status_label,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "today": self.today.isoformat(),
            "labels": {key: str(label) for key, label in STATUS_LABELS.items()},
            "rows": [
                {
                    "kind": r.kind,
                    "name": f"{r.wbs} {r.name}".strip(),
                    "start": r.start.isoformat() if r.start else None,
                    "finish": r.finish.isoformat() if r.finish else None,
                    "baseline": r.baseline_finish.isoformat()
                    if r.baseline_finish
                    else None,
                    "status": r.status,
                    "percent": r.percent,
                    "note": r.note,
                    "slip": r.slip_label,
                    "buffer": r.buffer_text,
                }
                for r in self.rows
                if r.start or r.finish
            ],
            "text": {
                "buffer": _("Buffer used"),
                "finish": _("Finish"),
                "start": _("Start"),
                "baseline": _("Baseline finish"),
                "slip": _("Against the baseline"),
                "status": _("Status"),
                "today": _("Today"),
            },
        }


def timeline_data(
    project: Project,
    baseline: Baseline | None = None,
    *,
    all_milestones: bool = False,
    today: date | None = None,
) -> Timeline:
    """Phases and milestones with status and buffer consumption against ``baseline``
    (by default the project's first baseline). Slips are in working days of the project
    calendar, from the actual finish of done work (else its computed finish) to the
    baseline finish; milestones use their own buffer, phases and the project the
    project's (see ``schedule.buffers``)."""
    today = today or timezone.localdate()
    settings_row = ensure_schedule(project)
    if baseline is None:
        baseline = (
            Baseline.objects.filter(project=project)
            .order_by("created_at", "id")
            .first()
        )
    tasks = Task.objects.filter(project=project).filter(
        parent__isnull=True, is_summary=True
    ) | Task.objects.filter(project=project, is_milestone=True)
    if not all_milestones:
        tasks = tasks.exclude(is_milestone=True, is_client_visible=False)
    rows = list(
        tasks.order_by("wbs_sort", "id").values(
            "id",
            "wbs",
            "name",
            "start",
            "finish",
            "actual_finish",
            "percent_complete",
            "status",
            "is_milestone",
            "is_client_visible",
            "buffer_days",
        )
    )
    planned: dict[int, date | None] = {}
    if baseline is not None:
        planned = dict(
            BaselineTask.objects.filter(
                baseline=baseline, task_id__in=[r["id"] for r in rows]
            ).values_list("task_id", "finish")
        )
    finishes = [r["finish"] for r in rows if r["finish"]]
    finishes += [r["actual_finish"] for r in rows if r["actual_finish"]]
    extra = [
        d for d in (settings_row.computed_finish, baseline and baseline.finish) if d
    ]
    extra += [d for d in planned.values() if d]
    span = finishes + extra + [today]
    calendar = calendar_for(
        project, settings_row, years=range(min(span).year, max(span).year + 1)
    ).calendar
    timeline = Timeline(
        project=project, today=today, baseline=baseline, all_milestones=all_milestones
    )
    for row in rows:
        is_done = row["status"] == Task.Status.DONE or row["percent_complete"] >= 100
        # Done work slipped by its actual finish (a summary has none: its tasks' finish).
        finish = (row["actual_finish"] if is_done else None) or row["finish"]
        baseline_finish = planned.get(row["id"])
        slip = (
            working_days_between(baseline_finish, finish, calendar)
            if baseline_finish and finish
            else 0
        )
        buffer_days = (
            row["buffer_days"] if row["is_milestone"] else settings_row.buffer_days
        )
        timeline.rows.append(
            TimelineRow(
                id=row["id"],
                kind="milestone" if row["is_milestone"] else "phase",
                wbs=row["wbs"],
                name=row["name"],
                start=row["start"],
                finish=finish,
                baseline_finish=baseline_finish,
                percent=row["percent_complete"],
                is_client_visible=row["is_client_visible"],
                buffer_days=buffer_days,
                slip_days=slip,
                consumption=buffer_consumption(slip, buffer_days),
                status=milestone_status(
                    is_done=is_done,
                    finish=finish,
                    today=today,
                    slip_days=slip,
                    buffer_days=buffer_days,
                ),
                is_done=is_done,
            )
        )
    timeline.finish = settings_row.computed_finish
    timeline.baseline_finish = baseline.finish if baseline is not None else None
    timeline.buffer_days = settings_row.buffer_days
    if timeline.finish and timeline.baseline_finish:
        timeline.slip_days = working_days_between(
            timeline.baseline_finish, timeline.finish, calendar
        )
    timeline.consumption = buffer_consumption(timeline.slip_days, timeline.buffer_days)
    all_done = bool(rows) and all(r.is_done for r in timeline.rows)
    timeline.status = milestone_status(
        is_done=all_done,
        finish=timeline.finish,
        today=today,
        slip_days=timeline.slip_days,
        buffer_days=timeline.buffer_days,
    )
    return timeline
