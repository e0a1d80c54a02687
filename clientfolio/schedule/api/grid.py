"""The plan grid's API (``schedule.grid``): the rows with predecessors in MS Project
notation, one cell saved, rows inserted, indented and outdented, rows pasted from a
spreadsheet, the caller's last change undone, and a person put on the team to own a task.

Every write recomputes the schedule. Refusals are 400 with the message under the cell's
field (``predecessors``, ``duration`` …), a stale ``version`` is 409 with the task's
current row, outside the caller's projects is 404 and a viewer's write 403.
"""

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, views
from rest_framework.response import Response

from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, can, scope
from clientfolio.projects import services as project_services
from clientfolio.projects.models import Membership, Project, ProjectRole
from clientfolio.schedule import grid, services
from clientfolio.schedule.models import Task

__all__ = [
    "GridCellView",
    "GridMoveView",
    "GridPasteView",
    "GridRowView",
    "GridTeamView",
    "GridUndoView",
    "GridView",
    "grid_payload",
]

MODEL = "schedule.task"
# Ids and versions past this cannot be stored (SQLite refuses larger integers: a 500).
MAX_ID = 2**63 - 1


def _project(request, pk: int, action: Action = Action.VIEW) -> Project:
    project = get_object_or_404(scope(request.user, Project.objects.all()), pk=pk)
    if not can(request.user, Action.VIEW, MODEL, project=project):
        raise exceptions.NotFound
    if not can(request.user, action, MODEL, project=project):
        raise exceptions.PermissionDenied
    return project


def _task(project: Project, pk: Any) -> Task:
    task = (
        Task.objects.select_related("parent", "owner")
        .filter(project=project, pk=pk)
        .first()
    )
    if task is None:
        raise exceptions.ValidationError({"task": [_("There is no such task.")]})
    task.project = project
    return task


def grid_payload(project: Project, user: Any) -> dict[str, Any]:
    """The grid's rows and what the page needs around them: who may own a task (team
    first), the project roles to add someone with, what the caller may do and the
    change Undo would take back."""
    settings_row = services.ensure_schedule(project)
    team = set(project.memberships.values_list("user_id", flat=True))
    people = sorted(
        User.objects.internal()
        .active()
        .only("id", "first_name", "last_name", "username"),
        key=lambda u: (u.pk not in team, str(u).lower()),
    )
    latest = grid.latest_change(project, user)
    return {
        "rows": grid.grid_rows(project),
        "finish": settings_row.computed_finish.isoformat()
        if settings_row.computed_finish
        else None,
        "people": [
            {"id": u.pk, "name": str(u), "on_team": u.pk in team} for u in people
        ],
        "roles": [
            [value, str(label)]
            for value, label in ProjectRole.choices
            if value != ProjectRole.MANAGER
        ],
        "can_edit": can(user, Action.CHANGE, MODEL, project=project),
        "can_add": can(user, Action.ADD, MODEL, project=project),
        "can_add_member": can(user, Action.ADD, "projects.membership", project=project),
        "undo": {"id": latest.pk, "label": latest.label} if latest else None,
    }


def _refused(field: str, message: str, **extra: Any) -> Response:
    return Response({field: [message], **extra}, status=status.HTTP_400_BAD_REQUEST)


def _stale(project: Project, task_id: int) -> Response:
    return Response(
        {
            "detail": _(
                "Someone else changed this task while you were editing it. Nothing was "
                "saved: the row now shows their version."
            ),
            "current": grid._one_row(project, task_id),
        },
        status=status.HTTP_409_CONFLICT,
    )


class CellSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    version = serializers.IntegerField(min_value=0, max_value=MAX_ID)
    field = serializers.ChoiceField(choices=list(grid.EDITABLE))
    value = serializers.CharField(
        allow_blank=True, max_length=2000, trim_whitespace=False
    )


class RowSerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    name = serializers.CharField(max_length=300)


class MoveSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    version = serializers.IntegerField(min_value=0, max_value=MAX_ID)
    direction = serializers.ChoiceField(choices=["indent", "outdent", "up", "down"])


class PasteSerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    text = serializers.CharField(max_length=200_000)


class TeamSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    # All the project roles, so the schema shares the team's enum; a second project
    # manager is refused (the project has one).
    role = serializers.ChoiceField(choices=ProjectRole.choices)

    def validate_role(self, value: str) -> str:
        if value == ProjectRole.MANAGER:
            raise serializers.ValidationError(
                _("Choose member, viewer or finance; the project has its manager.")
            )
        return value


class GridView(views.APIView):
    """The plan grid of a project: every task as a row (row number, WBS, name,
    duration, computed start and finish, constraint, owner, predecessors in MS Project
    notation by row number), the people who may own tasks and the last change Undo
    would take back."""

    queryset = Task.objects.none()

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        project = _project(request, pk)
        return Response(grid_payload(project, request.user))


