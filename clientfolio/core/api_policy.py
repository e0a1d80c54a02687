"""API policy referenced from settings: permission class, pagination and error handling.

Kept apart from the viewset helpers because DRF imports these while it builds APIView.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.deletion import ProtectedError, RestrictedError
from rest_framework import exceptions, pagination, permissions, status
from rest_framework.response import Response

from clientfolio.core.deletion import refusal_payload
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, is_client

logger = logging.getLogger(__name__)

__all__ = [
    "METHOD_ACTIONS",
    "KnownMethod",
    "Pagination",
    "ScopedPermission",
    "exception_handler",
    "method_action",
]

METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


def method_action(request) -> Action:
    """The permission layer's action for the request's HTTP method; any other method
    (TRACE, QUERY, WebDAV's…) is refused with 405 before anything else is asked."""
    action = METHOD_ACTIONS.get(request.method)
    if action is None:
        raise exceptions.MethodNotAllowed(request.method)
    return action


class ScopedPermission(permissions.BasePermission):
    """Asks the permission layer about the view's model; custom actions name their own."""

    def has_permission(self, request, view) -> bool:
        method = method_action(request)
        if not request.user or not request.user.is_authenticated:
            return False
        if is_client(request.user) and not getattr(view, "is_portal", False):
            # The staff API does not exist for client contacts (the portal's has
            # ``is_portal``), whichever way they signed in.
            raise exceptions.NotFound
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            # Views without a model (schema, docs) are open to any signed-in staff user.
            return bool(getattr(request.user, "is_internal", False))
        action = getattr(view, "permission_actions", {}).get(
            getattr(view, "action", None)
        )
        return can(request.user, action or method, model)

    def has_object_permission(self, request, view, obj) -> bool:
        """Project folder records: the user's role on the record's own project decides."""
        action = getattr(view, "permission_actions", {}).get(
            getattr(view, "action", None)
        )
        return can(request.user, action or method_action(request), obj)


class KnownMethod(permissions.BasePermission):
    """For views with permission classes of their own: 405 for an unknown HTTP method
    before authentication is asked for (as ``ScopedPermission`` does)."""

    def has_permission(self, request, view) -> bool:
        method_action(request)
        return True


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, plus 409 for stale versions and refused deletions, and 400 for
    model validation errors."""
    if isinstance(exc, StaleVersion):
        current = exc.current
        return Response(
            {
                "detail": str(exc.message),
                "current_version": getattr(current, "version", None),
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ProtectedError | RestrictedError):
        # Records that hold the object (a client's acceptance on a contact, invoices
        # on a contract): named by kind only, as they may be outside the caller's scope.
        from rest_framework.views import set_rollback

        set_rollback()
        return Response(refusal_payload(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code in (401, 403):
        _log_refusal(context.get("request"), response.status_code)
    return response


def _log_refusal(request, status_code: int) -> None:
    """A refused API request, for the operator: 403 at WARNING, 401 (no or a bad
    credential) at INFO."""
    if request is None:
        return
    user = getattr(request, "user", None)
    logger.log(
        logging.WARNING if status_code == 403 else logging.INFO,
        "API %s %s refused with %d for %s",
        request.method,
        request.path,
        status_code,
        user.get_username() if user and user.is_authenticated else "anonymous",
    )
