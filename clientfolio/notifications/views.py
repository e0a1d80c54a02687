"""Notification pages: the bell (its count and its menu), the list with read marks, the
preferences grid and the follow toggle.

Notifications are personal: each user reaches only their own (anyone else's is 404, for
administrators too); the permission layer decides who has notifications at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from clientfolio.core.permissions import Action, can
from clientfolio.core.rendering import render_list
from clientfolio.notifications import services
from clientfolio.notifications.channels import grid_for
from clientfolio.notifications.follows import follow_state, followable
from clientfolio.notifications.forms import PreferencesForm
from clientfolio.notifications.handlers import may_see
from clientfolio.notifications.models import Notification
from clientfolio.notifications.targets import (
    describe,
    prefetch_projects,
    target_of,
    url_of,
)

__all__ = [
    "bell",
    "follow_toggle",
    "mark_all_read",
    "mark_read",
    "notification_list",
    "open_notification",
    "preferences",
]

PAGE_SIZE = 25
BELL_SIZE = 8


def _require(request: HttpRequest, action: Action, label: str) -> None:
    if not can(request.user, action, label):
        raise PermissionDenied


def _own(request: HttpRequest) -> QuerySet[Notification]:
    _require(request, Action.VIEW, "notifications.notification")
    return Notification.objects.filter(user_id=request.user.pk or 0, in_app=True)


def _items(rows: Any) -> list[dict[str, Any]]:
    """Rows with their description, as they were told (one query for the projects)."""
    rows = list(rows)
    prefetch_projects(row.event for row in rows)
    return [
        {
            "n": row,
            "d": describe(row.event, snapshot=True),
            "day": timezone.localdate(row.created_at),
        }
        for row in rows
    ]


def _latest(request: HttpRequest) -> QuerySet[Notification]:
    return _own(request).select_related("event", "event__actor")


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, grouped by day; unread only on request."""
    unread_only = request.GET.get("show") == "unread"
    rows = _latest(request)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "items": _items(page.object_list),
        "unread_only": unread_only,
        "query": "show=unread" if unread_only else "",
    }
    return render_list(
        request,
        "notifications/notification_list.html",
        "notifications/partials/notification_list.html",
        context,
    )


@require_safe
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's unread count (polled), or with ``?menu=1`` its menu of the latest."""
    own = _own(request)
    unread = own.filter(read_at__isnull=True).count()
    if not request.GET.get("menu"):
        return render(
            request, "notifications/partials/bell_count.html", {"unread": unread}
        )
    latest = _latest(request)[:BELL_SIZE]
    htmx = request.htmx  # type: ignore[attr-defined]
    here = (htmx.current_url_abs_path if htmx else "") or reverse("notifications:list")
    context = {"unread": unread, "items": _items(latest), "here": here}
    return render(request, "notifications/partials/bell_menu.html", context)


@require_safe
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the notification read and goes to its object (if still there and visible)."""
    row = get_object_or_404(_own(request).select_related("event"), pk=pk)
    services.mark_read(row)
    target = target_of(row.event)
    url = url_of(target) if target is not None and may_see(request.user, target) else ""
    if not url:
        messages.info(
            request, _("What this notification was about is no longer there.")
        )
        return redirect("notifications:list")
    return HttpResponseRedirect(url)


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.CHANGE, "notifications.notification")
    row = get_object_or_404(_latest(request), pk=pk)
    services.mark_read(row)
    if request.htmx:  # type: ignore[attr-defined]
        [item] = _items([row])
        return render(request, "notifications/partials/notification_row.html", item)
    return redirect(_next_url(request, reverse("notifications:list")))


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    _require(request, Action.CHANGE, "notifications.notification")
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect(_next_url(request, reverse("notifications:list")))


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Every event kind × channel, and the daily digest's time."""
    _require(request, Action.VIEW, "notifications.preference")
    current = services.settings_of(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        grid=grid_for(request.user),
        digest_time=current.digest_time,
    )
    if request.method == "POST":
        _require(request, Action.CHANGE, "notifications.preference")
        if form.is_valid():
            services.save_preferences(request.user, form.grid())
            services.set_digest_time(request.user, form.cleaned_data["digest_time"])
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _followed(request: HttpRequest, target_type: str, target_id: int) -> Model:
    """The record to follow, through the user's scope: outside it, it does not exist."""
    target = followable(request.user, target_type, target_id)
    if target is None:
        raise Http404
    return target


@require_POST
def follow_toggle(
    request: HttpRequest, target_type: str, target_id: int
) -> HttpResponse:
    """Follow or stop following a record (htmx swaps the button). Its owner, assignee
    or requester follows it anyway: nothing changes for them, and they are told why."""
    _require(request, Action.ADD, "notifications.follow")
    target = _followed(request, target_type, target_id)
    state = follow_state(request.user, target)
    note = ""
    if state.reason:
        note = state.explanation
    elif state.explicit:
        services.unfollow(request.user, target)
        note = _(
            "You no longer follow this. Only what is addressed to you (an assignment, "
            "a mention, a decision to take) still reaches you."
        )
    else:
        services.follow(request.user, target)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "notifications/partials/follow_button.html",
            {
                "show": True,
                "target_type": target_type,
                "target_id": target_id,
                "state": follow_state(request.user, target),
                "note": note,
            },
        )
    if note:
        messages.info(request, note)
    return redirect(_next_url(request, url_of(target) or reverse("home")))
