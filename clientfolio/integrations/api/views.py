"""API of chat channels, outgoing webhooks and their deliveries, with the permissions of
the pages: webhooks and firm-wide channels are the administrators', a project's channels
its manager's (404 outside the projects one manages); deliveries are read only.

``POST chat-channels/{id}/test/`` and ``POST webhooks/{id}/test/`` send a test message
now and answer what the receiver said (the platform's error included);
``POST webhooks/{id}/rotate-secret/`` makes a new signing secret, shown once;
``POST deliveries/{id}/redeliver/`` sends a logged delivery's event again."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clientfolio.core.api import ScopedGenericViewSet, ScopedViewSet
from clientfolio.core.permissions import Action
from clientfolio.integrations import services
from clientfolio.integrations.api import serializers
from clientfolio.integrations.models import ChatChannel, Delivery, Webhook

__all__ = ["ChatChannelViewSet", "DeliveryViewSet", "WebhookViewSet"]


class ChatChannelViewSet(ScopedViewSet):
    """Chat channels: a group robot on DingTalk, WeCom, Feishu / Lark, Slack or
    Microsoft Teams that hears about some kinds of event, of one project or (no
    project, administrators only) of the whole firm. A URL that is not http(s) or
    points at a private address is 400 on ``url``, and nothing is saved."""

    queryset = ChatChannel.objects.all()
    serializer_class = serializers.ChatChannelSerializer
    filterset_fields = ["project", "platform", "active"]
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]
    permission_actions = {"test": Action.CHANGE}

    def perform_destroy(self, instance: ChatChannel) -> None:
        services.delete_channel(instance)

    @extend_schema(request=None, responses={200: serializers.TestResultSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: Any = None) -> Response:
        """Send a test message now; ``delivery.status`` ok or failed, with the
        platform's error (also kept on the channel as ``last_error``)."""
        channel = self.get_object()
        self.check_write(Action.CHANGE, channel)
        delivery = services.test_channel(channel)
        return Response(
            serializers.TestResultSerializer(
                {"delivery": delivery, "payload": None}
            ).data
        )


class WebhookViewSet(ScopedViewSet):
    """Outgoing webhooks (administrators). Every event a webhook subscribed to is
    POSTed to its URL as JSON (``WebhookPayload``, version 1), signed: the header
    ``X-Clientfolio-Signature`` is ``sha256=`` and the hex HMAC-SHA256, keyed with the
    webhook's secret, of ``X-Clientfolio-Timestamp``, a ``.`` and the raw body. A
    failed delivery is tried again with exponential backoff; a webhook whose events
    fail every attempt too many times in a row is disabled (``disabled_at``). The
    secret is in the answer of the create and of ``rotate-secret`` only."""

    queryset = Webhook.objects.all()
    serializer_class = serializers.WebhookSerializer
    filterset_fields = ["active"]
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]
    permission_actions = {"test": Action.CHANGE, "rotate_secret": Action.CHANGE}

    @extend_schema(responses={201: serializers.WebhookCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(
            serializers.WebhookCreatedSerializer(serializer.instance).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance: Webhook) -> None:
        services.delete_webhook(instance)

    @extend_schema(request=None, responses={200: serializers.TestResultSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: Any = None) -> Response:
        """Post a test (``kind`` ping) now; the answer holds the delivery and the
        payload that was posted."""
        webhook = self.get_object()
        self.check_write(Action.CHANGE, webhook)
        delivery = services.test_webhook(webhook)
        payload = getattr(delivery, "payload", None) or services.ping_payload(webhook)
        return Response(
            serializers.TestResultSerializer(
                {"delivery": delivery, "payload": payload}
            ).data
        )

    @extend_schema(request=None, responses={200: serializers.WebhookSecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: Any = None) -> Response:
        """Make a new signing secret (the old one stops working at once)."""
        webhook = self.get_object()
        self.check_write(Action.CHANGE, webhook)
        return Response({"secret": services.rotate_secret(webhook)})


class DeliveryViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """The delivery log (administrators): every attempt, newest first, with the
    receiver's status code, the start of its answer, the error and the time taken."""

    queryset = Delivery.objects.all()
    serializer_class = serializers.DeliverySerializer
    filterset_fields = ["webhook", "channel", "event", "status", "kind"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    permission_actions = {"redeliver": Action.VIEW}

    @extend_schema(request=None, responses={202: serializers.DeliverySerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, pk: Any = None) -> Response:
        """Send this delivery's event to its webhook again, as the next attempt
        (queued; the new attempt appears in the log). Webhook deliveries only."""
        delivery = self.get_object()
        if delivery.webhook is None:
            from rest_framework.exceptions import NotFound

            raise NotFound
        self.check_write(Action.CHANGE, delivery.webhook)
        services.redeliver(delivery)
        return Response(
            serializers.DeliverySerializer(delivery).data,
            status=status.HTTP_202_ACCEPTED,
        )
