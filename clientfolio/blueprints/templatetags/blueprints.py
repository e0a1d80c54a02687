"""The links other apps' pages show to templates: "from a template" beside "New
project", and "save as template" in a project folder for its manager."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clientfolio.core.permissions import Action, can

register = template.Library()


@register.simple_tag(takes_context=True)
def start_from_template_link(context: dict[str, Any]) -> str:
    """A button to start a project from a template, for whoever may start projects."""
    user = context["request"].user
    if not (
        can(user, Action.ADD, "projects.project")
        and can(user, Action.VIEW, "blueprints.projecttemplate")
    ):
        return ""
    return format_html(
        '<a class="btn" href="{}" id="start-from-template">'
        '<i class="ti ti-template"></i> {}</a>',
        reverse("blueprints:project_start"),
        _("From a template"),
    )


@register.simple_tag(takes_context=True)
def save_as_template_link(context: dict[str, Any], project: Any) -> str:
    """A button to save the project as a template, for its manager."""
    user = context["request"].user
    if not can(user, Action.ADD, "blueprints.projectsnapshot", project=project):
        return ""
    return format_html(
        '<a class="btn" href="{}"><i class="ti ti-template"></i> {}</a>',
        reverse("blueprints:save_as_template", kwargs={"pk": project.pk}),
        _("Save as template"),
    )
