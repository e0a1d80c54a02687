"""The portal API's deliverables and milestones (``/api/v1/portal/deliverables/``,
``/api/v1/portal/milestones/``): those of the client's projects, with their acceptance
criteria, and the client's acceptance or rejection of a submitted deliverable or of a
milestone ready to be accepted directly, with an optional signed file."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.core.logins import client_address
from clientfolio.core.permissions import Action, client_contact, portal_scope
from clientfolio.portal.api import serializers as shapes
from clientfolio.portal.api.changes import refused
from clientfolio.portal.api.views import PortalViewSet
from clientfolio.portal.decisions import (
    DecisionError,
    decide_deliverable,
    decide_milestone,
    ready_milestones,
)
from clientfolio.quality.models import Deliverable
from clientfolio.schedule.models import Task

__all__ = ["DeliverableViewSet", "MilestoneViewSet"]


def _decided(request, decide, subject, contact, visible_milestones, context):
    """Record the contact's decision on ``subject`` with ``decide`` from the multipart
    body, and answer 201 with the immutable record (400 with the field at fault)."""
    body = shapes.AcceptanceDecisionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    upload = data.get("file")
    try:
        acceptance = decide(
            subject,
            decision=data["decision"],
            comments=data["comments"],
            contact=contact,
            user=request.user,
            today=timezone.localdate(),
            files=[upload] if upload else [],
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            expected_version=data.get("version"),
        )
    except DecisionError as error:
        raise refused(error) from error
    record = shapes.AcceptanceRecordSerializer(
        acceptance,
        context={**context, "visible_milestones": visible_milestones(acceptance)},
    )
    return Response(record.data, status=status.HTTP_201_CREATED)


class DeliverableViewSet(
    PortalViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """Deliverables of the client's projects that share them, by due date. ``accept``
    records the signed-in contact's acceptance or rejection of a submitted one."""

    queryset = Deliverable.objects.select_related("milestone")
    serializer_class = shapes.PortalDeliverableSerializer
    filterset_fields = ["project", "status"]
    ordering_fields = ["due_on", "name", "id"]
    ordering = ["due_on", "name", "id"]
    permission_actions = {"accept": Action.ADD}

    def _visible_milestones(self, milestone_ids) -> set[int]:
        """Which of these milestones the contact sees (one query): an internal one is
        never named."""
        ids = {pk for pk in milestone_ids if pk}
        return set(
            portal_scope(
                client_contact(self.request.user), Task.objects.filter(pk__in=ids)
            ).values_list("pk", flat=True)
        )

    def get_serializer(self, *args, **kwargs):
        if args:
            instance = args[0]
            one = isinstance(instance, Deliverable)
            rows = [instance] if one else list(instance)
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["visible_milestones"] = self._visible_milestones(
                row.milestone_id for row in rows
            )
            if not one:
                args = (rows, *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": shapes.AcceptanceDecisionSerializer},
        responses={201: shapes.AcceptanceRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept or reject a submitted deliverable (multipart: ``decision``,
        ``comments``, optional ``file`` and ``version``): 201 with the immutable
        record; 400 with field errors (a rejection needs comments; a refused file; a
        deliverable not awaiting acceptance), 409 when it changed since ``version``."""
        return _decided(
            request,
            decide_deliverable,
            self.get_object(),
            client_contact(request.user),
            lambda acceptance: self._visible_milestones([acceptance.milestone_id]),
            self.get_serializer_context(),
        )


class MilestoneViewSet(PortalViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Client-visible milestones of the client's projects that share their
    deliverables and acceptances, by planned date. ``accept`` records the signed-in
    contact's acceptance or rejection of one ready to be accepted directly."""

    queryset = Task.objects.filter(is_milestone=True).exclude(
        project__portal_sharing__shows_deliverables=False
    )
    serializer_class = shapes.PortalMilestoneDetailSerializer
    filterset_fields = ["project", "status"]
    ordering_fields = ["finish", "name", "id"]
    ordering = ["finish", "id"]
    # The permission layer's portal rules: the contact sees the milestone (client
    # visible, in a project of their client that shares its timeline) and the project
    # shares its acceptances (the queryset); whether it awaits a direct acceptance is
    # the decision's rule (decisions.milestone_is_ready: 400 otherwise).
    permission_actions = {"accept": Action.VIEW}

    def get_serializer(self, *args, **kwargs):
        if args:
            instance = args[0]
            rows = [instance] if isinstance(instance, Task) else list(instance)
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["ready_milestones"] = ready_milestones(
                rows, timezone.localdate()
            )
            if not isinstance(instance, Task):
                args = (rows, *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": shapes.AcceptanceDecisionSerializer},
        responses={201: shapes.AcceptanceRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept or reject a milestone ready to be accepted directly (multipart:
        ``decision``, ``comments``, optional ``file`` and ``version``): 201 with the
        immutable record; 400 with field errors (a rejection needs comments; a refused
        file; a milestone with deliverables or not due yet), 409 when it changed since
        ``version``."""
        milestone = self.get_object()
        return _decided(
            request,
            decide_milestone,
            milestone,
            client_contact(request.user),
            lambda acceptance: {milestone.pk},
            self.get_serializer_context(),
        )
