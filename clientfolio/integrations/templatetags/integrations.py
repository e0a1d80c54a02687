"""Template tags of the chat channel and webhook pages, and the link to a project's
channels that the project folder shows its manager."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clientfolio.core.events import KIND_LABELS
from clientfolio.core.permissions import Action, can

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """The label of an event kind; a test message ("ping") says so."""
    if kind == "ping":
        return _("Test message")
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


@register.simple_tag(takes_context=True)
def chat_channels_link(context: dict[str, Any], project: Any) -> str:
    """A button to the project's chat channels, for whoever may keep them."""
    user = context["request"].user
    if not can(user, Action.VIEW, "integrations.chatchannel", project=project):
        return ""
    return format_html(
        '<a class="btn" href="{}"><i class="ti ti-message-chatbot"></i> {}</a>',
        reverse("integrations:project_channels", kwargs={"pk": project.pk}),
        _("Chat channels"),
    )
