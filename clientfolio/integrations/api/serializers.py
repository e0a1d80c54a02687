"""API shapes of chat channels, webhooks, their deliveries and the webhook payload.

Input is checked for shape here (and the URL against ``ssrf``: not http(s), or a private
address, is 400 on ``url``); the writes are ``integrations.services``. Secrets are write
only: a channel's signing secret is never read back, a webhook's is shown once, in the
answer that created or rotated it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientfolio.core.api import VersionedSerializer
from clientfolio.core.events import Kind
from clientfolio.integrations import services, ssrf
from clientfolio.integrations.models import (
    SIGNED_PLATFORMS,
    ChatChannel,
    Delivery,
    Webhook,
)

__all__ = [
    "ChatChannelSerializer",
    "DeliverySerializer",
    "TestResultSerializer",
    "WebhookCreatedSerializer",
    "WebhookPayloadSerializer",
    "WebhookSecretSerializer",
    "WebhookSerializer",
    "event_kinds",
]

EVENT_KINDS = [(kind.value, kind.value) for kind in Kind]


def event_kinds() -> list[str]:
    """The event kinds, for the schema's one ``EventKindEnum`` (ENUM_NAME_OVERRIDES)."""
    return [kind.value for kind in Kind]


def _kinds_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_KINDS),
        allow_empty=False,
        help_text="The events it receives (core.events.Kind values).",
    )


def _check_url(url: str) -> str:
    try:
        return ssrf.check_url(url)
    except ssrf.Refused as refused:
        raise serializers.ValidationError(str(refused.message)) from refused


class ChatChannelSerializer(VersionedSerializer):
    """A chat group's robot. ``project`` null: firm-wide (administrators only)."""

    url = serializers.CharField(
        max_length=1000,
        help_text="The robot's webhook address (http or https, a public address).",
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="DingTalk or Feishu / Lark signing secret; never read back. Left "
        "out on an update, the stored one is kept.",
    )
    has_secret = serializers.SerializerMethodField()
    kinds = _kinds_field()

    class Meta:
        model = ChatChannel
        fields = [
            "id",
            "project",
            "platform",
            "name",
            "url",
            "secret",
            "has_secret",
            "kinds",
            "language",
            "active",
            "last_ok_at",
            "last_error",
            "last_error_at",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "last_ok_at",
            "last_error",
            "last_error_at",
            "created_at",
            "updated_at",
        ]

    def get_has_secret(self, channel: ChatChannel) -> bool:
        return bool(channel.secret)

    def validate_url(self, url: str) -> str:
        return _check_url(url)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        platform = attrs.get("platform", getattr(self.instance, "platform", None))
        secret = attrs.get("secret")
        if secret and platform not in SIGNED_PLATFORMS:
            raise serializers.ValidationError(
                {
                    "secret": _(
                        "Only DingTalk and Feishu / Lark robots sign their messages "
                        "with a secret; leave this empty."
                    )
                }
            )
        if platform not in SIGNED_PLATFORMS:
            attrs["secret"] = ""
        elif not secret and self.instance is not None:
            attrs.pop("secret", None)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> ChatChannel:
        validated_data.pop("version", None)
        return services.create_channel(
            ChatChannel(**validated_data), user=self.context["request"].user
        )

    def update(self, instance: ChatChannel, validated_data: dict[str, Any]):
        version = validated_data.pop("version", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.update_channel(instance, version)


class WebhookSerializer(VersionedSerializer):
    """An integrator's URL that receives the events it subscribed to as signed JSON
    (``WebhookPayload``). ``is_enabled`` is false when switched off or disabled after
    failures (``disabled_at``); setting ``active`` to true again lifts that."""

    url = serializers.CharField(
        max_length=1000,
        help_text="Where the payloads are posted (http or https, a public address).",
    )
    kinds = _kinds_field()
    is_enabled = serializers.SerializerMethodField()

    class Meta:
        model = Webhook
        fields = [
            "id",
            "name",
            "url",
            "kinds",
            "active",
            "is_enabled",
            "consecutive_failures",
            "disabled_at",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "consecutive_failures",
            "disabled_at",
            "created_at",
            "updated_at",
        ]

    def get_is_enabled(self, webhook: Webhook) -> bool:
        return webhook.is_enabled

    def validate_url(self, url: str) -> str:
        return _check_url(url)

    def create(self, validated_data: dict[str, Any]) -> Webhook:
        validated_data.pop("version", None)
        webhook = Webhook(**validated_data)
        services.create_webhook(webhook, user=self.context["request"].user)
        return webhook

    def update(self, instance: Webhook, validated_data: dict[str, Any]) -> Webhook:
        version = validated_data.pop("version", None)
        active = validated_data.pop("active", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        services.update_webhook(instance, version)
        if active is not None and active != instance.is_enabled:
            services.enable(instance, active)
        return instance


class WebhookCreatedSerializer(WebhookSerializer):
    """A new webhook, with its signing secret: the only time it is shown."""

    secret = serializers.CharField(
        read_only=True,
        help_text="Signs every delivery (X-Clientfolio-Signature); shown only here.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(
        read_only=True, help_text="The new signing secret, shown only here."
    )


class DeliverySerializer(serializers.ModelSerializer):
    """One attempt to send an event (or a test, ``kind`` "ping" and no ``event``) to a
    webhook or a chat channel, and what the receiver answered (the first 2 KB)."""

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook",
            "channel",
            "event",
            "kind",
            "attempt",
            "status",
            "status_code",
            "response_excerpt",
            "error",
            "duration_ms",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


# --- the payload version 1 (documentation; built by services.webhook_payload) ---------


class _ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class _TargetSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="The record's model label, e.g. schedule.task, risks.risk."
    )
    id = serializers.IntegerField()
    url = serializers.CharField(
        help_text="The record's page (absolute); empty when it has none or is gone."
    )


class _ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WebhookPayloadSerializer(serializers.Serializer):
    """What a webhook receives: the JSON body of every delivery (payload version 1).

    Headers: ``X-Clientfolio-Event`` (the kind), ``X-Clientfolio-Delivery`` (the same
    for every attempt of one event), ``X-Clientfolio-Timestamp`` (Unix seconds) and
    ``X-Clientfolio-Signature``: ``sha256=`` and the hex HMAC-SHA256, keyed with the
    webhook's secret, of the timestamp, a ".", and the raw body."""

    version = serializers.IntegerField(help_text="Always 1 for this shape.")
    id = serializers.IntegerField(
        allow_null=True, help_text="The event's id; null for a test (kind ping)."
    )
    kind = serializers.ChoiceField(
        choices=[*EVENT_KINDS, ("ping", "ping")],
        help_text="The event (core.events.Kind), or ping for a test.",
    )
    occurred_at = serializers.DateTimeField()
    project = _ProjectSerializer(allow_null=True)
    target = _TargetSerializer()
    actor = _ActorSerializer(allow_null=True, help_text="Who did it; null for none.")
    # The metaclass moves declared fields off the class, so ``data`` stays the
    # serializer's output property.
    data = serializers.DictField(  # type: ignore[assignment]
        help_text="Event details: always title; kind specifics (docs/integrations.md)."
    )


class TestResultSerializer(serializers.Serializer):
    """The outcome of a test message, and (webhooks) the payload that was posted."""

    delivery = DeliverySerializer()
    payload = serializers.SerializerMethodField()

    @extend_schema_field(WebhookPayloadSerializer(allow_null=True))
    def get_payload(self, result: dict[str, Any]) -> Any:
        return result.get("payload")
