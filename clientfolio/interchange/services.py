"""Plans into and out of projects, and the import runs that carry them.

``check_upload`` reads an uploaded file (by its content, not its name), validates the
plan, matches its people to users by e-mail and stores an ``ImportRun`` with the report;
``confirm_run`` writes the plan into the target project (or a new one) in one
transaction: everything or nothing. ``plan_from_project`` is the reverse, for exports.

A plan is written in bulk: one INSERT per outline level for the tasks, one for the links,
one for the assignments, then the schedule's own ``renumber`` and ``recompute``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.core.parsers import loads as json_loads
from clientfolio.core.validators import FIRST_PLAN_DATE, LAST_PLAN_DATE
from clientfolio.interchange import asana, jira, mspdi, sheet, table, trello
from clientfolio.interchange import plan as p
from clientfolio.interchange.models import ImportRun
from clientfolio.projects.models import Membership, Project, ProjectRole
from clientfolio.projects.services import create_project
from clientfolio.schedule import services as schedule_services
from clientfolio.schedule.calendars import build_calendar
from clientfolio.schedule.models import (
    Assignment,
    Baseline,
    BaselineTask,
    CalendarDay,
    Dependency,
    ProjectSchedule,
    Task,
)

__all__ = [
    "UploadRefused",
    "check_upload",
    "max_upload_bytes",
    "confirm_run",
    "parse",
    "plan_from_project",
    "sniff",
    "write_plan",
]


def max_upload_bytes() -> int:
    """The largest file accepted (``IMPORT_MAX_BYTES``, 50 MB by default: a
    10,000-task MS Project file is about 25 MB)."""
    return int(settings.IMPORT_MAX_BYTES)


BATCH = 1000
STAFF_ROLES = ("admin", "staff")


class UploadRefused(ValueError):
    """A file that cannot be read at all; ``message`` says why, in the user's language.
    Nothing is stored."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Headers of a client list (ours and other CRMs'), which belongs in the client import.
CLIENT_HEADERS = frozenset(
    {
        "client name",
        "客户名称",
        "公司名称",
        "account name",
        "company name",
        "contact name",
        "联系人姓名",
    }
)


def _not_a_plan() -> UploadRefused:
    return UploadRefused(
        _(
            "This is neither a Microsoft Project XML file, an Excel workbook (.xlsx), a "
            "Trello board (JSON) nor a CSV export of Jira, Asana or the plan layout. In "
            "Microsoft Project use File → Save As → XML format."
        )
    )


