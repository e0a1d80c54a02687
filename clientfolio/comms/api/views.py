"""API endpoints of communication records and action items, scoped by the permission
layer; project roles decide per record (404 outside the user's projects)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.comms import services
from clientfolio.comms.api import serializers
from clientfolio.comms.filters import CommRecordFilter
from clientfolio.comms.models import ActionItem, CommRecord, Message, Participant
from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action

__all__ = ["ActionItemViewSet", "CommRecordViewSet"]


class CommRecordViewSet(ScopedViewSet):
    """Communication records with their participants. Write participants as id lists
    `participant_users` and `participant_contacts`; `send` e-mails the minutes for
    confirmation and `respond` records the signed-in participant's answer. The detail
    of a client portal thread (`kind` portal) lists its `messages` (read-only)."""

    queryset = CommRecord.objects.for_timeline()
    serializer_class = serializers.CommRecordSerializer
    filterset_class = CommRecordFilter
    ordering_fields = ["occurred_at", "id"]
    ordering = ["-occurred_at", "-id"]
    permission_actions = {"send": Action.CHANGE, "respond": Action.VIEW}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            # The detail carries a portal thread's messages (two queries more).
            queryset = queryset.prefetch_related(
                Prefetch("messages", queryset=Message.objects.for_thread())
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CommRecordDetailSerializer
        return super().get_serializer_class()

    def perform_destroy(self, instance):
        services.delete_record(instance)

    def _fresh(self, record):
        return self.get_queryset().get(pk=record.pk)

    @extend_schema(request=None, responses={200: serializers.SendResultSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        record = self.get_object()
        self.check_write(Action.CHANGE, record)
        try:
            result = services.send_minutes_for_confirmation(
                record, request.build_absolute_uri("/"), sender=request.user
            )
        except services.CommsError as error:
            raise exceptions.ValidationError({"detail": error.message}) from error
        return Response(
            {
                "sent": [p.pk for p in result.sent],
                "without_email": [p.pk for p in result.without_email],
                "reset": result.reset,
            }
        )

    @extend_schema(
        request=serializers.RespondSerializer,
        responses={200: serializers.CommRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        record = self.get_object()
        participant = Participant.objects.filter(
            record=record, user_id=request.user.pk
        ).first()
        if participant is None:
            raise exceptions.PermissionDenied(
                _("You are not a participant of this record.")
            )
        body = serializers.RespondSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.respond(
                participant,
                body.validated_data["state"],
                body.validated_data["comment"],
            )
        except services.CommsError as error:
            raise exceptions.ValidationError(
                {error.field or "detail": [error.message]}
            ) from error
        return Response(self.get_serializer(self._fresh(record)).data)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        # Answer with the row as a list would show it (annotations, prefetches).
        serializer.instance = self._fresh(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self._fresh(serializer.instance)


class ActionItemViewSet(ScopedViewSet):
    queryset = ActionItem.objects.select_related("owner", "owner_contact", "record")
    serializer_class = serializers.ActionItemSerializer
    filterset_fields = ["record", "record__project", "owner", "owner_contact", "status"]
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]
