"""The portal API's permission class: for client contacts only (anyone else gets 404,
as a client gets 404 from the staff API); then the permission layer decides."""

from rest_framework import exceptions, permissions

from clientfolio.core.api_policy import ScopedPermission
from clientfolio.core.permissions import is_client

__all__ = ["PortalPermission"]


class PortalPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if not is_client(request.user):
            raise exceptions.NotFound
        return ScopedPermission().has_permission(request, view)

    def has_object_permission(self, request, view, obj) -> bool:
        return ScopedPermission().has_object_permission(request, view, obj)