def sniff(data: bytes) -> str:
    """The format of ``data`` from its content, never its name: ``mspdi`` (XML),
    ``xlsx`` (a zip workbook), ``trello`` (JSON), or for CSV text ``jira``, ``asana``
    or ``csv`` (the plan layout) by its header. Raises ``UploadRefused`` for anything
    else, with a pointer to the client import for a client list."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return ImportRun.Source.XLSX
    if head.startswith(b"<"):
        return ImportRun.Source.MSPDI
    if head.startswith((b"{", b"[")):
        return ImportRun.Source.TRELLO
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
        if text.lstrip("\ufeff \t\r\n").startswith("<"):
            return ImportRun.Source.MSPDI  # UTF-16 XML, as older Project versions save
    try:
        found = table.read_csv(data)
    except table.NotATable as error:
        if error.code in ("encoding", "not_text"):
            raise _not_a_plan() from error
        raise _table_refused(error) from error
    if jira.looks_like(found):
        return ImportRun.Source.JIRA
    if asana.looks_like(found):
        return ImportRun.Source.ASANA
    header = found.folded_header()
    if header & CLIENT_HEADERS:
        raise UploadRefused(
            _(
                "This looks like a client list, not a plan. Import it under Clients → "
                "Import, where its columns can be mapped to the client fields."
            )
        )
    if header & set(sheet.COLUMNS["name"]):
        return ImportRun.Source.CSV
    raise _not_a_plan()


def _table_refused(error: table.NotATable) -> UploadRefused:
    messages = {
        "encoding": _(
            "The file is neither UTF-8 nor GBK text. Save it as CSV (UTF-8) and "
            "try again."
        ),
        "not_text": _("The file is not a CSV text file."),
        "empty": _("The file has no header row."),
        "malformed": _("The CSV file is malformed: %(detail)s"),
        "too_many_rows": _("The sheet has more than %(limit)d rows."),
        "too_many_columns": _("The file has more than %(limit)d columns."),
    }
    return UploadRefused(messages[error.code] % error.params)


def _read_table(data: bytes) -> table.Table:
    try:
        return table.read_csv(data)
    except table.NotATable as error:
        raise _table_refused(error) from error


def _parse_csv(source: str, data: bytes) -> tuple[p.Plan, p.Report]:
    rows = _read_table(data)
    if source == ImportRun.Source.JIRA:
        try:
            return jira.read(rows)
        except jira.NoSummary as error:
            raise UploadRefused(
                _(
                    "The Jira export has no “Summary” column, so its issues cannot be "
                    "named; nothing was imported. Export again with the Summary field "
                    "(Export → CSV (all fields) includes it)."
                )
            ) from error
    if source == ImportRun.Source.ASANA:
        try:
            return asana.read(rows)
        except asana.NoName as error:
            raise UploadRefused(
                _(
                    "The Asana export has no “Name” column, so its tasks cannot be "
                    "named; nothing was imported."
                )
            ) from error
    try:
        return sheet.read_rows(rows.header, rows.rows)
    except sheet.NotASheet as error:
        raise UploadRefused(
            _(
                "The first row has no “Task name” column; use the layout of the plan "
                "export."
            )
        ) from error


def parse(source: str, data: bytes) -> tuple[p.Plan, p.Report]:
    """The plan and report of ``data`` in ``source`` format; ``UploadRefused`` when the
    file cannot be read at all."""
    if len(data) > max_upload_bytes():
        raise UploadRefused(too_large_message(len(data)))
    if source in (ImportRun.Source.JIRA, ImportRun.Source.ASANA, ImportRun.Source.CSV):
        return _parse_csv(source, data)
    if source == ImportRun.Source.MSPDI:
        try:
            return mspdi.read(data)
        except mspdi.NotMspdi as error:
            messages = {
                "not_xml": _("The file is not well-formed XML (%(detail)s)."),
                "unsafe_xml": _(
                    "The file declares a DTD or entities, which a Microsoft Project file "
                    "never does; it was refused for safety."
                ),
                "not_project": _(
                    "The XML file is not a Microsoft Project document (its root element "
                    "is “%(detail)s”, not “Project”)."
                ),
            }
            raise UploadRefused(
                messages[error.code] % {"detail": error.detail[:120]}
            ) from error
    if source == ImportRun.Source.TRELLO:
        try:
            return trello.read_board(json_loads(data))
        except (ValueError, UnicodeDecodeError) as error:
            raise UploadRefused(
                _(
                    "The JSON file is not a Trello board export (Board menu → Print, "
                    "export and share → Export as JSON)."
                )
            ) from error
    try:
        return sheet.read(data)
    except sheet.NotASheet as error:
        messages = {
            "not_xlsx": _("The file is not a readable Excel workbook (.xlsx)."),
            "no_header": _(
                "The first row of the first sheet has no “Task name” column; use the "
                "layout of the plan export."
            ),
            "too_many_rows": _("The sheet has more than %(limit)d rows."),
        }
        raise UploadRefused(messages[error.code] % error.params) from error


def too_large_message(size: int) -> str:
    return _("The file is %(size).1f MB; files up to %(limit)d MB can be imported.") % {
        "size": size / 1024 / 1024,
        "limit": max_upload_bytes() // 1024 // 1024,
    }


# --- checking ------------------------------------------------------------------------------------


def _match_people(plan: p.Plan, report: p.Report) -> dict[str, Any]:
    """Resource key -> active staff user with the same e-mail (or, failing that, the same
    user name); the others are reported dropped."""
    User = get_user_model()
    emails = {r.email.lower() for r in plan.resources if r.email}
    names = {r.name for r in plan.resources}
    wanted = Q(username__in=names)
    for email in emails:
        wanted |= Q(email__iexact=email)
    users = list(User.objects.filter(wanted, is_active=True, role__in=STAFF_ROLES))
    by_email = {u.email.lower(): u for u in users if u.email}
    by_name = {u.username: u for u in users}
    matched = {}
    for resource in plan.resources:
        user = by_email.get(resource.email.lower()) if resource.email else None
        user = user or by_name.get(resource.name)
        if user is None:
            report.dropped(
                "people",
                resource.element,
                "person_unmatched",
                name=resource.name,
                email=resource.email,
            )
        else:
            matched[resource.key] = user
            report.mapped("people")
    return matched


def _check_dates(plan: p.Plan, report: p.Report) -> None:
    for task in plan.tasks:
        for name in (
            "constraint_date",
            "actual_start",
            "actual_finish",
            "baseline_start",
            "baseline_finish",
        ):
            value = getattr(task, name)
            if value is not None and not FIRST_PLAN_DATE <= value <= LAST_PLAN_DATE:
                report.problem(
                    "date_range",
                    task.element,
                    field=name,
                    value=value.isoformat(),
                )


def summarise(plan: p.Plan, matched: dict[str, Any]) -> dict[str, Any]:
    """What the import will create, for the check page and the API."""
    return {
        "name": plan.name,
        "start": plan.start.isoformat() if plan.start else None,
        "tasks": len(plan.tasks),
        "summaries": len({i for i in p.parents(plan.tasks) if i is not None}),
        "milestones": sum(t.is_milestone for t in plan.tasks),
        "links": len(plan.links),
        "calendar_exceptions": len(plan.calendar.exceptions),
        "workdays": sorted(plan.calendar.workdays),
        "resources": len(plan.resources),
        "people_matched": len(matched),
        "assignments": sum(1 for a in plan.assignments if a.resource in matched),
        "baseline": plan.has_baseline,
        "preview": [
            {
                "element": t.element,
                "level": t.outline_level,
                "name": t.name,
                "duration": t.duration,
                "milestone": t.is_milestone,
            }
            for t in plan.tasks[:15]
        ],
    }


def check_upload(
    *,
    user: Any,
    data: bytes,
    filename: str,
    project: Project | None = None,
) -> ImportRun:
    """Read and check an upload for ``project`` (an existing project, which must have no
    tasks yet) or, with no project, for a new one; store and return the run. Raises
    ``UploadRefused`` (nothing stored) when the file cannot be read at all; a readable
    file with problems is stored as refused, with its report."""
    if len(data) > max_upload_bytes():
        raise UploadRefused(too_large_message(len(data)))
    if not data:
        raise UploadRefused(_("The file is empty."))
    source = sniff(data)
    plan, report = parse(source, data)
    _check_dates(plan, report)
    if project is not None and Task.objects.filter(project=project).exists():
        report.problem("project_not_empty")
    matched = _match_people(plan, report)
    return ImportRun.objects.create(
        user=user,
        project=project,
        creates_project=project is None,
        source=source,
        filename=filename[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        status=ImportRun.Status.CHECKED if report.ok else ImportRun.Status.REFUSED,
        report=report.as_dict(),
        summary=summarise(plan, matched),
        upload=data if report.ok else b"",
    )


# --- writing a plan ----------------------------------------------------------------------------


@dataclass
class WriteResult:
    tasks: int
    links: int
    assignments: int
    calendar_days: int
    members_added: int
    baseline: str
    statutory_holidays: bool
    finish: date | None
    dates_differ: int

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "finish": self.finish.isoformat() if self.finish else None,
        }


def _statutory_split(
    exceptions: list[p.CalendarException],
    workdays: frozenset[int],
) -> tuple[bool, list[p.CalendarException]]:
    """Whether the exceptions include every Chinese statutory holiday and make-up workday
    of the years they cover (as our own export writes them); then those are left to the
    statutory calendar and only the rest is returned."""
    if not exceptions:
        return False, exceptions
    years = sorted({e.day.year for e in exceptions})
    statutory = build_calendar(workdays, years, statutory=True).calendar
    off = {e.day for e in exceptions if not e.working}
    on = {e.day for e in exceptions if e.working}
    if not statutory.holidays or not statutory.holidays <= off:
        return False, exceptions
    if not statutory.extra_workdays <= on:
        return False, exceptions
    rest = [
        e
        for e in exceptions
        if not (
            (not e.working and e.day in statutory.holidays)
            or (e.working and e.day in statutory.extra_workdays)
        )
    ]
    return True, rest


def _status(task: p.PlanTask) -> str:
    if task.status in Task.Status.values:
        return task.status
    if task.percent_complete >= 100:
        return Task.Status.DONE
    if task.percent_complete > 0 or task.actual_start:
        return Task.Status.IN_PROGRESS
    return Task.Status.TODO


@transaction.atomic
def write_plan(
    project: Project,
    plan: p.Plan,
    *,
    user: Any,
    people: dict[str, Any] | None = None,
) -> WriteResult:
    """Write ``plan`` into ``project``, which has no tasks yet: calendar, tasks, links,
    assignments (``people``: resource key -> user; the people not on the team join it as
    members), baseline; then renumber and recompute. Everything or nothing: raises
    ``schedule.services.PlanError`` (and writes nothing) when the project already has
    tasks or the plan cannot be scheduled."""
    people = people or {}
    if Task.objects.filter(project=project).exists():
        raise schedule_services.PlanError(
            _(
                "The project already has tasks: a plan is imported into an empty project."
            )
        )
    settings_row = schedule_services.ensure_schedule(project)
    statutory, own = _statutory_split(plan.calendar.exceptions, plan.calendar.workdays)
    ProjectSchedule.objects.filter(pk=settings_row.pk).update(
        workdays=",".join(str(d) for d in sorted(plan.calendar.workdays))
        or "0,1,2,3,4",
        use_statutory_holidays=statutory,
        version=F("version") + 1,
    )
    CalendarDay.objects.filter(schedule=settings_row).delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                schedule=settings_row,
                day=e.day,
                kind=CalendarDay.Kind.WORKDAY
                if e.working
                else CalendarDay.Kind.HOLIDAY,
                name=e.name[:100],
            )
            for e in own
            if FIRST_PLAN_DATE <= e.day <= LAST_PLAN_DATE
        ],
        batch_size=BATCH,
    )
    if plan.start and not project.starts_on:
        Project.objects.filter(pk=project.pk).update(starts_on=plan.start)
        project.starts_on = plan.start
    parent_of = p.parents(plan.tasks)
    summaries = {i for i in parent_of if i is not None}
    first_owner: dict[str, Any] = {}
    for assignment in plan.assignments:
        if assignment.resource in people:
            first_owner.setdefault(assignment.task, people[assignment.resource])
    ids: dict[int, int] = {}
    positions: dict[int | None, int] = defaultdict(int)
    by_level: dict[int, list[int]] = defaultdict(list)
    depth: dict[int, int] = {}
    for index, parent in enumerate(parent_of):
        depth[index] = 0 if parent is None else depth[parent] + 1
        by_level[depth[index]].append(index)
    for level in sorted(by_level):
        rows = []
        for index in by_level[level]:
            task = plan.tasks[index]
            parent = parent_of[index]
            positions[parent] += 1
            owner = first_owner.get(task.key)
            rows.append(
                Task(
                    project=project,
                    parent_id=ids[parent] if parent is not None else None,
                    position=positions[parent],
                    name=task.name[: p.MAX_NAME],
                    description=task.notes,
                    owner=owner,
                    duration=0 if task.is_milestone else task.duration,
                    is_milestone=task.is_milestone and index not in summaries,
                    constraint=task.constraint,
                    constraint_date=task.constraint_date,
                    priority=task.priority,
                    status=_status(task),
                    percent_complete=task.percent_complete,
                    actual_start=task.actual_start,
                    actual_finish=task.actual_finish,
                )
            )
        created = Task.objects.bulk_create(rows, batch_size=BATCH)
        for index, row in zip(by_level[level], created, strict=True):
            ids[index] = row.pk
    key_ids = {task.key: ids[index] for index, task in enumerate(plan.tasks)}
    Dependency.objects.bulk_create(
        [
            Dependency(
                project=project,
                predecessor_id=key_ids[link.predecessor],
                successor_id=key_ids[link.successor],
                kind=link.kind,
                lag=link.lag,
            )
            for link in plan.links
        ],
        batch_size=BATCH,
    )
    members = set(
        Membership.objects.filter(project=project).values_list("user_id", flat=True)
    )
    joining = {u.pk: u for u in people.values() if u.pk not in members}
    Membership.objects.bulk_create(
        [
            Membership(project=project, user=u, role=ProjectRole.MEMBER)
            for u in joining.values()
        ]
    )
    hours: dict[tuple[int, int], Decimal] = {}
    for assignment in plan.assignments:
        user = people.get(assignment.resource)
        if user is None:
            continue
        pair = (key_ids[assignment.task], user.pk)
        hours[pair] = hours.get(pair, Decimal("0")) + assignment.hours
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                task_id=task_id, user_id=user_id, hours=min(value, Decimal("99999"))
            )
            for (task_id, user_id), value in hours.items()
        ],
        batch_size=BATCH,
    )
    schedule_services.renumber(project)
    result = schedule_services.recompute(project, actor=user)
    baseline_name = ""
    if plan.has_baseline:
        baseline_name = (plan.baseline_name or _("Imported baseline"))[:100]
        baseline = Baseline.objects.create(
            project=project,
            name=baseline_name,
            note=_("Imported from the plan file"),
            created_by=user if getattr(user, "pk", None) else None,
            finish=max(
                (t.baseline_finish for t in plan.tasks if t.baseline_finish),
                default=None,
            ),
        )
        BaselineTask.objects.bulk_create(
            [
                BaselineTask(
                    baseline=baseline,
                    task_id=ids[index],
                    start=task.baseline_start,
                    finish=task.baseline_finish,
                    duration=task.baseline_duration
                    if task.baseline_duration is not None
                    else task.duration,
                )
                for index, task in enumerate(plan.tasks)
                if task.baseline_start or task.baseline_finish
            ],
            batch_size=BATCH,
        )
    computed = dict(Task.objects.filter(project=project).values_list("id", "start"))
    differ = sum(
        1
        for index, task in enumerate(plan.tasks)
        if task.start
        and index not in summaries
        and computed.get(ids[index]) != task.start
    )
    return WriteResult(
        tasks=len(ids),
        links=len(plan.links),
        assignments=len(assignments),
        calendar_days=len(own),
        members_added=len(joining),
        baseline=baseline_name,
        statutory_holidays=statutory,
        finish=result.finish,
        dates_differ=differ,
    )


def confirm_run(
    run: ImportRun,
    *,
    user: Any,
    new_project: dict[str, Any] | None = None,
) -> ImportRun:
    """Import a checked run: into its project, or into a new project made from
    ``new_project`` (``client``, ``name``, optional ``code``). Everything or nothing: on a
    ``PlanError`` the run is marked failed with the reason and no project, task or link
    is left behind. Returns the run, imported or failed."""
    if not run.can_confirm:
        raise schedule_services.PlanError(
            _("This import was already confirmed or refused.")
        )
    plan, report = parse(run.source, bytes(run.upload))
    matched = _match_people(plan, report)
    try:
        with transaction.atomic():
            project = run.project
            if project is None:
                values = new_project or {}
                project = create_project(
                    Project(
                        name=(values.get("name") or plan.name or run.filename)[:200],
                        code=values.get("code", ""),
                        client=values["client"],
                        manager=user,
                        starts_on=values.get("starts_on") or plan.start,
                    ),
                    user=user,
                )
            result = write_plan(project, plan, user=user, people=matched)
            schedule_services.announce_assignments(
                Assignment.objects.filter(task__project=project).select_related("task"),
                actor=user,
            )
            ImportRun.objects.filter(pk=run.pk).update(
                project=project,
                status=ImportRun.Status.IMPORTED,
                result=result.as_dict(),
                finished_at=timezone.now(),
                upload=b"",
            )
    except schedule_services.PlanError as error:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED,
            result={"error": error.message},
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


# --- reading a project ---------------------------------------------------------------------------


def _tree_order(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """The task rows in tree order (each parent before its children, siblings by
    position), each with its outline level; from the parent links, not the WBS codes."""
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    ids = {row["id"] for row in rows}
    for row in rows:
        parent = row["parent_id"] if row["parent_id"] in ids else None
        children[parent].append(row)
    for siblings in children.values():
        siblings.sort(key=lambda row: (row["position"], row["id"]))
    ordered: list[tuple[dict[str, Any], int]] = []
    stack = [(row, 1) for row in reversed(children[None])]
    while stack:
        row, level = stack.pop()
        ordered.append((row, level))
        stack.extend((child, level + 1) for child in reversed(children[row["id"]]))
    return ordered


def plan_from_project(project: Project) -> p.Plan:
    """The project's plan as a ``plan.Plan``: tasks in WBS order with computed dates,
    links, calendar (the project's own exceptions and, when it keeps them, the statutory
    holidays and make-up workdays of the years the plan spans), the people assigned and
    the latest baseline. A few queries, whatever the size."""
    settings_row = schedule_services.ensure_schedule(project)
    rows = list(
        Task.objects.filter(project=project).values(
            "id",
            "parent_id",
            "position",
            "wbs",
            "name",
            "description",
            "duration",
            "is_milestone",
            "is_summary",
            "constraint",
            "constraint_date",
            "priority",
            "percent_complete",
            "actual_start",
            "actual_finish",
            "start",
            "finish",
        )
    )
    baseline = Baseline.objects.filter(project=project).first()
    baseline_rows: dict[int, dict[str, Any]] = (
        {
            row["task_id"]: dict(row)
            for row in BaselineTask.objects.filter(baseline=baseline).values(
                "task_id", "start", "finish", "duration"
            )
        }
        if baseline
        else {}
    )
    ordered = _tree_order(rows)
    tasks = []
    for row, level in ordered:
        base: dict[str, Any] = baseline_rows.get(row["id"], {})
        tasks.append(
            p.PlanTask(
                key=str(row["id"]),
                name=row["name"],
                outline_level=level,
                duration=0 if row["is_milestone"] else row["duration"],
                is_milestone=row["is_milestone"],
                constraint=row["constraint"],
                constraint_date=row["constraint_date"],
                percent_complete=row["percent_complete"],
                actual_start=row["actual_start"],
                actual_finish=row["actual_finish"],
                start=row["start"],
                finish=row["finish"],
                baseline_start=base.get("start"),
                baseline_finish=base.get("finish"),
                baseline_duration=base.get("duration"),
                notes=row["description"],
                priority=row["priority"],
                element=row["wbs"],
            )
        )
    links = [
        p.Link(str(pred), str(succ), kind, lag)
        for pred, succ, kind, lag in Dependency.objects.within(project.pk)
        .filter(project=project)
        .order_by("id")
        .values_list("predecessor_id", "successor_id", "kind", "lag")
    ]
    years = {d.year for row in rows for d in (row["start"], row["finish"]) if d}
    if project.starts_on:
        years.add(project.starts_on.year)
    own = list(
        CalendarDay.objects.filter(schedule=settings_row).values_list(
            "day", "kind", "name"
        )
    )
    exceptions: dict[date, p.CalendarException] = {}
    if settings_row.use_statutory_holidays and years:
        info = build_calendar(
            settings_row.weekday_numbers, range(min(years), max(years) + 1)
        ).calendar
        for day in info.holidays:
            exceptions[day] = p.CalendarException(day, False)
        for day in info.extra_workdays:
            exceptions[day] = p.CalendarException(day, True)
    for day, kind, name in own:
        exceptions[day] = p.CalendarException(
            day, kind == CalendarDay.Kind.WORKDAY, name
        )
    assignment_rows = list(
        Assignment.objects.filter(task__project=project)
        .order_by("id")
        .values_list(
            "task_id",
            "user_id",
            "hours",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__email",
        )
    )
    resources: dict[int, p.Resource] = {}
    for _task, user_id, _hours, username, first, last, email in assignment_rows:
        if user_id not in resources:
            full = f"{last}{first}".strip() or username
            resources[user_id] = p.Resource(str(user_id), full, email or "")
    return p.Plan(
        name=project.name,
        start=project.starts_on,
        tasks=tasks,
        links=links,
        calendar=p.Calendar(
            name=_("Project calendar"),
            workdays=settings_row.weekday_numbers or frozenset({0, 1, 2, 3, 4}),
            exceptions=sorted(exceptions.values(), key=lambda e: e.day),
        ),
        resources=list(resources.values()),
        assignments=[
            p.Assignment(str(task_id), str(user_id), hours)
            for task_id, user_id, hours, *_rest in assignment_rows
        ],
        baseline_name=baseline.name if baseline else "",
    )
