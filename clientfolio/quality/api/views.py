"""API endpoints of quality records, scoped by the permission layer (404 outside the
user's projects): standards, deliverables, reviews with their checklist (and opening an
issue for a failed item), client acceptances (create with a multipart file, never
edited) and improvement actions."""

from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action
from clientfolio.quality import services
from clientfolio.quality.api import serializers as shapes
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    QualityStandard,
    ReviewItem,
)
from clientfolio.risks.models import Issue

__all__ = [
    "AcceptanceViewSet",
    "DeliverableViewSet",
    "ImprovementActionViewSet",
    "QualityReviewViewSet",
    "QualityStandardViewSet",
]


class QualityStandardViewSet(ScopedViewSet):
    """Measurable quality criteria of projects, by category."""

    queryset = QualityStandard.objects.all()
    serializer_class = shapes.QualityStandardSerializer
    filterset_fields = ["project", "category"]
    ordering = ["project", "category", "title", "id"]


class DeliverableViewSet(ScopedViewSet):
    """Deliverables with their milestone, criteria and status ("accepted" only through
    an acceptance)."""

    queryset = Deliverable.objects.select_related("milestone", "owner")
    serializer_class = shapes.DeliverableSerializer
    filterset_fields = ["project", "milestone", "status", "owner"]
    ordering_fields = ["due_on", "name", "id"]
    ordering = ["project", "due_on", "id"]


class IssueRequest(serializers.Serializer):
    item = serializers.IntegerField()
    severity = serializers.CharField(required=False, default="medium")


class QualityReviewViewSet(ScopedViewSet):
    """Reviews with their checklist; ``result`` is computed from the items' results."""

    queryset = QualityReview.objects.select_related(
        "deliverable", "reviewer"
    ).prefetch_related("items")
    serializer_class = shapes.QualityReviewSerializer
    filterset_fields = ["project", "deliverable", "result", "reviewer"]
    ordering = ["-reviewed_on", "-id"]
    permission_actions = {"open_issue": Action.CHANGE}

    @extend_schema(
        request=IssueRequest, responses={201: shapes.QualityReviewSerializer}
    )
    @action(detail=True, methods=["post"], url_path="open-issue")
    def open_issue(self, request, pk=None):
        """Open an issue in the issue log for a failed checklist ``item`` of the review."""
        review = self.get_object()
        self.check_write(Action.ADD, Issue(project=review.project))
        body = IssueRequest(data=request.data)
        body.is_valid(raise_exception=True)
        item = ReviewItem.objects.filter(
            review=review, pk=body.validated_data["item"]
        ).first()
        if item is None:
            raise ValidationError(
                {"item": ["This checklist item is not in the review."]}
            )
        try:
            services.open_issue_for_item(
                item, user=request.user, severity=body.validated_data["severity"]
            )
        except services.QualityError as error:
            raise ValidationError({"item": [error.message]}) from error
        review = self.get_queryset().get(pk=review.pk)
        return Response(
            self.get_serializer(review).data, status=status.HTTP_201_CREATED
        )


class AcceptanceViewSet(ScopedViewSet):
    """Clients' decisions on deliverables and milestones. Create (project managers) with
    a multipart ``file``: the signed document is filed in the project's documents."""

    queryset = Acceptance.objects.select_related("contact")
    serializer_class = shapes.AcceptanceSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]
    filterset_fields = ["project", "deliverable", "milestone", "decision"]
    ordering = ["-decided_on", "-id"]
    http_method_names = ["get", "post", "head", "options"]


class ImprovementActionViewSet(ScopedViewSet):
    """PDCA improvement actions; finishing one (``act``) needs an ``evaluation``."""

    queryset = ImprovementAction.objects.select_related("owner")
    serializer_class = shapes.ImprovementActionSerializer
    filterset_fields = ["project", "status", "owner", "review"]
    ordering = ["project", "planned_on", "id"]
