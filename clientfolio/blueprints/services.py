"""Every write to project templates, and starting a project from one.

``save_project_as_template`` reads a project's shape (WBS, durations, links, milestones,
folders, risks, quality standards, deliverables, roles; never people, dates or progress)
into a template document; ``start_project`` creates a project from a template's latest
revision in one transaction, its dates computed by ``schedule.services.recompute`` on the
project's working calendar.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from clientfolio.blueprints import structure
from clientfolio.blueprints.models import (
    ProjectOrigin,
    ProjectTemplate,
    TemplateRevision,
)
from clientfolio.clients.models import Client
from clientfolio.core.locking import save_versioned
from clientfolio.core.models import User
from clientfolio.documents.models import Folder, FolderTemplate
from clientfolio.projects import services as project_services
from clientfolio.projects.models import Membership, Project, ProjectRole
from clientfolio.quality import services as quality_services
from clientfolio.quality.models import Deliverable, QualityStandard
from clientfolio.risks import services as risk_services
from clientfolio.risks.models import Risk
from clientfolio.schedule import services as schedule_services
from clientfolio.schedule.models import Dependency, Task

__all__ = [
    "CALENDARS",
    "StartResult",
    "TemplateError",
    "add_revision",
    "create_template",
    "delete_template",
    "export_document",
    "import_document",
    "language_code",
    "save_project_as_template",
    "snapshot",
    "start_project",
    "structure_message",
    "update_template",
]


class TemplateError(ValueError):
    """Input a template or a start cannot take; nothing saved. ``field`` names the form
    field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Working calendars a new project can start on: key -> (weekdays, Chinese holidays).
CALENDARS: dict[str, tuple[str, bool]] = {
    "cn": ("0,1,2,3,4", True),
    "cn6": ("0,1,2,3,4,5", True),
    "plain": ("0,1,2,3,4", False),
    "all": ("0,1,2,3,4,5,6", False),
}


def calendar_choices() -> list[tuple[str, str]]:
    return [
        ("cn", _("Monday–Friday, Chinese statutory holidays and make-up workdays")),
        ("cn6", _("Monday–Saturday, Chinese statutory holidays and make-up workdays")),
        ("plain", _("Monday–Friday, no public holidays")),
        ("all", _("Every day")),
    ]


def language_code(language: str | None = None) -> str:
    """``"zh"`` or ``"en"`` for a Django language code (the active one by default)."""
    language = language or get_language() or "en"
    return "zh" if language.lower().startswith("zh") else "en"


def _cycle_path(params: dict[str, Any]) -> str:
    """The loop by task names ("设计 (a) → 开发 (b) → 设计 (a)")."""
    names = params.get("names", {})
    language = language_code()
    return " → ".join(
        f"{structure.text(names.get(ref), language)} ({ref})"
        if names.get(ref)
        else str(ref)
        for ref in params.get("cycle", ())
    )


