"""API endpoints of progress reports, scoped by the permission layer (404 outside the
user's projects): list and read, draft this period's report (POST), update the
narrative and the client's sections (PATCH with ``version``: 409 when stale), publish
(POST), and a version's PDF (GET)."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.permissions import Action, sees_finance
from clientfolio.reports import services
from clientfolio.reports.api import progress_serializers as serializers
from clientfolio.reports.models import ProgressReport, ProgressReportVersion
from clientfolio.reports.views.progress import pdf_response

__all__ = ["ProgressReportViewSet"]


class ProgressReportViewSet(
    ScopedGenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
):
    """Progress reports of every project the user may see, newest period first. Filter
    with `project`, `period` and `status`."""

    queryset = ProgressReport.objects.select_related("project").prefetch_related(
        "versions__published_by"
    )
    serializer_class = serializers.ProgressReportSerializer
    filterset_fields = ["project", "period", "status"]
    ordering = ["-period_start", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        request=serializers.DraftSerializer,
        responses={201: serializers.ProgressReportSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Draft the report of the period holding `day` (default today) from the
        project's data: 201 with the new draft, 200 with the one that exists."""
        body = serializers.DraftSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        project = body.validated_data["project"]
        self.check_write(Action.ADD, ProgressReport(project=project))
        try:
            report, created = services.draft_report(
                project,
                body.validated_data["period"],
                today=body.validated_data.get("day"),
                user=request.user,
            )
        except services.ReportError as error:
            raise serializers.refuse(error) from error
        data = self.get_serializer(report).data
        return Response(
            data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        request=serializers.PublishSerializer,
        responses={201: serializers.VersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Freeze the draft as its next version and e-mail it (after commit)."""
        report = self.get_object()
        self.check_write(Action.ADD, ProgressReportVersion(report=report))
        body = serializers.PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                version = services.publish_report(
                    report,
                    user=request.user,
                    recipients=body.validated_data.get("recipients", []),
                    expected_version=body.validated_data["version"],
                )
        except services.ReportError as error:
            raise serializers.refuse(error) from error
        return Response(
            serializers.VersionSerializer(version).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("number", int, required=False),
            OpenApiParameter("variant", str, enum=["client", "internal"]),
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """A published version's PDF: `number` (default: the latest version) and
        `variant=client` (default) or `internal` (for those who read the project's
        finance figures)."""
        report = self.get_object()
        variant = request.query_params.get("variant", "client")
        number = request.query_params.get("number", "")
        if variant not in ("client", "internal") or (number and not number.isdigit()):
            raise exceptions.ValidationError(
                {"number": ["Give the version number and variant client or internal."]}
            )
        versions = report.versions.order_by("-number")
        version = (
            versions.filter(number=int(number)).first() if number else versions.first()
        )
        if version is None:
            raise exceptions.NotFound
        self.check_write(Action.EXPORT, version)
        if variant == "internal" and not sees_finance(request.user, report.project):
            raise exceptions.PermissionDenied
        return pdf_response(version, variant)
