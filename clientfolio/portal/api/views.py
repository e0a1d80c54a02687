"""The portal's API (``/api/v1/portal/``): what a client contact sees and does in the
portal, for the client's own integrations. Client contacts only; rows come through the
permission layer, which scopes a client to what their projects share."""

from django.utils import timezone
from rest_framework import mixins

from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.portal.api import serializers as shapes
from clientfolio.portal.api.permissions import PortalPermission
from clientfolio.projects.models import Project
from clientfolio.schedule.summaries import summarise

__all__ = ["PortalViewSet", "ProjectViewSet"]


class PortalViewSet(ScopedGenericViewSet):
    """The base of the portal's viewsets: open to client contacts only."""

    is_portal = True
    permission_classes = [PortalPermission]


class ProjectViewSet(PortalViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The client's projects with progress, schedule status and next milestone."""

    queryset = Project.objects.all()
    serializer_class = shapes.PortalProjectSerializer
    filterset_fields = ["status"]
    ordering_fields = ["starts_on", "name", "id"]
    ordering = ["-starts_on", "-id"]

    def get_serializer(self, *args, **kwargs):
        if args:
            rows = args[0]
            projects = list(rows) if not isinstance(rows, Project) else [rows]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["summaries"] = {
                summary.project.pk: summary
                for summary in summarise(projects, timezone.localdate())
            }
        return super().get_serializer(*args, **kwargs)
