"""The portal API's change requests (``/api/v1/portal/change-requests/``): those of the
client's projects that the portal shows them, and their decision on one awaiting it."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from clientfolio.core.permissions import Action, client_contact
from clientfolio.portal.api import serializers as shapes
from clientfolio.portal.api.views import PortalViewSet
from clientfolio.portal.decisions import DecisionError, decide_change_request
from clientfolio.projects.models import ChangeRequest, ChangeRequestTransition

__all__ = ["ChangeRequestViewSet", "refused"]


def refused(error: DecisionError) -> ValidationError:
    """A refused decision as a 400: the message under its field, or ``non_field_errors``."""
    return ValidationError({error.field or "non_field_errors": [error.message]})


class ChangeRequestViewSet(
    PortalViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """Change requests of the client's projects (those sent to the client, decided, or
    asked for by the contact), newest first, with their impact and history. ``decide``
    approves or rejects one awaiting the client, as the signed-in contact's decision."""

    queryset = ChangeRequest.objects.select_related(
        "decided_by", "requested_by_contact"
    ).prefetch_related(
        Prefetch(
            "transitions",
            queryset=ChangeRequestTransition.objects.order_by("at", "id"),
        )
    )
    serializer_class = shapes.PortalChangeRequestSerializer
    filterset_fields = ["project", "status"]
    ordering_fields = ["number", "requested_on", "id"]
    ordering = ["project", "-number"]
    permission_actions = {"decide": Action.CHANGE}

    @extend_schema(
        request=shapes.ChangeDecisionSerializer,
        responses=shapes.PortalChangeRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve or reject a change request awaiting the client: 400 with field
        errors (a rejection needs a comment; a request already decided is refused), 409
        when it changed since ``version``; nothing is saved then."""
        change = self.get_object()
        body = shapes.ChangeDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            decide_change_request(
                change,
                decision=data["decision"],
                comment=data["comment"],
                contact=client_contact(request.user),
                user=request.user,
                expected_version=data["version"],
            )
        except DecisionError as error:
            raise refused(error) from error
        return Response(self.get_serializer(self.get_object()).data)
