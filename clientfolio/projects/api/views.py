"""API endpoints of projects and teams, scoped by the permission layer."""

from clientfolio.core.api import ScopedViewSet
from clientfolio.projects import services
from clientfolio.projects.api import serializers
from clientfolio.projects.models import Membership, Project

__all__ = ["MembershipViewSet", "ProjectViewSet"]


class ProjectViewSet(ScopedViewSet):
    """Projects the user is a member of (administrators: all). Projects are never deleted:
    set their status to cancelled."""

    queryset = Project.objects.select_related("client", "manager").prefetch_related(
        "tags"
    )
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
