"""Calendar feeds (iCalendar) at secret URLs, and the page that shows and regenerates them.

A feed URL is its own credential (calendar apps cannot log in): the token names a user,
and the feed holds only what that user may see now, through the permission layer. An
unknown or regenerated token, or a deactivated user, gets a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clientfolio.core.permissions import Action, can, scope
from clientfolio.projects.models import Membership, Project
from clientfolio.schedule.exports import CalendarEvent, ics_calendar, new_token
from clientfolio.schedule.models import FeedToken, Task

__all__ = ["FeedSettingsView", "project_feed", "user_feed"]


def _events(request, tasks, user) -> list[CalendarEvent]:
    """Milestones and the due dates of ``user``'s tasks among ``tasks``, one query."""
    rows = (
        tasks.filter(finish__isnull=False)
        .filter(
            Q(is_milestone=True)
            | (Q(is_summary=False) & (Q(owner=user) | Q(assignments__user=user)))
        )
        .distinct()
        .order_by("finish", "id")
        .values(
            "id",
            "project_id",
            "project__code",
            "wbs",
            "name",
            "finish",
            "is_milestone",
            "status",
        )
    )
    events = []
    for row in rows:
        label = f"{row['project__code']} {row['wbs']} {row['name']}".strip()
        summary = (
            _("Milestone: %(name)s") % {"name": label}
            if row["is_milestone"]
            else _("Due: %(name)s") % {"name": label}
        )
        url = request.build_absolute_uri(
            reverse(
                "schedule:task_detail",
                kwargs={"pk": row["project_id"], "task_pk": row["id"]},
            )
        )
        events.append(
            CalendarEvent(
                uid=f"task-{row['id']}@clientfolio",
                day=row["finish"],
                summary=summary,
                description=str(Task.Status(row["status"]).label),
                url=url,
            )
        )
    return events


def _token(token: str, *, project: bool) -> FeedToken:
    feed = (
        FeedToken.objects.select_related("user", "project")
        .filter(token=token, project__isnull=not project)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed


def _ics(name: str, events: list[CalendarEvent]) -> HttpResponse:
    response = HttpResponse(
        ics_calendar(name, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="clientfolio.ics"'
    return response


@login_not_required
@never_cache
@require_GET
def project_feed(request, token):
    """One project's milestones and the token owner's due dates in it."""
    feed = _token(token, project=True)
    project = scope(feed.user, Project.objects.all()).filter(pk=feed.project_id).first()
    if project is None or not can(
        feed.user, Action.VIEW, "schedule.task", project=project
    ):
        raise Http404
    tasks = Task.objects.filter(project=project)
    return _ics(f"{project.code} {project.name}", _events(request, tasks, feed.user))


@login_not_required
@never_cache
@require_GET
def user_feed(request, token):
    """Milestones of the projects the token owner works on, and their own due dates."""
    feed = _token(token, project=False)
    user = feed.user
    projects = scope(user, Project.objects.all()).filter(
        pk__in=Membership.objects.filter(user=user).values("project_id")
    )
    tasks = Task.objects.filter(project__in=projects)
    return _ics(
        _("My schedule — %(name)s") % {"name": str(user)}, _events(request, tasks, user)
    )


class FeedSettingsView(View):
    """The user's calendar feed URLs (personal, and the project's with ``?project=``);
    POST ``regenerate`` or ``revoke`` with ``scope`` = ``user`` or ``project``."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not can(request.user, Action.VIEW, "schedule.task"):
            raise PermissionDenied
        self.project = None
        project_id = request.GET.get("project") or request.POST.get("project")
        if project_id:
            if not str(project_id).isdigit():
                raise Http404
            self.project = get_object_or_404(
                scope(request.user, Project.objects.all()), pk=int(project_id)
            )

    def feeds(self) -> dict[str, FeedToken | None]:
        mine = {
            f.project_id: f
            for f in FeedToken.objects.filter(user_id=int(self.request.user.pk or 0))
        }
        return {
            "user": mine.get(None),
            "project": mine.get(self.project.pk) if self.project else None,
        }

    def get(self, request):
        feeds = self.feeds()
        urls = {}
        for kind, feed in feeds.items():
            if feed is not None:
                name = (
                    "schedule:ical_user" if kind == "user" else "schedule:ical_project"
                )
                urls[kind] = request.build_absolute_uri(
                    reverse(name, kwargs={"token": feed.token})
                )
        return render(
            request,
            "schedule/timeline_feeds.html",
            {"project": self.project, "urls": urls},
        )

    def post(self, request):
        kind = request.POST.get("scope")
        action = request.POST.get("action")
        if kind not in ("user", "project") or action not in ("regenerate", "revoke"):
            return redirect(request.get_full_path())
        project = self.project if kind == "project" else None
        if kind == "project" and project is None:
            raise Http404
        feed = FeedToken.objects.filter(user=request.user, project=project).first()
        if action == "revoke":
            if feed is not None:
                feed.delete()
            messages.success(request, _("The feed URL was turned off."))
        else:
            if feed is None:
                FeedToken.objects.create(
                    user=request.user, project=project, token=new_token()
                )
            else:
                feed.token = new_token()
                feed.save(update_fields=["token", "created_at"])
            messages.success(
                request, _("A new feed URL was made; the old one no longer works.")
            )
        target = reverse("schedule:ical_settings")
        if self.project is not None:
            target += f"?project={self.project.pk}"
        return redirect(target)
