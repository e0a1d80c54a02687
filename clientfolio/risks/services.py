"""Every write to the risk register and the issue log.

Pages, the API, demo data and other apps (quality opens issues through ``open_issue``) all
go through these functions. Each checks what a form cannot see on its own (the owner is on
the project's team, linked tasks belong to the project, ratings are on the scale) and raises
``RiskError`` with a translated message and nothing saved.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.core import events
from clientfolio.core.locking import save_versioned
from clientfolio.core.relations import visible_ids
from clientfolio.projects.models import Membership, Project
from clientfolio.risks import scoring
from clientfolio.risks.models import Issue, Risk, RiskAssessment, RiskSettings
from clientfolio.schedule.models import Task

__all__ = [
    "RiskError",
    "create_risk",
    "default_thresholds",
    "delete_issue",
    "delete_risk",
    "level_case",
    "open_issue",
    "overdue_reviews",
    "reassess",
    "save_thresholds",
    "thresholds_for",
    "update_issue",
    "update_risk",
]

RISK_FIELDS = [
    "title",
    "description",
    "category",
    "probability",
    "impact",
    "score",
    "level",
    "strategy",
    "response_plan",
    "contingency_plan",
    "trigger",
    "owner",
    "review_on",
    "status",
]


class RiskError(ValidationError):
    """Refused input: a translated message and the field it concerns (if any); nothing saved.

    A ``ValidationError`` so forms and the API can report it like any other; ``field`` and
    ``text`` are kept for callers that place the message themselves.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__({field: [message]} if field else message)
        self.field = field
        self.text = message


# --- thresholds ------------------------------------------------------------------------------


def default_thresholds() -> scoring.Thresholds:
    """The firm's default levels: ``CLIENTFOLIO_RISK_THRESHOLDS`` or (4, 9, 16)."""
    value = getattr(settings, "CLIENTFOLIO_RISK_THRESHOLDS", None)
    if not value:
        return scoring.DEFAULT_THRESHOLDS
    return scoring.check_thresholds(*value)


def thresholds_for(project: Project) -> scoring.Thresholds:
    """The project's thresholds (its own settings, else the default)."""
    row = RiskSettings.objects.filter(project=project).first()
    return row.thresholds if row else default_thresholds()


def _checked_thresholds(low: Any, medium: Any, high: Any) -> scoring.Thresholds:
    try:
        return scoring.check_thresholds(low, medium, high)
    except scoring.ScoringError as error:
        if error.code == "order":
            raise RiskError(
                _("The thresholds must rise: low < medium < high."), "medium_max"
            ) from error
        raise RiskError(
            _("Each threshold is a score from 1 to 24."), "low_max"
        ) from error


def level_case(thresholds: scoring.Thresholds) -> Case:
    """A database expression giving the level of ``score`` under ``thresholds``."""
    return Case(
        When(score__lte=thresholds.low, then=Value(scoring.LOW)),
        When(score__lte=thresholds.medium, then=Value(scoring.MEDIUM)),
        When(score__lte=thresholds.high, then=Value(scoring.HIGH)),
        default=Value(scoring.CRITICAL),
        output_field=CharField(),
    )


@transaction.atomic
def save_thresholds(
    project: Project,
    low: Any,
    medium: Any,
    high: Any,
    expected_version: int | None = None,
) -> RiskSettings:
    """Set the project's thresholds and re-level its risks (one UPDATE)."""
    thresholds = _checked_thresholds(low, medium, high)
    row, created = RiskSettings.objects.get_or_create(
        project=project,
        defaults={
            "low_max": thresholds.low,
            "medium_max": thresholds.medium,
            "high_max": thresholds.high,
        },
    )
    if not created:
        row.low_max, row.medium_max, row.high_max = thresholds.as_tuple()
        save_versioned(row, expected_version)
    Risk.objects.filter(project=project).update(level=level_case(thresholds))
    return row


# --- risks -----------------------------------------------------------------------------------


