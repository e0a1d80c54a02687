from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlueprintsConfig(AppConfig):
    """Project templates: a project's reusable shape (WBS, durations, links, milestones,
    folders, risk checklist, quality standards, roles), saved from a project or built in,
    and new projects started from one."""

    label = "blueprints"
    name = "clientfolio.blueprints"
    verbose_name = _("Blueprints")
