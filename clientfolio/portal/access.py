"""Who is looking at the portal: a client contact, or a staff member previewing it as
one (read-only). Every portal view starts here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from clientfolio.clients.models import Contact
from clientfolio.core.permissions import Action, can, client_contact, is_client

__all__ = [
    "PREVIEW_SESSION_KEY",
    "PortalViewer",
    "portal_view",
    "start_preview",
    "stop_preview",
    "viewer_of",
]

PREVIEW_SESSION_KEY = "portal_preview_contact"


@dataclass(frozen=True)
class PortalViewer:
    """The contact whose portal is shown, the signed-in user, and whether it is a staff
    preview (nothing can be done in a preview)."""

    contact: Contact
    user: Any
    is_preview: bool

    @property
    def client(self) -> Any:
        return self.contact.client


def viewer_of(request) -> PortalViewer | None:
    """The portal viewer of ``request``; None when the user is neither a client contact
    with a contact record nor a staff member previewing a contact they may see."""
    user = request.user
    if is_client(user):
        contact = client_contact(user)
        return None if contact is None else PortalViewer(contact, user, False)
    contact_id = request.session.get(PREVIEW_SESSION_KEY)
    if not contact_id:
        return None
    contact = (
        Contact.objects.select_related("client").filter(pk=contact_id).first()
        if isinstance(contact_id, int)
        else None
    )
    if contact is None or not can(user, Action.VIEW, contact):
        return None
    return PortalViewer(contact, user, True)


def start_preview(request, contact: Contact) -> None:
    """Show the portal to this staff user as ``contact`` would see it (the caller has
    checked that they may see the contact)."""
    request.session[PREVIEW_SESSION_KEY] = contact.pk


def stop_preview(request) -> None:
    request.session.pop(PREVIEW_SESSION_KEY, None)


def portal_view(view=None, *, writes: bool = False):
    """Decorate a portal view ``view(request, viewer, **kwargs)``: 404 without a
    viewer; a POST in a preview is refused (403) before the view runs."""

    def decorate(function):
        @wraps(function)
        def wrapper(request, *args, **kwargs):
            viewer = viewer_of(request)
            if viewer is None:
                raise Http404
            if viewer.is_preview and request.method not in ("GET", "HEAD"):
                raise PermissionDenied
            return function(request, viewer, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
