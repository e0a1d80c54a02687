"""API of the signed-in user's notifications, notification preferences and follows.

Everything here is the caller's own: another user's notification or follow does not
exist (404); client contacts have none (403). Every viewset stands on the scoped base of
``core.api``, whose permission layer answers before anything is read or written."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.permissions import Action, project_of
from clientfolio.notifications import services
from clientfolio.notifications.api import serializers
from clientfolio.notifications.channels import Channels, grid_for
from clientfolio.notifications.models import Follow, Notification, Preference
from clientfolio.notifications.targets import prefetch_projects

__all__ = ["FollowViewSet", "NotificationViewSet", "PreferencesViewSet"]


def _own(rows: QuerySet[Any], request: Request) -> QuerySet[Any]:
    """Only the caller's rows: nobody, administrators included, sees another's."""
    user_id = getattr(request.user, "pk", None)
    if user_id is None:  # the schema generator's anonymous request
        return rows.none()
    return rows.filter(user_id=user_id)


class NotificationViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """The caller's notifications, newest first; ``?unread=true`` for the unread only."""

    queryset = Notification.objects.all()
    serializer_class = serializers.NotificationSerializer
    permission_actions = {"read": Action.CHANGE, "read_all": Action.CHANGE}
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Notification]:
        rows = (
            _own(super().get_queryset(), self.request)
            .filter(in_app=True)
            .select_related("event", "event__actor")
        )
        if self.action == "list" and self.request.query_params.get("unread") in (
            "1",
            "true",
            "True",
        ):
            rows = rows.filter(read_at__isnull=True)
        return rows

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            prefetch_projects(row.event for row in page)
        return page

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", bool, description="Only the notifications not read yet."
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: serializers.NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        """Mark it read (the first reading time stays)."""
        row = self.get_object()
        self.check_write(Action.CHANGE, row)
        services.mark_read(row)
        return Response(self.get_serializer(row).data)

    @extend_schema(request=None, responses={200: serializers.ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification read."""
        user: Any = request.user
        self.check_write(Action.CHANGE, Notification(user_id=user.pk))
        return Response({"marked": services.mark_all_read(request.user)})


class PreferencesViewSet(ScopedGenericViewSet):
    """The caller's channels for every kind of event, and their digest time: one
    resource per user, at ``notification-preferences/`` (GET, PATCH)."""

    queryset = Preference.objects.all()
    serializer_class = serializers.PreferencesSerializer
    pagination_class = None

    def _body(self, request: Request) -> dict[str, Any]:
        grid = grid_for(request.user)
        return {
            "digest_time": services.settings_of(request.user).digest_time,
            "kinds": [
                {"kind": kind, "in_app": channels.in_app, "email": channels.email}
                for kind, channels in grid.items()
            ],
        }

    @extend_schema(responses={200: serializers.PreferencesSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self._body(request)).data)

    @extend_schema(
        request=serializers.PreferencesSerializer,
        responses={200: serializers.PreferencesSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change some channels and/or the digest time; a bad value (a digest time off
        the half hours, an unknown kind, an unknown channel) is 400 naming the field,
        and nothing is saved."""
        user: Any = request.user
        self.check_write(Action.CHANGE, Preference(user_id=user.pk))
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            grid = grid_for(request.user)
            for row in data.validated_data.get("kinds", []):
                current = grid[row["kind"]]
                grid[row["kind"]] = Channels(
                    row.get("in_app", current.in_app), row.get("email", current.email)
                )
            services.save_preferences(request.user, grid)
            if "digest_time" in data.validated_data:
                services.set_digest_time(
                    request.user, data.validated_data["digest_time"]
                )
        return Response(self.get_serializer(self._body(request)).data)


class FollowViewSet(
    ScopedGenericViewSet,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
):
    """Records the caller follows explicitly (owners, assignees and commenters follow
    without a row here). Following a record outside the caller's scope is 400, as for
    an unknown id; following it twice is the one follow."""

    queryset = Follow.objects.all()
    serializer_class = serializers.FollowSerializer
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Follow]:
        return _own(super().get_queryset(), self.request)

    def perform_create(self, serializer: Any) -> None:
        user: Any = self.request.user
        target = serializer.validated_data["target"]
        key = {"target_type": target._meta.label_lower, "target_id": target.pk}
        with transaction.atomic():
            project = project_of(target)
            self.check_write(
                Action.ADD,
                Follow(user_id=user.pk, project_id=getattr(project, "pk", None), **key),
            )
            services.follow(user, target)
            serializer.instance = Follow.objects.get(user_id=user.pk, **key)

    def perform_destroy(self, instance: Follow) -> None:
        self.check_write(Action.DELETE, instance)
        instance.delete()