def structure_message(error: structure.StructureError) -> str:
    """The user's words for a ``StructureError``, naming where it is."""
    params = error.params
    messages = {
        "cycle": _("The template's links form a cycle: %(path)s.")
        % {"path": _cycle_path(params)},
        "unknown_ref": _("The link names a task that is not in the template: %(ref)s.")
        % {"ref": params.get("ref", "")},
        "unknown_parent": _(
            "The parent %(ref)s is not in the template, or comes after its child."
        )
        % {"ref": params.get("ref", "")},
        "duplicate_ref": _("Two items have the same ref %(ref)s.")
        % {"ref": params.get("ref", "")},
        "summary_link": _(
            "Link the tasks inside a summary task, not the summary task itself (%(ref)s)."
        )
        % {"ref": params.get("ref", "")},
        "self_link": _("A task cannot depend on itself (%(ref)s).")
        % {"ref": params.get("ref", "")},
        "duplicate_link": _("These tasks are linked twice: %(ref)s → %(to)s.")
        % {"ref": params.get("ref", ""), "to": params.get("to", "")},
        "not_milestone": _("The deliverable's milestone %(ref)s is not a milestone.")
        % {"ref": params.get("ref", "")},
        "milestone_duration": _("A milestone has no duration."),
        "summary_milestone": _("A summary task cannot be a milestone (%(ref)s).")
        % {"ref": params.get("ref", "")},
        "required": _("This text is required."),
        "too_long": _("This text is longer than %(limit)s characters.")
        % {"limit": params.get("limit", "")},
        "too_many": _("More than %(limit)s items.")
        % {"limit": params.get("limit", "")},
        "too_deep": _("The tree is deeper than %(limit)s levels.")
        % {"limit": params.get("limit", "")},
        "out_of_range": _("Give a whole number from %(low)s to %(high)s.")
        % {"low": params.get("low", ""), "high": params.get("high", "")},
        "bad_choice": _("Choose one of: %(choices)s.")
        % {"choices": params.get("choices", "")},
        "bad_schema": _("Only template documents of schema %(expected)s are read.")
        % {"expected": params.get("expected", "")},
    }
    message = messages.get(
        error.code, _("This value does not fit the template format.")
    )
    if error.path:
        return _("%(path)s: %(message)s") % {"path": error.path, "message": message}
    return message


def _validated(content: Any) -> structure.Structure:
    try:
        return structure.validate(content)
    except structure.StructureError as error:
        raise TemplateError(structure_message(error), "content") from error


# --- templates ------------------------------------------------------------------------------


def _names(name_zh: str, name_en: str) -> tuple[str, str]:
    name_zh, name_en = (name_zh or "").strip()[:200], (name_en or "").strip()[:200]
    if not name_zh and not name_en:
        raise TemplateError(_("Give the template a name."), "name")
    return name_zh, name_en


def _count(template: ProjectTemplate, checked: structure.Structure) -> None:
    template.task_count = len(checked.tasks)
    template.milestone_count = len(checked.milestones)
    template.working_days = checked.leaf_days


@transaction.atomic
def add_revision(
    template: ProjectTemplate, content: Any, *, user: Any = None, note: str = ""
) -> TemplateRevision:
    """Save ``content`` as the template's next version (after validating it)."""
    checked = _validated(content)
    template = ProjectTemplate.objects.select_for_update().get(pk=template.pk)
    last = template.revisions.order_by("-number").values_list("number", flat=True)
    revision = TemplateRevision.objects.create(
        template=template,
        number=(last.first() or 0) + 1,
        content=checked.as_document(),
        note=note[:300],
        created_by=user if getattr(user, "pk", None) else None,
    )
    _count(template, checked)
    ProjectTemplate.objects.filter(pk=template.pk).update(
        task_count=template.task_count,
        milestone_count=template.milestone_count,
        working_days=template.working_days,
    )
    return revision


@transaction.atomic
def create_template(
    *,
    user: Any,
    content: Any,
    name_zh: str = "",
    name_en: str = "",
    description_zh: str = "",
    description_en: str = "",
    source_project: Project | None = None,
    note: str = "",
) -> ProjectTemplate:
    """A new template with ``content`` as its version 1. Raises ``TemplateError`` for a
    missing name or content that does not follow the schema (a link cycle included)."""
    name_zh, name_en = _names(name_zh, name_en)
    checked = _validated(content)
    template = ProjectTemplate(
        name_zh=name_zh,
        name_en=name_en,
        description_zh=description_zh.strip()[:5000],
        description_en=description_en.strip()[:5000],
        source_project=source_project,
        created_by=user if getattr(user, "pk", None) else None,
    )
    _count(template, checked)
    template.save()
    TemplateRevision.objects.create(
        template=template,
        number=1,
        content=checked.as_document(),
        note=note[:300],
        created_by=template.created_by,
    )
    return template


