"""My work: the start page that gathers what needs the signed-in user's attention."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from clientfolio.clients.models import Client, Feedback, FollowUp
from clientfolio.core.permissions import Action, can, scope


def home(request):
    user = request.user
    if not can(user, Action.VIEW, Client):
        raise PermissionDenied
    today = timezone.localdate()
    clients = scope(user, Client.objects.current())
    follow_ups = scope(user, FollowUp.objects.open().filter(owner=user)).select_related(
        "client", "contact"
    )
    context = {
        "today": today,
        "my_client_count": clients.filter(owner=user).count(),
        "client_count": clients.count(),
        "overdue_follow_ups": list(
            follow_ups.filter(planned_on__lt=today).order_by("planned_on")[:20]
        ),
        "upcoming_follow_ups": list(
            follow_ups.filter(planned_on__gte=today).order_by("planned_on")[:10]
        ),
        "open_complaints": list(
            scope(
                user,
                Feedback.objects.filter(
                    kind="complaint", status__in=["open", "in_progress"]
                ),
            )
            .filter(client__owner=user)
            .select_related("client")
            .order_by("-received_on")[:10]
        ),
    }
    return render(request, "home.html", context)
