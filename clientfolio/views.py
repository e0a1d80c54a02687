"""My work: the start page that gathers what needs the signed-in user's attention."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from clientfolio.clients.models import Client, Feedback, FollowUp
from clientfolio.core.permissions import Action, can, landing_url, scope


def home(request):
    user = request.user
    if landing_url(user) != "home":
        return redirect(landing_url(user))
    if not can(user, Action.VIEW, Client):
        raise PermissionDenied
    today = timezone.localdate()
    clients = scope(user, Client.objects.current())
    follow_ups = scope(user, FollowUp.objects.open().filter(owner=user)).select_related(
        "client", "contact"
    )
    overdue = follow_ups.filter(planned_on__lt=today)
    complaints = (
        scope(user, Feedback.objects.filter(kind="complaint"))
        .filter(status__in=["open", "in_progress"], client__owner=user)
        .select_related("client")
    )
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
        "my_client_count": clients.filter(owner=user).count(),
        "client_count": sum(by_status.values()),
        "status_counts": status_counts,
        "overdue_count": overdue.count(),
        "overdue_follow_ups": list(overdue.order_by("planned_on")[:20]),
        "upcoming_follow_ups": list(
            follow_ups.filter(planned_on__gte=today).order_by("planned_on")[:10]
        ),
        "complaint_count": complaints.count(),
        "open_complaints": list(complaints.order_by("-received_on")[:10]),
        "recent_clients": list(
            clients.with_tier().select_related("owner").order_by("-updated_at")[:8]
        ),
    }
    return render(request, "home.html", context)