@transaction.atomic
def update_template(
    template: ProjectTemplate, expected_version: int | None
) -> ProjectTemplate:
    """Save the template's names and descriptions (``StaleVersion`` if someone saved it
    since ``expected_version``)."""
    template.name_zh, template.name_en = _names(template.name_zh, template.name_en)
    return save_versioned(
        template,
        expected_version,
        fields=["name_zh", "name_en", "description_zh", "description_en"],
    )


def delete_template(template: ProjectTemplate) -> None:
    """Delete a template and its versions; projects started from it keep their origin
    record (without the template)."""
    template.delete()


def latest_revision(template: ProjectTemplate) -> TemplateRevision:
    revision = template.revisions.order_by("-number").first()
    if revision is None:
        raise TemplateError(_("This template has no content."), "template")
    return revision


def export_document(template: ProjectTemplate) -> dict[str, Any]:
    """The template's latest version with its names and descriptions: a file another
    installation imports with ``import_document``."""
    return {
        **latest_revision(template).content,
        "name": {"zh": template.name_zh, "en": template.name_en},
        "description": {"zh": template.description_zh, "en": template.description_en},
    }


def import_document(document: dict[str, Any], *, user: Any) -> ProjectTemplate:
    """A new template from an exported file (names and descriptions taken from it).
    Raises ``TemplateError`` as ``create_template`` does."""
    content = dict(document)
    names = content.pop("name", None) or {}
    descriptions = content.pop("description", None) or {}
    if not isinstance(names, dict) or not isinstance(descriptions, dict):
        raise TemplateError(_("The file is not a template document."), "file")
    return create_template(
        user=user,
        content=content,
        name_zh=str(names.get("zh") or ""),
        name_en=str(names.get("en") or ""),
        description_zh=str(descriptions.get("zh") or ""),
        description_en=str(descriptions.get("en") or ""),
        note=_("Imported from a file"),
    )


# --- reading a project ---------------------------------------------------------------------


def _said(value: str, language: str) -> dict[str, str]:
    # A task's description may be longer than a template keeps: cut, not refused.
    value = (value or "").strip()[: structure.LIMITS["long_text"]]
    return {language: value} if value else {}


