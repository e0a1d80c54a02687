"""Lists across projects: a client's communication timeline and "my action items"."""

from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View

from clientfolio.clients.models import Client
from clientfolio.comms.models import ActionItem, CommRecord
from clientfolio.comms.views.common import (
    participant_groups,
    timeline_page,
)
from clientfolio.comms.views.records import _status_form
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, scope
from clientfolio.core.rendering import render_list
from clientfolio.core.views import PermissionMixin, ScopedObjectMixin
from clientfolio.projects.models import Project

__all__ = ["ClientTimelineView", "MyActionItemsView"]


class ClientTimelineView(ScopedObjectMixin, View):
    """Communication with one client across every project of it the user can see."""

    model = Client

    def get(self, request, pk):
        client = get_object_or_404(self.get_queryset(), pk=pk)
        records = scope(request.user, CommRecord.objects.filter(project__client=client))
        _filterset, _page, context = timeline_page(request, records)
        context.update(
            client=client,
            projects=list(
                scope(request.user, Project.objects.filter(client=client)).order_by(
                    "-starts_on", "-id"
                )
            ),
            participant_groups=participant_groups(
                User.objects.filter(memberships__project__client=client, is_active=True)
                .distinct()
                .order_by("username"),
                client.contacts.all(),
            ),
            show_project=True,
        )
        return render_list(
            request,
            "comms/client_timeline.html",
            "comms/partials/timeline.html",
            context,
        )


class MyActionItemsView(PermissionMixin, View):
    """Open action items the user owns, across all their projects; overdue first."""

    model = ActionItem

    def get(self, request):
        today = timezone.localdate()
        items = (
            scope(request.user, ActionItem.objects.open().filter(owner=request.user))
            .for_list()
            .order_by(F("due_on").asc(nulls_last=True), "id")
        )
        page = Paginator(items, 50).get_page(request.GET.get("page"))
        on_page = [item.pk for item in page.object_list]
        # One query for the whole page: the items whose project role allows a change.
        changeable = set(
            scope(
                request.user, ActionItem.objects.filter(pk__in=on_page), Action.CHANGE
            ).values_list("pk", flat=True)
        )
        rows = [
            {
                "item": item,
                "form": _status_form(item),
                "can_change": item.pk in changeable,
            }
            for item in page.object_list
        ]
        context = {
            "page": page,
            "rows": rows,
            "today": today,
            "overdue_count": items.filter(due_on__lt=today).count(),
            "query": "",
        }
        return render_list(
            request,
            "comms/my_action_items.html",
            "comms/partials/my_action_items_table.html",
            context,
        )
