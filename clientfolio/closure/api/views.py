"""API endpoints of the closure app, scoped by the permission layer (404 outside the
user's projects): lessons (with `q` search), the closure of a project (GET checklist,
POST close / reopen), the handover record and the final evaluation."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.closure import services
from clientfolio.closure.api import serializers
from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson
from clientfolio.core.api import ScopedGenericViewSet, ScopedViewSet
from clientfolio.core.permissions import Action
from clientfolio.projects.models import Project

__all__ = [
    "EvaluationViewSet",
    "HandoverViewSet",
    "LessonViewSet",
    "ProjectClosureViewSet",
]


class LessonViewSet(ScopedViewSet):
    """Lessons learned of every project the user may see. Filter with `project`, `kind`,
    `tag` (name), `client` (id) and `q` (substring of title, text or tags)."""

    queryset = Lesson.objects.for_list()
    serializer_class = serializers.LessonSerializer
    filterset_fields = ["project", "kind"]
    ordering = ["-recorded_on", "-id"]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("tag", str),
            OpenApiParameter("client", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            params = self.request.query_params
            if query := params.get("q", "").strip():
                queryset = queryset.search(query)
            if tag := params.get("tag", "").strip():
                queryset = queryset.filter(tags__name=tag)
            if (client := params.get("client", "")).isdigit():
                queryset = queryset.filter(project__client_id=int(client))
        return queryset


class HandoverViewSet(ScopedViewSet):
    """Handover records (one per project). Recipients must be contacts of the
    project's client."""

    queryset = Handover.objects.select_related(
        "handed_over_by", "project"
    ).prefetch_related("recipients", "documents", "deliverables")
    serializer_class = serializers.HandoverSerializer
    filterset_fields = ["project"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]


class EvaluationViewSet(ScopedViewSet):
    """Final evaluations (one per project): satisfaction 1–5 and the narrative; a single
    evaluation also carries the computed schedule, cost and quality figures."""

    queryset = Evaluation.objects.select_related("evaluated_by", "project")
    serializer_class = serializers.EvaluationSerializer
    filterset_fields = ["project"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["with_figures"] = self.action != "list"
        return context


def _closure_body(project: Project) -> dict:
    rows = services.checklist_rows(project)
    closure = Closure.objects.filter(project=project).first()
    return {
        "project": project.pk,
        "status": project.status,
        "ready": not any(row.is_not_met for row in rows),
        "items": [
            {
                "key": row.key,
                "label": row.label,
                "status": row.status,
                "count": row.count,
                "total": row.total,
                "url": row.url,
            }
            for row in rows
        ],
        "closure": None
        if closure is None
        else {
            "is_closed": closure.is_closed,
            "closed_at": closure.closed_at,
            "closed_by": closure.closed_by_id,
            "overridden": closure.overridden,
            "override_reason": closure.override_reason,
            "unmet_items": closure.unmet_items,
            "follow_up": closure.follow_up_id,
            "reopened_at": closure.reopened_at,
            "reopen_reason": closure.reopen_reason,
            "version": closure.version,
        },
    }


class ProjectClosureViewSet(ScopedGenericViewSet, mixins.RetrieveModelMixin):
    """The closure of a project, addressed by the project's id: GET the checklist and the
    closure record; POST `close` (`override`, `reason`, `follow_up_days`) or `reopen`
    (`reason`), which only the project manager may do."""

    queryset = Project.objects.select_related("client", "manager")
    serializer_class = serializers.CloseSerializer
    permission_actions = {"close": Action.VIEW, "reopen": Action.VIEW}

    def retrieve(self, request, *args, **kwargs):
        return Response(_closure_body(self.get_object()))

    @extend_schema(request=serializers.CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        project = self.get_object()
        self.check_write(Action.ADD, Closure(project=project))
        data = serializers.CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.close_project(project, user=request.user, **data.validated_data)
        except services.ClosureError as error:
            raise serializers.refuse(error) from error
        return Response(_closure_body(project))

    @extend_schema(request=serializers.ReopenSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        project = self.get_object()
        self.check_write(Action.CHANGE, Closure(project=project))
        data = serializers.ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.reopen_project(
                project, user=request.user, reason=data.validated_data["reason"]
            )
        except services.ClosureError as error:
            raise serializers.refuse(error) from error
        return Response(_closure_body(project))
