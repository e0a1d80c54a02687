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
    ("core:user_list", _("Users"), "users", "core.user"),
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
        section = name.split(":")[0]
        active = current == name or (":" in name and current.startswith(section + ":"))
        items.append(
            {"url": reverse(name), "label": label, "icon": icon, "active": active}
        )
    return {"navigation": items}
