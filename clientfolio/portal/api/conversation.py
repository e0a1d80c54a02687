"""The portal API's conversation with the client (``/api/v1/portal/``): the meetings a
contact took part in and their answer to the minutes, the action items they own, their
feedback and requests, and their conversations with the project team. Client contacts
only (``PortalViewSet``); outside the contact's scope a record does not exist (404).
Refused input is a 400 with the message under its field; nothing is saved then."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.clients import services as clients
from clientfolio.clients.models import Feedback, Requirement
from clientfolio.comms import services as comms
from clientfolio.comms.models import ActionItem, CommRecord, Message, Participant
from clientfolio.core.permissions import Action, can, client_contact, portal_scope
from clientfolio.portal.api.views import PortalViewSet
from clientfolio.portal.views.read_only import is_read_only, read_only_message
from clientfolio.projects.models import Project

__all__ = [
    "RESPONSES",
    "ActionItemViewSet",
    "FeedbackViewSet",
    "MeetingViewSet",
    "RequirementViewSet",
    "ThreadViewSet",
]


def _refused(error: comms.CommsError) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {error.field or "non_field_errors": [error.message]}
    )


def _refuse_closed(project: Project) -> None:
    """A past project's records are read-only in the portal: 403, saying why."""
    if is_read_only(project):
        raise exceptions.PermissionDenied(read_only_message())


def _contact(request) -> Any:
    return client_contact(request.user)


# --- meetings ---------------------------------------------------------------------------


class PortalParticipantSerializer(serializers.Serializer):
    name = serializers.CharField()
    state = serializers.CharField()


class PortalMeetingActionItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    owner = serializers.CharField(source="owner_name")
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    is_mine = serializers.BooleanField()
    version = serializers.IntegerField()


class PortalMeetingSerializer(serializers.ModelSerializer):
    """A meeting whose minutes the contact is asked to confirm, with their answer
    (``my_state``: pending, confirmed or disputed)."""

    my_state = serializers.CharField(read_only=True)
    my_comment = serializers.CharField(read_only=True)
    my_responded_at = serializers.DateTimeField(read_only=True, allow_null=True)
    participants = serializers.SerializerMethodField()
    action_items = serializers.SerializerMethodField()

    class Meta:
        model = CommRecord
        fields = [
            "id",
            "project",
            "kind",
            "subject",
            "occurred_at",
            "location",
            "minutes",
            "decisions",
            "minutes_sent_at",
            "my_state",
            "my_comment",
            "my_responded_at",
            "participants",
            "action_items",
        ]
        read_only_fields = fields

    @extend_schema_field(PortalParticipantSerializer(many=True))
    def get_participants(self, record) -> list[dict[str, Any]]:
        return [{"name": str(p), "state": p.state} for p in record.participants.all()]

    @extend_schema_field(PortalMeetingActionItemSerializer(many=True))
    def get_action_items(self, record) -> list[dict[str, Any]]:
        contact_id = self.context["contact_id"]
        return [
            {
                "id": item.pk,
                "text": item.text,
                "owner_name": item.owner_name,
                "due_on": item.due_on,
                "status": item.status,
                "is_mine": item.owner_contact_id == contact_id,
                "version": item.version,
            }
            for item in record.action_items.all()
        ]


# A contact's answer to the minutes.
RESPONSES = [
    (Participant.State.CONFIRMED.value, Participant.State.CONFIRMED.label),
    (Participant.State.DISPUTED.value, Participant.State.DISPUTED.label),
]


class PortalRespondSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=RESPONSES)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, default=""
    )


