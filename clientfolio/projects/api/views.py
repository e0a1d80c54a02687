"""API endpoints of projects and teams, scoped by the permission layer."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action
from clientfolio.projects import change_control, services
from clientfolio.projects.api import serializers
from clientfolio.projects.models import (
    ChangeRequest,
    ChangeRequestTransition,
    Membership,
    Project,
    ProjectRequirement,
)

__all__ = [
    "ChangeRequestViewSet",
    "MembershipViewSet",
    "ProjectRequirementViewSet",
    "ProjectViewSet",
]


class ProjectViewSet(ScopedViewSet):
    """Projects the user is a member of (administrators: all). Projects are never deleted:
    set their status to cancelled."""

    # The serializer shows the client's and the manager's ids only: no join for them.
    queryset = Project.objects.prefetch_related("tags")
    serializer_class = serializers.ProjectSerializer
    filterset_fields = ["client", "manager", "status", "phase", "priority", "code"]
    ordering_fields = ["starts_on", "planned_finish_on", "code", "id"]
    ordering = ["-starts_on", "-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class MembershipViewSet(ScopedViewSet):
    queryset = Membership.objects.select_related("user")
    serializer_class = serializers.MembershipSerializer
    filterset_fields = ["project", "user", "role"]
    ordering_fields = ["role", "id"]
    ordering = ["project", "role", "id"]

    def perform_destroy(self, instance):
        from rest_framework.exceptions import ValidationError

        try:
            services.remove_member(instance)
        except services.TeamError as error:
            raise ValidationError({"user": str(error)}) from error


def _refused(error: change_control.ChangeControlError) -> ValidationError:
    return ValidationError({error.field or "non_field_errors": [error.message]})


class ProjectRequirementViewSet(ScopedViewSet):
    """Requirements of the projects the user is a member of. The status moves with the
    ``transition`` action only; requirements are not deleted but rejected."""

    queryset = ProjectRequirement.objects.select_related("project")
    serializer_class = serializers.ProjectRequirementSerializer
    filterset_fields = ["project", "status", "priority", "source"]
    ordering_fields = ["id", "status", "priority"]
    ordering = ["project", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    permission_actions = {"transition": Action.CHANGE}

    @extend_schema(
        request=serializers.RequirementMoveSerializer,
        responses=serializers.ProjectRequirementSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the requirement to its next status (400 with a message when out of order)."""
        requirement = self.get_object()
        self.check_write(Action.CHANGE, requirement)
        body = serializers.RequirementMoveSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            change_control.move_requirement(
                requirement,
                data["to_status"],
                confirmed_by=data.get("confirmed_by"),
                confirmed_on=data.get("confirmed_on"),
                expected_version=data.get("version"),
            )
        except change_control.ChangeControlError as error:
            raise _refused(error) from error
        return Response(self.get_serializer(requirement).data)


class ChangeRequestViewSet(ScopedViewSet):
    """Change requests of the projects the user is a member of, with their transitions.
    The status moves with the ``transition`` action only; change requests are never
    deleted (reject them instead)."""

    queryset = ChangeRequest.objects.select_related("project").prefetch_related(
        Prefetch(
            "transitions",
            queryset=ChangeRequestTransition.objects.select_related("user"),
        )
    )
    serializer_class = serializers.ChangeRequestSerializer
    filterset_fields = ["project", "status", "number"]
    ordering_fields = ["number", "requested_on", "id"]
    ordering = ["project", "-number"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    permission_actions = {"transition": Action.CHANGE}

    @extend_schema(
        request=serializers.ChangeTransitionSerializer,
        responses=serializers.ChangeRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the change request one step (400 with a message when out of order)."""
        change_request = self.get_object()
        self.check_write(Action.CHANGE, change_request)
        body = serializers.ChangeTransitionSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            change_control.transition(
                change_request,
                data["to_status"],
                request.user,
                data.get("comment", ""),
                decided_by=data.get("decided_by"),
                decided_on=data.get("decided_on"),
                expected_version=data.get("version"),
            )
        except change_control.ChangeControlError as error:
            raise _refused(error) from error
        return Response(self.get_serializer(self.get_object()).data)