def snapshot(project: Project, language: str) -> dict[str, Any]:
    """The shape of ``project`` as a template document, its texts under ``language``
    ("zh" or "en"): the task tree with durations (working days; a summary task's comes
    from its tasks), links with type and lag, milestones with acceptance criteria and
    client visibility, the document folders, the risks (without owners, dates or
    status), quality standards, deliverables with acceptance criteria, and the team's
    roles without the people. A constant number of queries."""
    tasks = list(
        Task.objects.filter(project=project)
        .order_by("wbs_sort", "id")
        .values(
            "id",
            "parent_id",
            "name",
            "description",
            "duration",
            "is_milestone",
            "acceptance_criteria",
            "is_client_visible",
        )
    )
    parents = {t["parent_id"] for t in tasks if t["parent_id"]}
    ref = {t["id"]: f"t{index}" for index, t in enumerate(tasks, start=1)}
    # wbs_sort puts parents before children; a task whose parent sorts after it (stale
    # codes) is kept at the top level rather than dropped.
    seen: set[int] = set()
    document_tasks = []
    for task in tasks:
        parent = task["parent_id"] if task["parent_id"] in seen else None
        seen.add(task["id"])
        is_milestone = task["is_milestone"] and task["id"] not in parents
        document_tasks.append(
            {
                "ref": ref[task["id"]],
                "parent": ref[parent] if parent else None,
                "name": _said(task["name"], language) or {language: "—"},
                "duration": 0 if is_milestone else max(task["duration"], 0),
                "milestone": is_milestone,
                "acceptance": _said(task["acceptance_criteria"], language),
                "client_visible": task["is_client_visible"],
                "description": _said(task["description"], language),
            }
        )
    links = [
        {"from": ref[p], "to": ref[s], "type": kind, "lag": lag}
        for p, s, kind, lag in Dependency.objects.within(project.pk)
        .order_by("id")
        .values_list("predecessor_id", "successor_id", "kind", "lag")
        if p in ref and s in ref and p not in parents and s not in parents
    ]
    folders = list(
        Folder.objects.filter(project=project)
        .select_related("template")
        .order_by("parent_id", "position", "id")
    )
    folder_ref = {f.pk: f"f{index}" for index, f in enumerate(folders, start=1)}
    document_folders = []
    placed: set[int] = set()
    pending = list(folders)
    # Parents first, whatever their ids.
    while pending:
        rest = []
        for folder in pending:
            if folder.parent_id is None or folder.parent_id in placed:
                if folder.template_id and not folder.name:
                    name = {
                        "zh": folder.template.name_zh,
                        "en": folder.template.name_en,
                    }
                else:
                    name = _said(folder.name, language) or {language: "—"}
                document_folders.append(
                    {
                        "ref": folder_ref[folder.pk],
                        "parent": folder_ref.get(folder.parent_id),
                        "name": name,
                    }
                )
                placed.add(folder.pk)
            else:
                rest.append(folder)
        if len(rest) == len(pending):
            break
        pending = rest
    risks = [
        {
            "title": _said(r["title"], language),
            "description": _said(r["description"], language),
            "category": r["category"],
            "probability": r["probability"],
            "impact": r["impact"],
            "strategy": r["strategy"],
            "response": _said(r["response_plan"], language),
            "contingency": _said(r["contingency_plan"], language),
            "trigger": _said(r["trigger"], language),
        }
        for r in Risk.objects.filter(project=project)
        .order_by("id")
        .values(
            "title",
            "description",
            "category",
            "probability",
            "impact",
            "strategy",
            "response_plan",
            "contingency_plan",
            "trigger",
        )
        if r["title"].strip()
    ]
    standards = [
        {
            "category": s["category"],
            "title": _said(s["title"], language),
            "description": _said(s["description"], language),
            "target": _said(s["target"], language),
        }
        for s in QualityStandard.objects.filter(project=project)
        .order_by("category", "id")
        .values("category", "title", "description", "target")
        if s["title"].strip()
    ]
    milestone_refs = {t["ref"] for t in document_tasks if t["milestone"]}
    deliverables = []
    for d in (
        Deliverable.objects.filter(project=project)
        .order_by("id")
        .values("name", "description", "acceptance_criteria", "milestone_id")
    ):
        if not d["name"].strip():
            continue
        milestone = ref.get(d["milestone_id"])
        deliverables.append(
            {
                "name": _said(d["name"], language),
                "description": _said(d["description"], language),
                "acceptance": _said(d["acceptance_criteria"], language),
                "milestone": milestone if milestone in milestone_refs else None,
            }
        )
    labels = dict(ProjectRole.choices)
    roles = []
    for role, responsibilities in (
        Membership.objects.filter(project=project)
        .order_by("role", "id")
        .values_list("role", "responsibilities")
    ):
        duty = (responsibilities or "").strip()
        first_line = duty.splitlines()[0][:100] if duty else ""
        roles.append(
            {
                "role": role,
                "name": {language: first_line or str(labels.get(role, role))},
                "responsibilities": _said(duty, language),
            }
        )
    return {
        "schema": structure.SCHEMA_VERSION,
        "tasks": document_tasks,
        "links": links,
        "folders": document_folders,
        "risks": risks,
        "standards": standards,
        "deliverables": deliverables,
        "roles": roles,
    }


def save_project_as_template(
    project: Project,
    *,
    user: Any,
    name: str,
    description: str = "",
    template: ProjectTemplate | None = None,
    language: str | None = None,
) -> ProjectTemplate:
    """Save the shape of ``project`` as a new template named ``name`` (in the saver's
    ``language``), or as the next version of ``template``."""
    language = language_code(language)
    content = snapshot(project, language)
    note = _("Saved from %(project)s") % {"project": project.code}
    if template is not None:
        add_revision(template, content, user=user, note=note)
        template.refresh_from_db()
        return template
    names = {"name_zh": "", "name_en": ""}
    names[f"name_{language}"] = name
    descriptions = {"description_zh": "", "description_en": ""}
    descriptions[f"description_{language}"] = description
    return create_template(
        user=user,
        content=content,
        source_project=project,
        note=note,
        **names,
        **descriptions,
    )


