"""API shapes of notifications, preferences and follows. Input is checked for shape here;
the writes are ``notifications.services``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientfolio.core.events import KIND_LABELS, Kind
from clientfolio.notifications.follows import FOLLOWABLE, followable
from clientfolio.notifications.forms import DIGEST_TIME_ERROR
from clientfolio.notifications.models import (
    EmailMode,
    Follow,
    Notification,
    validate_digest_time,
)
from clientfolio.notifications.targets import describe

__all__ = [
    "FollowSerializer",
    "NotificationSerializer",
    "PreferenceSerializer",
    "PreferencesSerializer",
    "ReadAllSerializer",
]


class NotificationSerializer(serializers.ModelSerializer):
    """One notification as its reader was told it, in the request's language."""

    title = serializers.SerializerMethodField(help_text="One line: who did what.")
    object_name = serializers.SerializerMethodField()
    project_name = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField(
        help_text="The page that marks it read and opens the object it is about."
    )
    is_unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "object_name",
            "project_id",
            "project_name",
            "target_type",
            "target_id",
            "web_url",
            "is_unread",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def _d(self, row: Notification) -> Any:
        if "_cf_description" not in row.__dict__:
            row.__dict__["_cf_description"] = describe(row.event, snapshot=True)
        return row.__dict__["_cf_description"]

    def get_title(self, row: Notification) -> str:
        return str(self._d(row).title)

    def get_object_name(self, row: Notification) -> str:
        return str(self._d(row).object_name)

    def get_project_name(self, row: Notification) -> str:
        return str(self._d(row).project_name)

    def get_kind_label(self, row: Notification) -> str:
        return str(self._d(row).kind_label)

    def get_web_url(self, row: Notification) -> str:
        return reverse("notifications:open", kwargs={"pk": row.pk})

    def get_is_unread(self, row: Notification) -> bool:
        return row.read_at is None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread.")


_KINDS = [kind.value for kind in Kind]


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[03]0$",
        "example": "08:00",
    }
)
class DigestTimeField(serializers.TimeField):
    """``HH:MM`` on the hour or the half hour."""


class PreferenceSerializer(serializers.Serializer):
    """How the user hears about one kind of event."""

    kind = serializers.ChoiceField(choices=_KINDS)
    kind_label = serializers.SerializerMethodField()
    in_app = serializers.BooleanField(required=False)
    email = serializers.ChoiceField(choices=EmailMode.choices, required=False)

    def get_kind_label(self, row: dict[str, Any]) -> str:
        return str(KIND_LABELS.get(row["kind"], row["kind"]))


class PreferencesSerializer(serializers.Serializer):
    """Every kind of event with its channels, and the daily digest's time. A PATCH sends
    only what changes: ``digest_time`` and/or some ``kinds``."""

    digest_time = DigestTimeField(
        required=False,
        format="%H:%M",
        input_formats=["%H:%M", "%H:%M:%S"],
        validators=[validate_digest_time],
        error_messages={"invalid": DIGEST_TIME_ERROR},
        help_text="In the user's time zone, on the hour or the half hour "
        "(00:00 to 23:30).",
    )
    kinds = PreferenceSerializer(many=True, required=False)

    def validate_kinds(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen = set()
        for row in rows:
            if row["kind"] in seen:
                raise serializers.ValidationError(
                    _("Each event may be named once: %(kind)s.") % {"kind": row["kind"]}
                )
            seen.add(row["kind"])
        return rows


class FollowSerializer(serializers.ModelSerializer):
    """A record the user follows. ``target_type`` is one of the kinds people discuss; a
    record outside the user's scope does not exist for them (400, as for an unknown id)."""

    target_type = serializers.ChoiceField(choices=sorted(FOLLOWABLE))
    target_id = serializers.IntegerField(min_value=1)
    project_id = serializers.SerializerMethodField()

    class Meta:
        model = Follow
        fields = ["id", "target_type", "target_id", "project_id", "created_at"]
        read_only_fields = ["id", "project_id", "created_at"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_project_id(self, row: Follow) -> int | None:
        return row.project_id

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]
        target = followable(request.user, attrs["target_type"], attrs["target_id"])
        if target is None:
            message = serializers.PrimaryKeyRelatedField.default_error_messages[
                "does_not_exist"
            ]
            raise serializers.ValidationError(
                {"target_id": [str(message).format(pk_value=attrs["target_id"])]}
            )
        attrs["target"] = target
        return attrs
