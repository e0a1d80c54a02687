"""What every page's frame needs: the navigation the user may see."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientfolio.core.permissions import Action, can

__all__ = ["shell"]

NAVIGATION = [
    # (url name, label, icon, model label the user must be allowed to view)
    ("home", _("My work"), "layout-dashboard", None),
    ("clients:client_list", _("Clients"), "building", "clients.client"),
    ("projects:project_list", _("Projects"), "folders", "projects.project"),
    (
        "blueprints:template_list",
        _("Project templates"),
        "template",
        "blueprints.projecttemplate",
    ),
    ("reports:portfolio", _("Portfolio"), "chart-pie", "projects.project"),
    (
        "reports:client_analysis",
        _("Client analysis"),
        "chart-dots",
        "reports.clientinsight",
    ),
    ("comms:my_action_items", _("My action items"), "checklist", "comms.actionitem"),
    ("schedule:my_tasks", _("My tasks"), "list-check", "schedule.task"),
    ("finance:timesheet", _("Timesheet"), "calendar-week", "finance.timeentry"),
    ("schedule:people_workload", _("Workload"), "users-group", "schedule.assignment"),
    ("risks:portfolio", _("Risk portfolio"), "alert-triangle", "risks.risk"),
    ("closure:lesson_search", _("Lessons learned"), "bulb", "closure.lesson"),
    (
        "finance:exchange_rates",
        _("Exchange rates"),
        "currency-yuan",
        "finance.exchangerate",
    ),
    ("finance:firm_rates", _("Hourly rates"), "coin", "finance.firmrates"),
    ("core:user_list", _("Users"), "users", "core.user"),
    ("core:job_schedule", _("Background jobs"), "clock-play", "core.periodicjob"),
    ("ops:backup_status", _("Backups"), "database-export", "ops.backuprun"),
    (
        "integrations:index",
        _("Chat and webhooks"),
        "plug-connected",
        "integrations.webhook",
    ),
    (
        "ops:privacy",
        _("Personal data"),
        "shield-lock",
        "ops.personaldatarecord",
    ),
    (
        "documents:folder_template_list",
        _("Folder template"),
        "folder-cog",
        "documents.foldertemplate",
    ),
]


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = getattr(request.resolver_match, "view_name", "") or ""
    items = []
    for name, label, icon, model in NAVIGATION:
        if model is not None and not can(user, Action.VIEW, model):
            continue
        url = reverse(name)
        # A section is active on every page under its address (a project's
        # communication pages belong to Projects, a client's timeline to Clients).
        active = current == name or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return {"navigation": items}
