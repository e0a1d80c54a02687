"""Every write to projects and their teams. Pages, the API and the demo data call these.

Each function runs in one transaction, checks ``version`` on updates (raising
``StaleVersion``) and records status and phase changes as ``ProjectEvent`` rows.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.core.locking import save_versioned
from clientfolio.core.models import Tag, User
from clientfolio.projects.models import Membership, Project, ProjectEvent, ProjectRole

__all__ = [
    "CodeTaken",
    "TeamError",
    "add_member",
    "create_project",
    "next_code",
    "remove_member",
    "update_member",
    "update_project",
]


class TeamError(ValueError):
    """A team change that would leave the project without a consistent manager."""


class CodeTaken(ValidationError):
    """The project code chosen is already another project's (a form or API error on
    ``code``; the API answers 400)."""

    def __init__(self) -> None:
        super().__init__(
            {"code": [_("A project with this code already exists.")]}, code="unique"
        )


# Fresh codes tried when concurrent writers generate the same one.
CODE_ATTEMPTS = 20


def _save_code(project: Project, save) -> None:
    """Run ``save`` in a savepoint; a clash on the unique code becomes ``CodeTaken``
    (any other integrity error is re-raised)."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as error:
        clash = Project.objects.filter(code=project.code)
        if project.pk is not None:
            clash = clash.exclude(pk=project.pk)
        if not clash.exists():
            raise
        raise CodeTaken() from error


def next_code(year: int | None = None) -> str:
    """The next free project code of the year, ``P2026-001`` style."""
    year = year or timezone.localdate().year
    prefix = f"P{year}-"
    last = (
        Project.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = 1
    if last and last[len(prefix) :].isdigit():
        number = int(last[len(prefix) :]) + 1
    while Project.objects.filter(code=f"{prefix}{number:03d}").exists():
        number += 1
    return f"{prefix}{number:03d}"


def _set_tags(project: Project, names: Iterable[str]) -> None:
    wanted = {n.strip()[:40] for n in names if n and n.strip()}
    Tag.objects.bulk_create([Tag(name=n) for n in wanted], ignore_conflicts=True)
    project.tags.set(Tag.objects.filter(name__in=wanted))


def _record_events(
    project: Project, before: dict[str, str], user, comment: str = ""
) -> None:
    events = [
        ProjectEvent(
            project=project,
            kind=kind,
            old_value=before.get(kind, ""),
            new_value=getattr(project, kind),
            user=user,
            comment=comment,
        )
        for kind in (ProjectEvent.Kind.STATUS, ProjectEvent.Kind.PHASE)
        if before.get(kind, "") != getattr(project, kind)
    ]
    ProjectEvent.objects.bulk_create(events)


@transaction.atomic
def create_project(
    project: Project, *, user: User, tags: Iterable[str] = ()
) -> Project:
    """Save a new project; its manager joins the team as manager, and the starting status
    and phase are recorded.

    A missing code is generated; when another writer takes the same code first, the
    next free one is used. A code given that is taken, even by a project saved a moment
    ago by a concurrent request, raises ``CodeTaken``.
    """
    if project.code:
        _save_code(project, project.save)
    else:
        year = project.starts_on.year if project.starts_on else None
        for attempt in range(CODE_ATTEMPTS):
            project.code = next_code(year)
            try:
                _save_code(project, project.save)
                break
            except CodeTaken:
                if attempt == CODE_ATTEMPTS - 1:
                    raise
    _set_tags(project, tags)
    Membership.objects.create(
        project=project, user=project.manager, role=ProjectRole.MANAGER
    )
    _record_events(project, {}, user)
    return project


@transaction.atomic
def update_project(
    project: Project,
    expected_version: int | None,
    *,
    user: User,
    tags: Iterable[str] | None = None,
    comment: str = "",
) -> Project:
    """Save edits if nobody saved the project since ``expected_version``.

    A change of status or phase is recorded with who, when and the comment; a new project
    manager joins the team as manager (the previous one stays, as a member). A new code
    that another project has raises ``CodeTaken``.
    """
    status, phase, manager_id = (
        Project.objects.filter(pk=project.pk)
        .values_list("status", "phase", "manager_id")
        .get()
    )
    before = {"status": status, "phase": phase}
    if project.status == Project.Status.COMPLETED and not project.actual_finish_on:
        project.actual_finish_on = timezone.localdate()
    _save_code(project, lambda: save_versioned(project, expected_version))
    if tags is not None:
        _set_tags(project, tags)
    if manager_id != project.manager_id:
        Membership.objects.filter(
            project=project, role=ProjectRole.MANAGER, user_id=manager_id
        ).update(role=ProjectRole.MEMBER)
        Membership.objects.update_or_create(
            project=project,
            user=project.manager,
            defaults={"role": ProjectRole.MANAGER},
        )
    _record_events(project, before, user, comment)
    return project


@transaction.atomic
def add_member(membership: Membership) -> Membership:
    """Put a person on the team. Raises ``TeamError`` if they already are."""
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        raise TeamError(_("This person is already on the team.")) from error
    return membership


@transaction.atomic
def update_member(membership: Membership, expected_version: int | None) -> Membership:
    """Change a member's role or responsibilities. The project manager stays a manager."""
    if (
        membership.user_id == membership.project.manager_id
        and membership.role != ProjectRole.MANAGER
    ):
        raise TeamError(
            _(
                "The project manager keeps the manager role; change the project manager first."
            )
        )
    return save_versioned(membership, expected_version)


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Take a person off the team; the project manager cannot be removed."""
    if membership.user_id == membership.project.manager_id:
        raise TeamError(_("The project manager cannot be removed from the team."))
    membership.delete()


def last_change_number(project: Project) -> int:
    return project.change_requests.aggregate(n=Max("number"))["n"] or 0
