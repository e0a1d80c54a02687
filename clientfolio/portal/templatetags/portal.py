"""What other apps' pages show of the portal, without importing it: a contact's portal
state and actions on the client's page (``{% portal_access contact %}``) and the link
to a project's sharing settings in its folder (``{% portal_sharing_link project %}``)."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clientfolio.core.permissions import Action, can
from clientfolio.portal.states import access_states

register = template.Library()

_STATES_KEY = "portal_access_states"


def _states(context, contact) -> dict[int, Any]:
    """The portal states of every contact the page lists (``contacts`` in the context),
    read once per rendering: a client with 1 or 50 contacts costs the same queries."""
    cache = context.render_context
    states = cache.get(_STATES_KEY)
    if states is None or contact.pk not in states:
        listed = list(context.get("contacts") or [])
        if contact.pk not in {c.pk for c in listed}:
            listed.append(contact)
        states = access_states(listed, timezone.now())
        cache[_STATES_KEY] = states
    return states


@register.inclusion_tag("portal/partials/contact_access.html", takes_context=True)
def portal_access(context, contact) -> dict[str, Any]:
    """A contact's portal state (not invited, invited until…, active with the last
    sign-in, switched off) and the actions the user may take on it."""
    request = context["request"]
    user = request.user
    return {
        "contact": contact,
        "state": _states(context, contact)[contact.pk],
        "may_change": can(user, Action.CHANGE, contact)
        and not contact.client.is_archived,
        "may_preview": can(user, Action.VIEW, contact)
        and contact.portal_user_id != user.pk,
        "languages": settings.LANGUAGES,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.simple_tag(takes_context=True)
def portal_sharing_link(context, project) -> str:
    """A button to the project's portal settings, for whoever may change the project."""
    user = context["request"].user
    if not can(user, Action.CHANGE, project):
        return ""
    return format_html(
        '<a class="btn" href="{}" id="portal-sharing-link">'
        '<i class="ti ti-world-share"></i> {}</a>',
        reverse("portal_staff:sharing", kwargs={"pk": project.pk}),
        _("Client portal"),
    )
