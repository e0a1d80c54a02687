"""How the portal words and colours the client's decisions: a change's schedule impact
("+5 days"), statuses in the client's words, and their badges."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# Badge colours of change request, deliverable and acceptance statuses in the portal:
# what waits for the client stands out.
COLOURS = {
    "submitted": "secondary",
    "evaluating": "azure",
    "awaiting_client": "orange",
    "approved": "green",
    "rejected": "red",
    "implemented": "teal",
    "planned": "secondary",
    "in_progress": "blue",
    "accepted": "green",
    "ready": "orange",
    "todo": "secondary",
    "blocked": "red",
    "done": "green",
}


@register.filter
def schedule_days(days):
    """A schedule impact in calendar days, said plainly: '+5 days', '-3 days', or no
    change."""
    days = int(days or 0)
    if days > 0:
        return ngettext("+%(days)d day", "+%(days)d days", days) % {"days": days}
    if days < 0:
        return ngettext("-%(days)d day", "-%(days)d days", -days) % {"days": -days}
    return _("No change")


@register.filter
def schedule_hint(days):
    """What a schedule impact means for the client's dates."""
    days = int(days or 0)
    if days > 0:
        return _("calendar days; the finish moves later")
    if days < 0:
        return _("calendar days; the finish moves earlier")
    return _("the dates stay as planned")


@register.filter
def client_status(change):
    """A change request's status in the client's words."""
    if change.status == "awaiting_client":
        return _("Awaiting your decision")
    return change.get_status_display()


@register.simple_tag
def decision_badge(value, label):
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>', COLOURS.get(value, "secondary"), label
    )
