"""API building blocks: versioned serializers and viewsets scoped by the permission layer."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets

from clientfolio.core.permissions import scope

__all__ = ["ScopedViewSet", "VersionedSerializer"]


class VersionedSerializer(serializers.ModelSerializer):
    """Exposes ``version``; an update must send the version it was based on."""

    version = serializers.IntegerField(
        required=False,
        help_text="The version this update is based on; required for updates. "
        "A stale version is answered with 409.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": _("This field is required.")})
        return super().validate(attrs)


class ScopedViewSet(viewsets.ModelViewSet):
    """A model viewset whose rows come through the permission layer (404 outside scope)."""

    def get_queryset(self):
        return scope(self.request.user, super().get_queryset())
