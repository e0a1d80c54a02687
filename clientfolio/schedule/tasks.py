"""The schedule's jobs: recomputing a large plan in the background after its calendar
changed, with a progress bar and a notification when it is done (``core.jobs``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django_tasks import task

from clientfolio.core.jobs import Progress, run_job, start_job
from clientfolio.core.models import Job, User
from clientfolio.core.permissions import Action, can
from clientfolio.projects.models import Project
from clientfolio.schedule import services
from clientfolio.schedule.models import Task

__all__ = [
    "RECOMPUTE",
    "inline_limit",
    "recompute_plan",
    "recompute_later",
    "running_recompute",
]

RECOMPUTE = "schedule.recompute"
_CALENDAR = "schedule.projectschedule"


def inline_limit() -> int:
    """Plans of more tasks than this (``PLAN_RECOMPUTE_INLINE_LIMIT``, default 5,000) are
    recomputed by a background job when their calendar changes (every task moves);
    smaller ones, and every edit of a task, are recomputed in the request. A 10,000-task
    plan takes about a second on the 2-core machine, more on a busy server."""
    return max(0, int(getattr(settings, "PLAN_RECOMPUTE_INLINE_LIMIT", 5000)))


def recompute_later(project: Project, user: Any) -> Job | None:
    """Queue a recompute of ``project`` for after the current transaction commits, if
    its plan is larger than ``inline_limit()``; else return ``None`` (the caller
    recomputes at once)."""
    tasks = Task.objects.filter(project=project).count()
    if tasks <= inline_limit():
        return None
    return start_job(
        recompute_plan,
        user=user,
        kind=RECOMPUTE,
        title=gettext("Recompute the schedule of %(project)s")
        % {"project": project.name},
        project=project,
        params={"tasks": tasks},
    )


def running_recompute(project: Project) -> Job | None:
    """The unfinished background recompute of ``project``, if there is one."""
    return (
        Job.objects.filter(
            kind=RECOMPUTE,
            project_id=project.pk,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        )
        .order_by("-pk")
        .first()
    )


def _recompute(job: Any, progress: Progress) -> dict[str, Any]:
    user = User.objects.get(pk=job.user_id)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        project = Project.objects.filter(pk=job.project_id).first()
        if project is None or not can(user, Action.CHANGE, _CALENDAR, project=project):
            raise PermissionError(
                gettext("You may no longer change this project's schedule.")
            )
        try:
            result = services.recompute(project, actor=user, progress=progress)
        except services.PlanError as error:
            # the message in the reader's language, before the override ends
            raise services.PlanError(str(error.message)) from error
        if result.finish:
            summary = ngettext(
                "%(tasks)s task recomputed; the plan finishes on %(date)s.",
                "%(tasks)s tasks recomputed; the plan finishes on %(date)s.",
                result.tasks,
            ) % {
                "tasks": f"{result.tasks:,}",
                "date": date_format(result.finish, "DATE_FORMAT"),
            }
        else:
            summary = ngettext(
                "%(tasks)s task recomputed.",
                "%(tasks)s tasks recomputed.",
                result.tasks,
            ) % {"tasks": f"{result.tasks:,}"}
        return {
            "summary": summary,
            "url": reverse("schedule:gantt", kwargs={"pk": project.pk}),
            "url_label": gettext("Open the Gantt chart"),
        }


@task()
def recompute_plan(job_id: int) -> None:
    run_job(job_id, _recompute)