def _rating(value: Any, field: str) -> int:
    try:
        return scoring.check_rating(value)
    except scoring.ScoringError as error:
        raise RiskError(_("Choose a rating from 1 to 5."), field) from error


def _on_team(project: Project, user: Any) -> bool:
    if user is None:
        return True
    if project.manager_id == user.pk:
        return True
    return Membership.objects.filter(project=project, user_id=user.pk).exists()


def _check_owner(project: Project, owner: Any) -> None:
    if not _on_team(project, owner):
        raise RiskError(_("The owner must be on the project team."), "owner")


def _check_tasks(project: Project, tasks: Iterable[Task]) -> list[Task]:
    tasks = list(tasks)
    if any(task.project_id != project.pk for task in tasks):
        raise RiskError(_("Linked tasks must belong to this project."), "tasks")
    return tasks


def _replaced_links(risk: Risk, chosen: Iterable[Task], user: Any) -> list[Task]:
    """The tasks ``risk`` links to once ``user`` replaced the links they can see with
    ``chosen``. A link to a task the user cannot see (it moved to, or was linked from, a
    project they are not on) is kept: they could neither see nor choose it. A task
    already linked may stay whatever its project; a newly linked one must be of the
    risk's project."""
    chosen = list(chosen)
    current = list(risk.tasks.all()) if risk.pk else []
    current_ids = {task.pk for task in current}
    seen = visible_ids(user, Task, current_ids) if user is not None else current_ids
    _check_tasks(risk.project, [task for task in chosen if task.pk not in current_ids])
    picked = {task.pk for task in chosen}
    return chosen + [
        task for task in current if task.pk not in seen and task.pk not in picked
    ]


def _rate(risk: Risk, thresholds: scoring.Thresholds | None = None) -> None:
    risk.probability = _rating(risk.probability, "probability")
    risk.impact = _rating(risk.impact, "impact")
    risk.score = scoring.score(risk.probability, risk.impact)
    risk.level = scoring.level(risk.score, thresholds or thresholds_for(risk.project))


def _record(risk: Risk, user: Any, note: str = "") -> RiskAssessment:
    return RiskAssessment.objects.create(
        risk=risk,
        probability=risk.probability,
        impact=risk.impact,
        score=risk.score,
        assessed_by=user if getattr(user, "pk", None) else None,
        note=note[:1000],
    )


@transaction.atomic
def create_risk(
    risk: Risk, *, user: Any, tasks: Iterable[Task] = (), note: str = ""
) -> Risk:
    """Register a risk with its first assessment and its linked tasks."""
    _rate(risk)
    _check_owner(risk.project, risk.owner)
    linked = _check_tasks(risk.project, tasks)
    risk.save()
    if linked:
        risk.tasks.set(linked)
    _record(risk, user, note)
    return risk


@transaction.atomic
def update_risk(
    risk: Risk,
    expected_version: int | None,
    *,
    user: Any,
    tasks: Iterable[Task] | None = None,
    note: str = "",
) -> Risk:
    """Save edits if nobody saved the risk since ``expected_version`` (else
    ``StaleVersion``); a changed rating is kept as a new assessment, and one that raises
    the level tells the owner (``risk.level_rose``). ``tasks`` replaces the linked tasks
    ``user`` can see (the others stay linked; see ``_replaced_links``)."""
    _rate(risk)
    _check_owner(risk.project, risk.owner)
    linked = None if tasks is None else _replaced_links(risk, tasks, user)
    probability, impact, level = Risk.objects.filter(pk=risk.pk).values_list(
        "probability", "impact", "level"
    ).first() or (None, None, None)
    save_versioned(risk, expected_version, fields=RISK_FIELDS)
    if linked is not None:
        risk.tasks.set(linked)
    if (probability, impact) != (risk.probability, risk.impact) or note:
        _record(risk, user, note)
        _announce_rise(risk, level, user)
    return risk


