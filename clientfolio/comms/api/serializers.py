"""API shapes of communication records and action items. Validation matches the forms;
writes go to comms.services."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.clients.models import Contact
from clientfolio.comms import services
from clientfolio.comms.models import ActionItem, CommRecord, Message, Participant
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.models import User
from clientfolio.core.relations import visible_ids
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.documents.models import Document
from clientfolio.projects.models import Project

__all__ = [
    "ActionItemSerializer",
    "AttachmentSerializer",
    "CommRecordDetailSerializer",
    "CommRecordSerializer",
    "MessageSerializer",
    "ParticipantSerializer",
    "RespondSerializer",
]


def _raise(error: services.CommsError, default: str) -> None:
    raise serializers.ValidationError({error.field or default: [error.message]})


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "user", "contact", "name", "state", "comment", "responded_at"]
        read_only_fields = fields


class _SeenAttachments(serializers.ListSerializer):
    """Leaves out an attached document the reader cannot see (moved to a project they
    are not on since it was attached)."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        if request is None or not rows:
            return super().to_representation(rows)
        seen = request.__dict__.get("_cf_seen_attachments")
        if seen is None or any(row.pk not in seen[0] for row in rows):
            # Every attachment of the page at once (the attachments are prefetched).
            page = getattr(getattr(self.parent, "parent", None), "instance", None)
            records = page if isinstance(page, (list, tuple)) else []
            wanted = {row.pk for row in rows} | {
                document.pk
                for record in records
                for document in record.attachments.all()
            }
            seen = (wanted, visible_ids(request.user, Document, wanted))
            request.__dict__["_cf_seen_attachments"] = seen
        return super().to_representation([row for row in rows if row.pk in seen[1]])


class AttachmentSerializer(serializers.ModelSerializer):
    """An attached document: its id and title, its current file, and where to download
    it (the download is logged like any other)."""

    file_name = serializers.CharField(
        source="current_version.original_name", read_only=True, default=""
    )
    size = serializers.IntegerField(
        source="current_version.size", read_only=True, default=None
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "file_name", "size", "download_url"]
        read_only_fields = fields
        list_serializer_class = _SeenAttachments

    def get_download_url(self, document: Document) -> str | None:
        if document.current_version_id is None:
            return None
        return reverse(
            "document-version-download", kwargs={"pk": document.current_version_id}
        )


class _Thread(serializers.ListSerializer):
    """Asks the permission layer once for the attachments of every message, so each
    message's ``_SeenAttachments`` finds them checked already."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        wanted = {d.pk for m in rows for d in m.attachments.all()}
        if request is not None and wanted:
            seen = request.__dict__.get("_cf_seen_attachments")
            if seen is None or not wanted <= seen[0]:
                known = wanted | (seen[0] if seen else set())
                request.__dict__["_cf_seen_attachments"] = (
                    known,
                    visible_ids(request.user, Document, known),
                )
        return super().to_representation(rows)


class MessageSerializer(serializers.ModelSerializer):
    """A message of a client portal thread, read-only: its author (a staff member or a
    client contact), text and attachments."""

    author_name = serializers.CharField(read_only=True)
    is_from_client = serializers.BooleanField(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "author_user",
            "author_contact",
            "author_name",
            "is_from_client",
            "body",
            "attachments",
            "created_at",
        ]
        read_only_fields = fields
        list_serializer_class = _Thread


class CommRecordSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    participants = ParticipantSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    attachment_files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        write_only=True,
        help_text="Files to attach (multipart); each becomes a document of the "
        "project in its Minutes folder. All or nothing with the record.",
    )
    remove_attachments = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text="Documents (ids) to detach; they stay in the project's documents.",
    )
    participant_users = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.internal().active(),
        many=True,
        required=False,
        write_only=True,
        help_text="Staff participants (ids); they must be on the project team.",
    )
    participant_contacts = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text="Client participants (ids); contacts of the project's client.",
    )
    confirmation_state = serializers.CharField(read_only=True)
    open_action_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = CommRecord
        fields = [
            "id",
            "project",
            "kind",
            "occurred_at",
            "duration_minutes",
            "location",
            "subject",
            "agenda",
            "minutes",
            "decisions",
            "email_from",
            "email_to",
            "created_by",
            "participants",
            "participant_users",
            "participant_contacts",
            "attachments",
            "attachment_files",
            "remove_attachments",
            "confirmation_state",
            "minutes_sent_at",
            "open_action_count",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "created_by",
            "minutes_sent_at",
            "created_at",
            "updated_at",
        ]

    def validate_subject(self, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError(_("Enter a subject."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if (
            self.instance is not None
            and "project" in attrs
            and attrs["project"] != self.instance.project
        ):
            raise serializers.ValidationError(
                {"project": _("A record cannot move to another project.")}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        users = validated_data.pop("participant_users", [])
        contacts = validated_data.pop("participant_contacts", [])
        files = validated_data.pop("attachment_files", [])
        validated_data.pop("remove_attachments", None)
        try:
            return services.create_record(
                CommRecord(**validated_data),
                user=self.context["request"].user,
                participant_users=users,
                participant_contacts=contacts,
                files=files,
            )
        except services.CommsError as error:
            _raise(error, "non_field_errors")

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        users = validated_data.pop("participant_users", None)
        contacts = validated_data.pop("participant_contacts", None)
        files = validated_data.pop("attachment_files", [])
        detach = validated_data.pop("remove_attachments", [])
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return services.update_record(
                instance,
                version,
                participant_users=users,
                participant_contacts=contacts,
                files=files,
                detach=detach,
                user=self.context["request"].user,
            )
        except services.CommsError as error:
            _raise(error, "non_field_errors")


class CommRecordDetailSerializer(CommRecordSerializer):
    """One record as its detail reads it: with the messages of a portal thread (empty
    for other kinds), oldest first."""

    messages = MessageSerializer(many=True, read_only=True)

    class Meta(CommRecordSerializer.Meta):
        fields = [*CommRecordSerializer.Meta.fields, "messages"]


class ActionItemSerializer(VersionedSerializer):
    record = ScopedRelatedField(queryset=CommRecord.objects.all())
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.internal().active(),
        allow_null=True,
        required=False,
    )
    owner_contact = ScopedRelatedField(
        queryset=Contact.objects.all(),
        allow_null=True,
        required=False,
        help_text="A client contact who took part in the record, instead of `owner`.",
    )
    owner_name = serializers.CharField(read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "record",
            "text",
            "owner",
            "owner_contact",
            "owner_name",
            "due_on",
            "status",
            "status_set_by_contact",
            "is_open",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if (
            self.instance is not None
            and "record" in attrs
            and attrs["record"] != self.instance.record
        ):
            raise serializers.ValidationError(
                {"record": _("An action item cannot move to another record.")}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.save_action_item(
                ActionItem(**validated_data), actor=self.context["request"].user
            )
        except services.CommsError as error:
            _raise(error, "non_field_errors")

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return services.save_action_item(
                instance, version, actor=self.context["request"].user
            )
        except services.CommsError as error:
            _raise(error, "non_field_errors")


class RespondSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[Participant.State.CONFIRMED, Participant.State.DISPUTED]
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, default=""
    )


class SendResultSerializer(serializers.Serializer):
    sent = serializers.ListField(child=serializers.IntegerField())
    without_email = serializers.ListField(child=serializers.IntegerField())
    reset = serializers.BooleanField()
