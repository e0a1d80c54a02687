"""The staff side of the portal (namespace ``portal_staff``, which client logins never
reach): inviting a contact and switching their access, from the contact's place on
the client's page, and a project's sharing settings, from its folder."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from clientfolio.clients.models import Contact
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.views import conflict_response
from clientfolio.portal import services
from clientfolio.portal.forms import InviteForm, SharingForm
from clientfolio.portal.models import ProjectSharing
from clientfolio.projects.folder import FolderMixin

__all__ = [
    "SharingView",
    "contact_access",
    "contact_invite",
    "contact_resend",
    "contact_revoke",
]


def _contact(request, pk) -> Contact:
    """The contact ``pk`` if the user may change it: 404 outside their scope, 403 when
    they may only see it."""
    contact = get_object_or_404(
        scope(request.user, Contact.objects.select_related("client", "portal_user")),
        pk=pk,
    )
    if not can(request.user, Action.CHANGE, contact):
        raise PermissionDenied
    return contact


def _back(contact: Contact):
    url = reverse("clients:client_detail", kwargs={"pk": contact.client_id})
    return redirect(f"{url}#contact-{contact.pk}")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@require_POST
def contact_invite(request, pk):
    """Invite the contact to the portal (their login is created if need be)."""
    contact = _contact(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language from the list."))
        return _back(contact)
    try:
        invitation = services.invite_contact(
            contact,
            by=request.user,
            base_url=_base_url(request),
            language=form.cleaned_data["language"] or None,
        )
    except services.PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _invited_message(contact, invitation))
    return _back(contact)


def _invited_message(contact: Contact, invitation) -> str:
    return _(
        "Invitation sent to %(name)s (%(email)s). The link is valid until %(date)s."
    ) % {
        "name": contact.name,
        "email": contact.email,
        "date": timezone.localdate(invitation.expires_at).isoformat(),
    }


@require_POST
def contact_resend(request, pk):
    """Send the contact a new invitation link; the earlier one stops working."""
    contact = _contact(request, pk)
    try:
        invitation = services.resend_invitation(
            contact, by=request.user, base_url=_base_url(request)
        )
    except services.PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _invited_message(contact, invitation))
    return _back(contact)


@require_POST
def contact_revoke(request, pk):
    """Withdraw the contact's pending invitation."""
    contact = _contact(request, pk)
    try:
        services.revoke_invitation(contact, by=request.user)
    except services.PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation of %(name)s was revoked: its link no longer works.")
            % {"name": contact.name},
        )
    return _back(contact)


@require_POST
def contact_access(request, pk):
    """Switch the contact's portal access off (``enabled=0``) or on (``enabled=1``);
    nothing is deleted."""
    contact = _contact(request, pk)
    enabled = request.POST.get("enabled") == "1"
    try:
        services.set_portal_access(contact, enabled, by=request.user)
    except services.PortalError as error:
        messages.error(request, error.message)
    else:
        message = (
            _("%(name)s can use the portal again.")
            if enabled
            else _(
                "The portal access of %(name)s is switched off. Nothing was deleted; "
                "you can switch it on again."
            )
        )
        messages.success(request, message % {"name": contact.name})
    return _back(contact)


class SharingView(FolderMixin, View):
    """What the project shows its client in the portal: its manager decides."""

    folder_model = "projects.project"
    folder_action = Action.CHANGE
    template_name = "portal/sharing.html"

    def render_form(self, form, status=200):
        context = {**self.folder_context(), "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        form = SharingForm(instance=ProjectSharing.for_project(self.project))
        return self.render_form(form)

    def post(self, request, pk):
        sharing = ProjectSharing.for_project(self.project)
        form = SharingForm(request.POST, instance=sharing)
        if not form.is_valid():
            return self.render_form(form, status=400)
        values = {
            name: value
            for name, value in form.cleaned_data.items()
            if name != "version"
        }
        try:
            services.save_sharing(
                self.project,
                values,
                expected_version=form.cleaned_data.get("version"),
                by=request.user,
            )
        except StaleVersion as stale:
            context = {**self.folder_context()}
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        messages.success(request, _("Saved."))
        return redirect("portal_staff:sharing", pk=self.project.pk)