class MeetingViewSet(PortalViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Meetings the contact took part in whose minutes were sent for confirmation, with
    minutes, decisions, participants, action items and the contact's answer, newest
    first. ``respond`` confirms or disputes them (a dispute needs a comment); an answer
    may be changed."""

    queryset = (
        CommRecord.objects.filter(minutes_sent_at__isnull=False)
        .exclude(kind=CommRecord.Kind.PORTAL)
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user", "contact"),
            ),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related(
                    "owner", "owner_contact"
                ).order_by("due_on", "id"),
            ),
        )
    )
    serializer_class = PortalMeetingSerializer
    filterset_fields = ["project"]
    ordering_fields = ["occurred_at", "id"]
    ordering = ["-occurred_at", "-id"]
    permission_actions = {"respond": Action.CHANGE}

    def get_queryset(self):
        contact = _contact(self.request)
        mine = Participant.objects.filter(record=OuterRef("pk"), contact=contact)
        return (
            super()
            .get_queryset()
            .annotate(
                my_state=Subquery(mine.values("state")[:1]),
                my_comment=Subquery(mine.values("comment")[:1]),
                my_responded_at=Subquery(mine.values("responded_at")[:1]),
            )
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        contact = _contact(self.request)
        context["contact_id"] = getattr(contact, "pk", None)
        return context

    @extend_schema(request=PortalRespondSerializer, responses=PortalMeetingSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Confirm or dispute the minutes: 400 with field errors (a dispute without a
        comment, an unknown state); 403 on a completed project."""
        record = self.get_object()
        self.check_write(Action.CHANGE, record)
        _refuse_closed(record.project)
        body = PortalRespondSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact = _contact(request)
        participant = next(
            (p for p in record.participants.all() if p.contact_id == contact.pk), None
        )
        if participant is None:
            raise exceptions.NotFound
        try:
            comms.respond(
                participant,
                body.validated_data["state"],
                body.validated_data["comment"],
            )
        except comms.CommsError as error:
            raise _refused(error) from error
        return Response(self.get_serializer(self.get_object()).data)


# --- action items -------------------------------------------------------------------


class PortalActionItemSerializer(serializers.ModelSerializer):
    """An action item the contact owns, with the meeting it came from."""

    meeting = serializers.IntegerField(source="record_id", read_only=True)
    meeting_subject = serializers.CharField(source="record.subject", read_only=True)
    project = serializers.IntegerField(source="record.project_id", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "text",
            "due_on",
            "status",
            "meeting",
            "meeting_subject",
            "project",
            "version",
        ]
        read_only_fields = fields


class PortalDoneSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        help_text="The version the caller saw; a stale version is answered with 409.",
    )


class ActionItemViewSet(PortalViewSet, mixins.ListModelMixin):
    """The action items the contact owns, soonest due first. ``done`` marks one done,
    as the contact's own doing (its history names them)."""

    queryset = ActionItem.objects.select_related("record", "record__project")
    serializer_class = PortalActionItemSerializer
    filterset_fields = ["status"]
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]
    permission_actions = {"done": Action.CHANGE}

    @extend_schema(request=PortalDoneSerializer, responses=PortalActionItemSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the item done: 409 when it changed since ``version``; 403 on a
        completed project."""
        item = self.get_object()
        self.check_write(Action.CHANGE, item)
        _refuse_closed(item.record.project)
        body = PortalDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            comms.set_action_item_status(
                item,
                ActionItem.Status.DONE,
                body.validated_data.get("version"),
                contact=_contact(request),
            )
        except comms.CommsError as error:
            raise _refused(error) from error
        return Response(self.get_serializer(item).data)


# --- feedback and requests ----------------------------------------------------------


class PortalFeedbackSerializer(serializers.ModelSerializer):
    """Praise, a suggestion or a complaint the contact sent, with its status and the
    team's answer (``resolution``)."""

    kind = serializers.ChoiceField(choices=Feedback.Kind.choices)
    severity = serializers.ChoiceField(
        choices=Feedback.Severity.choices,
        required=False,
        help_text="For a complaint (default medium); others are low.",
    )
    subject = serializers.CharField(max_length=200)
    detail = serializers.CharField(max_length=10000, required=False, allow_blank=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "kind",
            "severity",
            "subject",
            "detail",
            "channel",
            "received_on",
            "status",
            "resolution",
            "resolved_on",
        ]
        read_only_fields = [
            "id",
            "channel",
            "received_on",
            "status",
            "resolution",
            "resolved_on",
        ]

    def create(self, validated_data):
        return clients.submit_feedback(
            self.context["contact"],
            kind=validated_data["kind"],
            subject=validated_data["subject"],
            detail=validated_data.get("detail", ""),
            severity=validated_data.get("severity", Feedback.Severity.MEDIUM),
        )


class PortalRequirementSerializer(serializers.ModelSerializer):
    """A new requirement the contact asked for, with its status."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=10000, required=False, allow_blank=True
    )

    class Meta:
        model = Requirement
        fields = ["id", "title", "description", "wanted_by", "status", "created_at"]
        read_only_fields = ["id", "status", "created_at"]

    def create(self, validated_data):
        return clients.submit_requirement(
            self.context["contact"],
            title=validated_data["title"],
            description=validated_data.get("description", ""),
            wanted_by=validated_data.get("wanted_by"),
        )


class _SentByTheContact(PortalViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """What the contact sends to their account manager: created through the client
    library's services, which set the client, the contact and the channel."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["contact"] = _contact(self.request)
        return context

    def perform_create(self, serializer):
        # The service sets who sent it; the permission layer is asked about the kind
        # of record (a contact may send feedback and requests of their own).
        model = serializer.Meta.model
        if not can(self.request.user, Action.ADD, model):
            raise exceptions.PermissionDenied
        serializer.save()


class FeedbackViewSet(_SentByTheContact):
    """Feedback the contact sent or the team recorded from them, newest first; a POST
    sends new praise, a suggestion or a complaint to the account manager."""

    queryset = Feedback.objects.all()
    serializer_class = PortalFeedbackSerializer
    filterset_fields = ["kind", "status"]
    ordering_fields = ["received_on", "id"]
    ordering = ["-received_on", "-id"]


class RequirementViewSet(_SentByTheContact):
    """Requirements the contact asked for in the portal, newest first; a POST asks for
    a new one."""

    queryset = Requirement.objects.all()
    serializer_class = PortalRequirementSerializer
    filterset_fields = ["status"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]


# --- conversations with the project team -----------------------------------------


class PortalAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.IntegerField(source="current_version_id", allow_null=True)


class PortalMessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_name", read_only=True)
    from_client = serializers.BooleanField(source="is_from_client", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "author", "from_client", "body", "created_at", "attachments"]
        read_only_fields = fields

    @extend_schema_field(PortalAttachmentSerializer(many=True))
    def get_attachments(self, message) -> list[dict[str, Any]]:
        return [
            {"id": d.pk, "title": d.title, "version": d.current_version_id}
            for d in message.attachments.all()
            if d.visibility == "shared"
        ]


class PortalThreadSerializer(serializers.ModelSerializer):
    """A conversation with the project team (a communication record of kind portal)
    with its messages, oldest first."""

    message_count = serializers.IntegerField(read_only=True)
    last_message_at = serializers.DateTimeField(read_only=True, allow_null=True)
    messages = PortalMessageSerializer(many=True, read_only=True)

    class Meta:
        model = CommRecord
        fields = [
            "id",
            "project",
            "subject",
            "occurred_at",
            "message_count",
            "last_message_at",
            "messages",
        ]
        read_only_fields = fields


class PortalThreadCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    subject = serializers.CharField(max_length=300)
    body = serializers.CharField(max_length=Message.MAX_LENGTH)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list
    )


class PortalReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Message.MAX_LENGTH)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list
    )


class ThreadViewSet(
    PortalViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """The contact's conversations with their projects' teams, latest message first. A
    POST starts one (``project``, ``subject``, ``body``, optional ``files`` as
    multipart); ``reply`` answers in one."""

    queryset = (
        CommRecord.objects.filter(kind=CommRecord.Kind.PORTAL)
        .annotate(
            message_count=Count("messages"), last_message_at=Max("messages__created_at")
        )
        .prefetch_related(Prefetch("messages", queryset=Message.objects.for_thread()))
    )
    serializer_class = PortalThreadSerializer
    filterset_fields = ["project"]
    ordering_fields = ["last_message_at", "id"]
    ordering = ["-last_message_at", "-id"]
    permission_actions = {"reply": Action.CHANGE}

    def _project(self, pk: int) -> Project:
        project = portal_scope(
            _contact(self.request), Project.objects.filter(pk=pk)
        ).first()
        if project is None:
            raise exceptions.ValidationError({"project": [_unknown_project(pk)]})
        return project

    @extend_schema(
        request={"multipart/form-data": PortalThreadCreateSerializer},
        responses={201: PortalThreadSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Start a conversation: 400 with field errors (empty subject or message, a
        project the contact does not see, a refused file); 403 on a completed
        project."""
        body = PortalThreadCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = self._project(data["project"])
        if not can(request.user, Action.ADD, CommRecord):
            raise exceptions.PermissionDenied
        _refuse_closed(project)
        try:
            record = comms.start_portal_thread(
                project,
                _contact(request),
                data["subject"],
                data["body"],
                files=data["files"],
            )
        except comms.CommsError as error:
            raise _refused(error) from error
        thread = self.get_queryset().get(pk=record.pk)
        return Response(
            self.get_serializer(thread).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={"multipart/form-data": PortalReplySerializer},
        responses={201: PortalMessageSerializer},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Reply in a conversation: 400 with field errors (an empty message, a refused
        file); 403 on a completed project."""
        record = self.get_object()
        self.check_write(Action.CHANGE, record)
        _refuse_closed(record.project)
        body = PortalReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            message = comms.post_message(
                record,
                contact=_contact(request),
                body=body.validated_data["body"],
                files=body.validated_data["files"],
            )
        except comms.CommsError as error:
            raise _refused(error) from error
        message = Message.objects.for_thread().get(pk=message.pk)
        return Response(
            PortalMessageSerializer(message).data, status=status.HTTP_201_CREATED
        )


def _unknown_project(pk: int) -> str:
    message = serializers.PrimaryKeyRelatedField.default_error_messages[
        "does_not_exist"
    ]
    return str(message).format(pk_value=pk)