# --- starting a project --------------------------------------------------------------------


@dataclass(frozen=True)
class StartResult:
    """The project started, the day it starts on (``moved`` when the day asked for was
    not a working day) and the roles it has to staff, in its language."""

    project: Project
    requested_start: date
    start: date
    finish: date | None
    roles: tuple[str, ...]

    @property
    def moved(self) -> bool:
        return self.start != self.requested_start


def _folder_templates() -> dict[str, FolderTemplate]:
    """The firm's default folders by either name, so that a template folder of the
    same name becomes that folder (minutes and acceptance documents are filed there)."""
    names: dict[str, FolderTemplate] = {}
    for folder in FolderTemplate.objects.all():
        names.setdefault(folder.name_zh.strip().lower(), folder)
        names.setdefault(folder.name_en.strip().lower(), folder)
    return names


def _create_folders(
    project: Project, checked: structure.Structure, language: str
) -> None:
    defaults = _folder_templates()
    used: set[int] = set()
    created: dict[str, Folder] = {}
    positions: dict[str | None, int] = defaultdict(int)
    for item in checked.folders:
        parent = created.get(item["parent"]) if item["parent"] else None
        positions[item["parent"]] += 1
        match = None
        if item["parent"] is None:
            for value in item["name"].values():
                candidate = defaults.get(value.strip().lower())
                if candidate is not None and candidate.pk not in used:
                    match = candidate
                    break
        if match is not None:
            used.add(match.pk)
            folder = Folder.objects.create(
                project=project, template=match, position=positions[item["parent"]]
            )
        else:
            folder = Folder.objects.create(
                project=project,
                parent=parent,
                name=structure.text(item["name"], language)[:100],
                position=positions[item["parent"]],
            )
        created[item["ref"]] = folder


