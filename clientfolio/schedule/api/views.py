"""API endpoints of the schedule, scoped by the permission layer (404 outside the user's
projects): tasks, dependencies, assignments, baselines (read and create), calendar
settings, and read-only views of the computed schedule and the Monte Carlo forecast."""

from datetime import date

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, views
from rest_framework.response import Response

from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.relations import visible_ids
from clientfolio.projects.models import Project
from clientfolio.schedule import services
from clientfolio.schedule.api import serializers
from clientfolio.schedule.models import (
    Assignment,
    Baseline,
    BaselineTask,
    Dependency,
    ProjectSchedule,
    Task,
)

__all__ = [
    "AssignmentViewSet",
    "BaselineViewSet",
    "DependencyViewSet",
    "ForecastView",
    "ProjectScheduleViewSet",
    "ScheduleView",
    "TaskViewSet",
]


class TaskViewSet(ScopedViewSet):
    """The WBS: tasks, summary tasks and milestones with their computed dates. Writes
    recompute the project's schedule; a refused edit is 400 naming the field."""

    queryset = Task.objects.select_related("owner")
    serializer_class = serializers.TaskSerializer
    filterset_fields = [
        "project",
        "parent",
        "owner",
        "status",
        "is_milestone",
        "is_critical",
    ]
    ordering_fields = ["wbs_sort", "start", "finish", "id"]
    ordering = ["project", "wbs_sort", "id"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.TaskDetailSerializer
        return super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        """One task, with its dependencies in the same answer: ``predecessors`` (the
        tasks it waits for) and ``successors``, each with its type and lag."""
        task = self.get_object()
        task.links = _visible_links(request.user, task)
        return Response(self.get_serializer(task).data)

    def perform_destroy(self, instance):
        services.delete_task(instance)


def _visible_links(user, task: Task) -> list[dict]:
    """The links of ``task`` that ``user`` may see, the task at the other end included
    (a link left behind into another project is not shown to its outsiders)."""
    links = scope(user, Dependency.objects.all()).rows_of_task(task)

    def other(link: dict) -> int:
        if link["successor_id"] == task.pk:
            return link["predecessor_id"]
        return link["successor_id"]

    seen = visible_ids(user, Task, {other(link) for link in links})
    return [link for link in links if other(link) in seen]


class DependencyViewSet(ScopedViewSet):
    """Links between tasks of one project (FS, SS, FF, SF; lag in working days, negative
    for a lead). Cycles, self-links and links across projects are refused (400). A link
    is listed only when the user may see both its tasks: one left behind with an end in
    another project is 404 to everyone outside that project."""

    queryset = Dependency.objects.all()
    serializer_class = serializers.DependencySerializer
    filterset_fields = ["project", "predecessor", "successor", "kind"]
    ordering = ["id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().with_visible_ends(self.request.user)

    def perform_destroy(self, instance):
        services.delete_dependency(instance)


class AssignmentViewSet(ScopedViewSet):
    """People on tasks with their planned hours."""

    queryset = Assignment.objects.select_related("user")
    serializer_class = serializers.AssignmentSerializer
    filterset_fields = ["task", "user", "task__project"]
    ordering = ["id"]


class BaselineViewSet(ScopedViewSet):
    """Named snapshots of a project's plan; created from the current plan, never edited.
    A task that has since moved to another project is left out of its old baselines."""

    queryset = Baseline.objects.prefetch_related(
        Prefetch(
            "tasks",
            queryset=BaselineTask.objects.filter(task__project=F("baseline__project")),
        )
    )
    serializer_class = serializers.BaselineSerializer
    filterset_fields = ["project"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]


class ProjectScheduleViewSet(ScopedViewSet):
    """Each project's working calendar: weekdays, statutory holidays, buffer, status
    date and its own exceptions (``calendar_days`` replaces them all). Saving recomputes."""

    queryset = ProjectSchedule.objects.prefetch_related("calendar_days")
    serializer_class = serializers.ProjectScheduleSerializer
    filterset_fields = ["project"]
    ordering = ["project"]
    http_method_names = ["get", "put", "patch", "head", "options"]


def _project(request, pk: int) -> Project:
    project = get_object_or_404(scope(request.user, Project.objects.all()), pk=pk)
    if not can(request.user, Action.VIEW, Task, project=project):
        raise exceptions.PermissionDenied
    return project


COMPUTED_FIELDS = (
    "id",
    "parent_id",
    "wbs",
    "name",
    "is_milestone",
    "is_summary",
    "duration",
    "status",
    "percent_complete",
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "is_critical",
)


class ScheduleView(views.APIView):
    """The project's computed schedule: every task with its early and late dates and
    float (working days), and the critical path as task ids in date order."""

    queryset = Task.objects.none()

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        project = _project(request, pk)
        settings_row = services.ensure_schedule(project)
        tasks = list(
            Task.objects.filter(project=project)
            .order_by("wbs_sort", "id")
            .values(*COMPUTED_FIELDS)
        )
        critical = sorted(
            (t for t in tasks if t["is_critical"]),
            key=lambda t: (t["start"] or date.max, t["finish"] or date.max, t["id"]),
        )
        return Response(
            {
                "project": project.pk,
                "computed_at": settings_row.computed_at,
                "finish": settings_row.computed_finish,
                "buffer_days": settings_row.buffer_days,
                "unknown_years": [
                    int(y) for y in settings_row.unknown_years.split(",") if y
                ],
                "critical_path": [t["id"] for t in critical],
                "warnings": services.plan_warnings(settings_row),
                "tasks": tasks,
            }
        )


class ForecastView(views.APIView):
    """Monte Carlo forecast from the three-point estimates: P50, P80 and P95 finish dates
    of the project and each milestone, with the probability of meeting the planned date."""

    queryset = Task.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("runs", int, description="Simulation runs, 100–20000.")
        ],
        responses={200: dict},
    )
    def get(self, request, pk):
        project = _project(request, pk)
        raw = request.query_params.get("runs", "1000")
        if not raw.isdigit() or not 100 <= int(raw) <= 20000:
            raise exceptions.ValidationError(
                {"runs": [_("Give a number of runs from 100 to 20,000.")]}
            )
        from clientfolio.schedule import forecasting

        try:
            return Response(forecasting.project_forecast(project, runs=int(raw)))
        except services.PlanError as error:
            raise exceptions.ValidationError(
                {"non_field_errors": [error.message]}
            ) from error