def _announce_rise(risk: Risk, old_level: str | None, user: Any) -> None:
    """Publish ``risk.level_rose`` when an assessment put the risk on a higher level."""
    if old_level not in scoring.LEVELS or risk.level not in scoring.LEVELS:
        return
    if scoring.LEVELS.index(risk.level) <= scoring.LEVELS.index(old_level):
        return
    events.publish(
        events.Kind.RISK_LEVEL_ROSE,
        risk,
        actor=user if getattr(user, "pk", None) else None,
        recipients=[risk.owner_id],
        project=risk.project_id,
        data={"title": str(risk), "old_level": old_level, "new_level": risk.level},
    )


@transaction.atomic
def reassess(
    risk: Risk,
    probability: Any,
    impact: Any,
    *,
    user: Any,
    note: str = "",
    expected_version: int | None = None,
) -> RiskAssessment:
    """Rate the risk again: always kept as an assessment, even when nothing moved. A
    higher level tells the owner (``risk.level_rose``)."""
    risk.probability = _rating(probability, "probability")
    risk.impact = _rating(impact, "impact")
    _rate(risk)
    old_level = Risk.objects.filter(pk=risk.pk).values_list("level", flat=True).first()
    save_versioned(
        risk, expected_version, fields=["probability", "impact", "score", "level"]
    )
    _announce_rise(risk, old_level, user)
    return _record(risk, user, note)


def delete_risk(risk: Risk) -> None:
    """Delete a risk with its assessments; issues it caused stay, unlinked."""
    risk.delete()


# --- issues ----------------------------------------------------------------------------------


def _choice(value: str, choices: Any, field: str, message: str) -> str:
    if value not in choices.values:
        raise RiskError(message, field)
    return value


@transaction.atomic
def open_issue(
    project: Project,
    *,
    title: str,
    description: str = "",
    severity: str = "medium",
    owner: Any = None,
    due_on: date | None = None,
    user: Any,
    source_risk: Risk | None = None,
) -> Issue:
    """Open an entry in the project's issue log (问题日志).

    Other apps call this (quality opens an issue for a failed acceptance). Raises
    ``RiskError`` (a ``ValidationError``) with a translated message on bad input: an empty
    title, an unknown severity, an owner off the team, a source risk of another project.
    """
    title = (title or "").strip()
    if not title:
        raise RiskError(_("Give the issue a title."), "title")
    if len(title) > 200:
        raise RiskError(_("The title can have at most 200 characters."), "title")
    _choice(severity, Issue.Severity, "severity", _("Choose a severity from the list."))
    _check_owner(project, owner)
    if source_risk is not None and source_risk.project_id != project.pk:
        raise RiskError(
            _("The source risk must belong to this project."), "source_risk"
        )
    if due_on is not None and not isinstance(due_on, date):
        raise RiskError(_("Enter a valid date."), "due_on")
    return Issue.objects.create(
        project=project,
        title=title,
        description=description or "",
        severity=severity,
        owner=owner,
        due_on=due_on,
        source_risk=source_risk,
        created_by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def update_issue(issue: Issue, expected_version: int | None) -> Issue:
    """Save edits to an issue if nobody saved it since ``expected_version``."""
    _choice(
        issue.severity,
        Issue.Severity,
        "severity",
        _("Choose a severity from the list."),
    )
    _check_owner(issue.project, issue.owner)
    risk = issue.source_risk if issue.source_risk_id else None
    if risk is not None and risk.project_id != issue.project_id:
        raise RiskError(
            _("The source risk must belong to this project."), "source_risk"
        )
    return save_versioned(issue, expected_version)


def delete_issue(issue: Issue) -> None:
    issue.delete()


def overdue_reviews(user: Any, today: date | None = None):
    """Open risks owned by ``user`` whose review date has passed (for "my work")."""
    today = today or timezone.localdate()
    return (
        Risk.objects.review_overdue(today)
        .filter(owner_id=user.pk)
        .select_related("project")
        .order_by("review_on", "id")
    )
