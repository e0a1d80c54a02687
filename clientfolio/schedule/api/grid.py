"""The plan grid's API (``schedule.grid``): the rows with predecessors in MS Project
notation, one cell saved, rows inserted, indented and outdented, rows pasted from a
spreadsheet, the caller's last change undone, and a person put on the team to own a task.

Every write recomputes the schedule. Refusals are 400 with the message under the cell's
field (``predecessors``, ``duration`` …), a stale ``version`` is 409 with the task's
current row, outside the caller's projects is 404 and a viewer's write 403.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, can
from clientfolio.projects import services as project_services
from clientfolio.projects.models import Membership, Project, ProjectRole
from clientfolio.schedule import grid, services
from clientfolio.schedule.models import Task

__all__ = ["PlanGridViewSet", "grid_payload"]

MODEL = "schedule.task"
# Ids and versions past this cannot be stored (SQLite refuses larger integers: a 500).
MAX_ID = 2**63 - 1


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


class PlanGridViewSet(ScopedGenericViewSet):
    """The plan grid of a project (``projects/<pk>/plan-grid/``). The project comes
    through the scoped base (404 outside the caller's projects, or when their role does
    not see its tasks); a write is checked with ``check_write`` on a task of it (403 for
    a viewer) before anything is saved, and answers a refusal the same way whatever the
    edit: 400 with the message under the cell's field, 409 with the task's current row
    for a stale ``version``."""

    queryset = Project.objects.all()
    http_method_names = ["get", "post", "options"]
    # The project only has to be seen: what the caller may do with its tasks is asked
    # of the tasks (``_project``), not of the project.
    permission_actions = dict.fromkeys(
        ("retrieve", "cell", "row", "move", "paste", "undo", "team"), Action.VIEW
    )

    def _project(self, action: Action) -> Project:
        project = self.get_object()
        if not can(self.request.user, Action.VIEW, MODEL, project=project):
            raise exceptions.NotFound
        if action != Action.VIEW:
            self.check_write(action, Task(project=project))
        return project

    def _write(
        self,
        action: Action,
        body_class: type[serializers.Serializer] | None,
        write: Callable[[Project, dict[str, Any]], Any],
        *,
        plan_field: str | None,
        created: bool = False,
        also: Callable[[Project], None] | None = None,
    ) -> Response:
        """The one body of every grid write: the project, checked for ``action`` (and
        by ``also``); the body, validated; ``write(project, data)``, whose answer is
        sent back (201 when ``created``); its refusals as 400, 404 or 409.
        ``plan_field`` is where a refused plan (``services.PlanError``) is shown (None:
        under the edited cell)."""
        project = self._project(action)
        if also is not None:
            also(project)
        data: dict[str, Any] = {}
        if body_class is not None:
            body = body_class(data=self.request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        try:
            answer = write(project, data)
        except StaleVersion:
            return _stale(project, data["task"])
        except grid.CellError as error:
            return _refused(error.field, error.message, code=error.code, **error.extra)
        except grid.PasteError as error:
            return Response(
                {
                    "detail": error.message
                    or _("Nothing was pasted: correct the rows below and paste again."),
                    "rows": {str(k): v for k, v in error.rows.items()},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except grid.UndoError as error:
            return Response({"detail": error.message}, status=error.status)
        except services.PlanError as error:
            field = plan_field or data["field"]
            return _refused(field, error.message, code="plan")
        return Response(
            answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    def _after(self, project: Project, data: dict[str, Any]) -> Task | None:
        after_id = data.get("after")
        return _task(project, after_id) if after_id else None

    @extend_schema(request=None, responses={200: dict})
    def retrieve(self, request, pk=None):
        """Every task as a row (row number, WBS, name, duration, computed start and
        finish, constraint, owner, predecessors in MS Project notation by row number),
        the people who may own tasks and the last change Undo would take back."""
        return Response(grid_payload(self._project(Action.VIEW), request.user))

    @extend_schema(request=CellSerializer, responses={200: dict})
    def cell(self, request, pk=None):
        """Save one cell: ``name``, ``duration`` (working days: 5, 5d, 2w; 0 makes a
        milestone), ``constraint`` (empty, a date, "SNET 2026-10-12", "FNLT
        2026-11-02"), ``owner`` (a user id; someone not on the team is refused with
        ``code`` ``not_on_team``) or ``predecessors`` ("3, 4FS+2, 5SS-1"). Answers the
        task's row and the computed values of the other tasks that moved."""

        def write(project: Project, data: dict[str, Any]) -> dict[str, Any]:
            return grid.edit_cell(
                project,
                _task(project, data["task"]),
                data["field"],
                data["value"],
                data["version"],
                actor=request.user,
            )

        return self._write(Action.CHANGE, CellSerializer, write, plan_field=None)

    @extend_schema(request=RowSerializer, responses={201: dict})
    def row(self, request, pk=None):
        """Insert a task named ``name`` on the row below ``after`` (a summary's first
        subtask, a task's next sibling; no ``after``: the first row). Answers 201 with
        the whole grid (rows are renumbered) and ``created``, the new task's id."""

        def write(project: Project, data: dict[str, Any]) -> dict[str, Any]:
            task = grid.insert_row(
                project, self._after(project, data), data["name"], actor=request.user
            )
            return grid.full_answer(project, request.user, created=task.pk)

        return self._write(
            Action.ADD, RowSerializer, write, plan_field="name", created=True
        )

    @extend_schema(request=MoveSerializer, responses={200: dict})
    def move(self, request, pk=None):
        """Indent a row under the task above it, outdent it after its parent, or move
        it up or down among its siblings; WBS codes and row numbers follow. Answers the
        grid."""

        def write(project: Project, data: dict[str, Any]) -> dict[str, Any]:
            task = _task(project, data["task"])
            grid.move_row(
                project, task, data["direction"], data["version"], actor=request.user
            )
            return grid.full_answer(project, request.user, moved=task.pk)

        return self._write(Action.CHANGE, MoveSerializer, write, plan_field="name")

    @extend_schema(request=PasteSerializer, responses={201: dict})
    def paste(self, request, pk=None):
        """Add rows copied from a spreadsheet (tab-separated columns: name, duration,
        predecessors, owner) below ``after``, all or none. Predecessors name rows as the
        grid numbers them after the paste; owners are matched by user name, name or
        e-mail and must be on the team. Refused: 400 with ``rows``, the problems of each
        pasted row (numbered from 1), or ``detail``."""

        def write(project: Project, data: dict[str, Any]) -> dict[str, Any]:
            after = self._after(project, data)
            with transaction.atomic():
                created = grid.paste_rows(
                    project, after, data["text"], actor=request.user
                )
            return grid.full_answer(
                project, request.user, created=[task.pk for task in created]
            )

        return self._write(
            Action.ADD, PasteSerializer, write, plan_field="text", created=True
        )

    @extend_schema(request=None, responses={200: dict})
    def undo(self, request, pk=None):
        """Undo the caller's last change of this plan made in the grid or on the
        Gantt. 404 when there is nothing to undo, 409 when someone changed a task it
        touched since (that change is then dropped, so the next undo reaches the one
        before)."""

        def write(project: Project, data: dict[str, Any]) -> dict[str, Any]:
            label = grid.undo_last(project, request.user, actor=request.user)
            return grid.full_answer(project, request.user, undone=label)

        return self._write(Action.CHANGE, None, write, plan_field="non_field_errors")

    @extend_schema(request=TeamSerializer, responses={201: dict})
    def team(self, request, pk=None):
        """Put a person on the project team with a project role (member, viewer,
        finance), so that they can own tasks; project managers only. Answers 201."""

        def may_add(project: Project) -> None:
            self.check_write(Action.ADD, Membership(project=project))

        def write(project: Project, data: dict[str, Any]) -> dict[str, Any]:
            person = User.objects.internal().active().filter(pk=data["user"]).first()
            if person is None:
                raise grid.CellError("user", _("Choose a person from the list."))
            try:
                project_services.add_member(
                    Membership(project=project, user=person, role=data["role"])
                )
            except project_services.TeamError as error:
                raise grid.CellError("user", str(error)) from error
            return {"user": person.pk, "name": str(person), "role": data["role"]}

        return self._write(
            Action.CHANGE,
            TeamSerializer,
            write,
            plan_field="user",
            created=True,
            also=may_add,
        )
