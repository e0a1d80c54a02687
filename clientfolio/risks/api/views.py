"""API endpoints of the risk register and the issue log, scoped by the permission layer
(404 outside the user's projects). Reassessing a risk (POST ``risks/{id}/assessments/``)
keeps the rating as a new assessment; ``risks/matrix/`` counts open risks per cell."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action, scope
from clientfolio.projects.models import Project
from clientfolio.risks import scoring, services
from clientfolio.risks.api import serializers
from clientfolio.risks.models import Issue, Risk

__all__ = ["IssueViewSet", "RiskViewSet"]


class RiskViewSet(ScopedViewSet):
    """Risks rated probability × impact (1–5 each); ``score`` and ``level`` are computed.
    A changed rating is kept as an assessment; an owner off the team, a task of another
    project or a rating off the scale is 400 naming the field."""

    queryset = Risk.objects.select_related("owner").prefetch_related("tasks")
    serializer_class = serializers.RiskSerializer
    filterset_fields = ["project", "status", "level", "category", "owner", "strategy"]
    ordering_fields = ["score", "review_on", "created_at", "id"]
    ordering = ["-score", "id"]
    permission_actions = {"matrix": Action.VIEW}

    def perform_destroy(self, instance):
        services.delete_risk(instance)

    @extend_schema(
        methods=["GET"],
        responses={200: serializers.RiskAssessmentSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.ReassessSerializer,
        responses={201: serializers.RiskAssessmentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request, pk=None):
        """GET: the risk's assessments, oldest first, paged like every list. POST:
        reassess (201)."""
        risk = self.get_object()
        if request.method == "GET":
            rows = risk.assessments.select_related("assessed_by").order_by(
                "assessed_at", "id"
            )
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(
                serializers.RiskAssessmentSerializer(page, many=True).data
            )
        self.check_write(Action.CHANGE, risk)
        data = serializers.ReassessSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.reassess(
            risk,
            data.validated_data["probability"],
            data.validated_data["impact"],
            user=request.user,
            note=data.validated_data.get("note", ""),
            expected_version=data.validated_data.get("version"),
        )
        return Response(
            serializers.RiskAssessmentSerializer(assessment).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[OpenApiParameter("project", int, description="One project only.")],
        responses={200: dict},
    )
    @action(detail=False, methods=["get"])
    def matrix(self, request):
        """Open risks per cell of the 5 × 5 matrix (one GROUP BY over the visible rows)."""
        risks = scope(request.user, Risk.objects.open())
        thresholds = services.default_thresholds()
        project_id = request.query_params.get("project", "")
        if project_id:
            if not project_id.isdigit():
                raise exceptions.ValidationError({"project": [_("Give a project id.")]})
            project = get_object_or_404(
                scope(request.user, Project.objects.all()), pk=int(project_id)
            )
            risks = risks.filter(project=project)
            thresholds = services.thresholds_for(project)
        cells = scoring.matrix(risks.cell_counts(), thresholds)
        return Response(
            {
                "thresholds": list(thresholds.as_tuple()),
                "cells": [
                    {
                        "probability": c.probability,
                        "impact": c.impact,
                        "score": c.score,
                        "level": c.level,
                        "count": c.count,
                    }
                    for c in cells
                ],
            }
        )


class IssueViewSet(ScopedViewSet):
    """The issue log: problems that happened, optionally from a risk (``source_risk``)."""

    queryset = Issue.objects.select_related("owner")
    serializer_class = serializers.IssueSerializer
    filterset_fields = ["project", "status", "severity", "owner", "source_risk"]
    ordering_fields = ["created_at", "due_on", "id"]
    ordering = ["-created_at", "-id"]

    def perform_destroy(self, instance):
        services.delete_issue(instance)
