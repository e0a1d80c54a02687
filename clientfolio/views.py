"""My work: the start page that gathers what needs the signed-in user's attention
(``reports.dashboards.my_work``: tasks, action items, decisions, follow-ups, complaints,
projects with their health), with the client library's counts."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from clientfolio.clients.models import Client
from clientfolio.core.permissions import Action, can, landing_url, scope
from clientfolio.ops.runs import backup_health
from clientfolio.reports.dashboards import my_work


def home(request):
    user = request.user
    if landing_url(user) != "home":
        return redirect(landing_url(user))
    if not can(user, Action.VIEW, Client):
        raise PermissionDenied
    today_now = timezone.now()
    today = timezone.localdate(today_now)
    clients = scope(user, Client.objects.current())
    work = my_work(user, today)
    by_status = dict(
        clients.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    status_counts = [
        {"value": value, "label": label, "count": by_status.get(value, 0)}
        for value, label in Client.Status.choices
    ]
    context = {
        "today": today,
        "work": work,
        "my_client_count": clients.filter(owner=user).count(),
        "client_count": sum(by_status.values()),
        "status_counts": status_counts,
        # Administrators are warned here when the last backup is too old (ops).
        "health": backup_health(today_now)
        if can(user, Action.VIEW, "ops.backuprun")
        else None,
    }
    return render(request, "home.html", context)