@transaction.atomic
def start_project(
    template: ProjectTemplate,
    *,
    user: User,
    client: Client,
    name: str,
    manager: User,
    starts_on: date,
    calendar: str = "cn",
    code: str = "",
    language: str | None = None,
) -> StartResult:
    """Create a project for ``client`` from the template's latest version, in one
    transaction: the project (its manager on the team), its working calendar, the task
    tree with links and milestones, dates computed from ``starts_on`` by the schedule
    engine, the document folders, the risk checklist (risks rated, without owners),
    quality standards, deliverables tied to their milestones and due on them. Texts are
    taken in ``language`` ("zh" or "en"; the other language where a text has only that).

    A ``starts_on`` that is not a working day of the calendar moves to the next working
    day (``StartResult.moved``). Raises ``TemplateError`` (nothing created) for a missing
    name, an unknown calendar or content that does not follow the schema, and
    ``projects.services.CodeTaken`` for a code in use.
    """
    language = language_code(language)
    if not (name or "").strip():
        raise TemplateError(_("Give the project a name."), "name")
    if calendar not in CALENDARS:
        raise TemplateError(_("Choose a calendar from the list."), "calendar")
    revision = latest_revision(template)
    checked = _validated(revision.content)
    workdays, statutory = CALENDARS[calendar]
    project = Project(
        code=(code or "").strip(),
        name=name.strip()[:200],
        client=client,
        manager=manager,
        starts_on=starts_on,
        status=Project.Status.PROPOSED,
        phase=Project.Phase.PLANNING,
    )
    project.full_clean(exclude=["code"], validate_unique=False)
    project_services.create_project(project, user=user)
    settings_row = schedule_services.ensure_schedule(project)
    settings_row.workdays = workdays
    settings_row.use_statutory_holidays = statutory
    settings_row.save()
    info = schedule_services.calendar_for(project, settings_row)
    first_day = structure.first_working_day(info.calendar, starts_on)
    if first_day != starts_on:
        Project.objects.filter(pk=project.pk).update(starts_on=first_day)
        project.starts_on = first_day

    planned = structure.plan(checked, language)
    by_ref = {t["ref"]: t for t in checked.tasks}
    tasks: dict[str, Task] = {}
    # One bulk insert per tree level: a child needs its parent's id.
    levels: dict[int, list[structure.PlannedTask]] = defaultdict(list)
    for item in planned:
        levels[item.wbs.count(".")].append(item)
    for depth in sorted(levels):
        rows = []
        for item in levels[depth]:
            source = by_ref[item.ref]
            rows.append(
                Task(
                    project=project,
                    parent=tasks[item.parent] if item.parent else None,
                    position=item.position,
                    name=item.name[:300] or "—",
                    description=structure.text(source["description"], language),
                    duration=item.duration,
                    is_milestone=item.is_milestone,
                    acceptance_criteria=structure.text(source["acceptance"], language),
                    is_client_visible=source["client_visible"],
                )
            )
        for item, task in zip(
            levels[depth], bulk_create_with_history(rows, Task), strict=True
        ):
            tasks[item.ref] = task
    bulk_create_with_history(
        [
            Dependency(
                project=project,
                predecessor=tasks[link["from"]],
                successor=tasks[link["to"]],
                kind=link["type"],
                lag=link["lag"],
            )
            for link in checked.links
        ],
        Dependency,
    )
    schedule_services.renumber(project)
    try:
        result = schedule_services.recompute(project, actor=user)
    except schedule_services.PlanError as error:
        raise TemplateError(error.message, "starts_on") from error
    if result.finish and result.finish >= first_day:
        Project.objects.filter(pk=project.pk).update(planned_finish_on=result.finish)
        project.planned_finish_on = result.finish

    _create_folders(project, checked, language)
    for risk in checked.risks:
        risk_services.create_risk(
            Risk(
                project=project,
                title=structure.text(risk["title"], language)[:200],
                description=structure.text(risk["description"], language),
                category=risk["category"],
                probability=risk["probability"],
                impact=risk["impact"],
                strategy=risk["strategy"],
                response_plan=structure.text(risk["response"], language),
                contingency_plan=structure.text(risk["contingency"], language),
                trigger=structure.text(risk["trigger"], language)[:500],
            ),
            user=user,
            note=_("From the template %(name)s") % {"name": template.label},
        )
    for standard in checked.standards:
        quality_services.save_standard(
            QualityStandard(
                project=project,
                category=standard["category"],
                title=structure.text(standard["title"], language)[:200],
                description=structure.text(standard["description"], language),
                target=structure.text(standard["target"], language)[:200],
            )
        )
    finishes = dict(
        Task.objects.filter(pk__in=[t.pk for t in tasks.values()]).values_list(
            "id", "finish"
        )
    )
    for deliverable in checked.deliverables:
        milestone = (
            tasks.get(deliverable["milestone"]) if deliverable["milestone"] else None
        )
        quality_services.save_deliverable(
            Deliverable(
                project=project,
                milestone=milestone,
                name=structure.text(deliverable["name"], language)[:200],
                description=structure.text(deliverable["description"], language),
                acceptance_criteria=structure.text(deliverable["acceptance"], language),
                due_on=finishes.get(milestone.pk) if milestone else None,
            )
        )
    roles = tuple(
        structure.text(role["name"], language)
        for role in checked.roles
        if role["role"] != ProjectRole.MANAGER
    )
    ProjectOrigin.objects.create(
        project=project,
        template=template,
        revision_number=revision.number,
        language=language,
        requested_start=starts_on,
        roles=[
            {
                "role": role["role"],
                "name": structure.text(role["name"], language),
                "responsibilities": structure.text(role["responsibilities"], language),
            }
            for role in checked.roles
        ],
        created_by=user,
    )
    return StartResult(
        project=project,
        requested_start=starts_on,
        start=first_day,
        finish=result.finish,
        roles=roles,
    )