class GridCellView(views.APIView):
    """Save one cell: ``name``, ``duration`` (working days: 5, 5d, 2w; 0 makes a
    milestone), ``constraint`` (empty, a date, "SNET 2026-10-12", "FNLT 2026-11-02"),
    ``owner`` (a user id; someone not on the team is refused with ``code``
    ``not_on_team``) or ``predecessors`` ("3, 4FS+2, 5SS-1"). Answers the task's row and
    the computed values of the other tasks that moved."""

    queryset = Task.objects.none()

    @extend_schema(request=CellSerializer, responses={200: dict})
    def post(self, request, pk):
        project = _project(request, pk, Action.CHANGE)
        body = CellSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = _task(project, data["task"])
        try:
            answer = grid.edit_cell(
                project,
                task,
                data["field"],
                data["value"],
                data["version"],
                actor=request.user,
            )
        except StaleVersion:
            return _stale(project, task.pk)
        except grid.CellError as error:
            return _refused(error.field, error.message, code=error.code, **error.extra)
        except services.PlanError as error:
            return _refused(data["field"], error.message, code="plan")
        return Response(answer)


class GridRowView(views.APIView):
    """Insert a task named ``name`` on the row below ``after`` (a summary's first
    subtask, a task's next sibling; no ``after``: the first row). Answers 201 with the
    whole grid (rows are renumbered) and ``created``, the new task's id."""

    queryset = Task.objects.none()

    @extend_schema(request=RowSerializer, responses={201: dict})
    def post(self, request, pk):
        project = _project(request, pk, Action.ADD)
        body = RowSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        after_id = body.validated_data.get("after")
        after = _task(project, after_id) if after_id else None
        try:
            task = grid.insert_row(
                project, after, body.validated_data["name"], actor=request.user
            )
        except grid.CellError as error:
            return _refused(error.field, error.message)
        except services.PlanError as error:
            return _refused("name", error.message)
        return Response(
            grid.full_answer(project, request.user, created=task.pk),
            status=status.HTTP_201_CREATED,
        )


class GridMoveView(views.APIView):
    """Indent a row under the task above it, outdent it after its parent, or move it up
    or down among its siblings; WBS codes and row numbers follow. Answers the grid."""

    queryset = Task.objects.none()

    @extend_schema(request=MoveSerializer, responses={200: dict})
    def post(self, request, pk):
        project = _project(request, pk, Action.CHANGE)
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = _task(project, data["task"])
        try:
            grid.move_row(
                project, task, data["direction"], data["version"], actor=request.user
            )
        except StaleVersion:
            return _stale(project, task.pk)
        except services.PlanError as error:
            return _refused("name", error.message)
        return Response(grid.full_answer(project, request.user, moved=task.pk))


class GridPasteView(views.APIView):
    """Add rows copied from a spreadsheet (tab-separated columns: name, duration,
    predecessors, owner) below ``after``, all or none. Predecessors name rows as the
    grid numbers them after the paste; owners are matched by user name, name or
    e-mail and must be on the team. Refused: 400 with ``rows``, the problems of each
    pasted row (numbered from 1), or ``detail``."""

    queryset = Task.objects.none()

    @extend_schema(request=PasteSerializer, responses={201: dict})
    def post(self, request, pk):
        project = _project(request, pk, Action.ADD)
        body = PasteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        after_id = body.validated_data.get("after")
        after = _task(project, after_id) if after_id else None
        try:
            with transaction.atomic():
                created = grid.paste_rows(
                    project, after, body.validated_data["text"], actor=request.user
                )
        except grid.PasteError as error:
            return Response(
                {
                    "detail": error.message
                    or _("Nothing was pasted: correct the rows below and paste again."),
                    "rows": {str(k): v for k, v in error.rows.items()},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            grid.full_answer(
                project, request.user, created=[task.pk for task in created]
            ),
            status=status.HTTP_201_CREATED,
        )


class GridUndoView(views.APIView):
    """Undo the caller's last change of this plan made in the grid or on the Gantt.
    404 when there is nothing to undo, 409 when someone changed a task it touched since
    (that change is then dropped, so the next undo reaches the one before)."""

    queryset = Task.objects.none()

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk):
        project = _project(request, pk, Action.CHANGE)
        try:
            label = grid.undo_last(project, request.user, actor=request.user)
        except grid.UndoError as error:
            return Response({"detail": error.message}, status=error.status)
        except services.PlanError as error:
            return _refused("non_field_errors", error.message)
        return Response(grid.full_answer(project, request.user, undone=label))


class GridTeamView(views.APIView):
    """Put a person on the project team with a project role (member, viewer, finance),
    so that they can own tasks; project managers only. Answers 201."""

    queryset = Task.objects.none()

    @extend_schema(request=TeamSerializer, responses={201: dict})
    def post(self, request, pk):
        project = _project(request, pk, Action.CHANGE)
        if not can(request.user, Action.ADD, "projects.membership", project=project):
            raise exceptions.PermissionDenied
        body = TeamSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = (
            User.objects.internal()
            .active()
            .filter(pk=body.validated_data["user"])
            .first()
        )
        if person is None:
            return _refused("user", _("Choose a person from the list."))
        try:
            project_services.add_member(
                Membership(
                    project=project, user=person, role=body.validated_data["role"]
                )
            )
        except project_services.TeamError as error:
            return _refused("user", str(error))
        return Response(
            {
                "user": person.pk,
                "name": str(person),
                "role": body.validated_data["role"],
            },
            status=status.HTTP_201_CREATED,
        )
