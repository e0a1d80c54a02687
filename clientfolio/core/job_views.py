"""Pages of background jobs: a user's own job with its progress bar, and the schedule
of periodic jobs with the recent runs, for administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from clientfolio.core.jobs import autodiscover
from clientfolio.core.jobs.schedule import sync
from clientfolio.core.models import Event, Job, PeriodicJob
from clientfolio.core.permissions import Action, can

__all__ = ["job_detail", "job_download", "job_schedule", "periodic_job_action"]


def _own_job(request: HttpRequest, pk: int) -> Job:
    """The signed-in user's job (any job for an administrator); anyone else's is 404."""
    if not can(request.user, Action.VIEW, "core.job"):
        raise PermissionDenied
    jobs = Job.objects.select_related("user")
    if not request.user.is_admin:  # type: ignore[union-attr]
        jobs = jobs.filter(user_id=request.user.pk or 0)
    return get_object_or_404(jobs, pk=pk)


@require_safe
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx polls the partial until the job finishes. A job whose
    result is a page of its own (``result["url"]`` with ``result["redirect"]``, as the
    report of an import's check) sends the polling page there when it finishes."""
    job = _own_job(request, pk)
    htmx = request.htmx  # type: ignore[attr-defined]
    partial = htmx and not htmx.history_restore_request
    result = job.result or {}
    url = str(result.get("url") or "") if job.status == Job.Status.DONE else ""
    if not url.startswith("/") or url.startswith("//"):
        url = ""  # only a page of this site
    if partial and url and result.get("redirect"):
        return HttpResponseClientRedirect(url)
    template = "core/partials/job_progress.html" if partial else "core/job_detail.html"
    context = {
        "job": job,
        "result_url": url,
        "result_label": str(
            result.get("url_label") or pgettext("a button that opens a page", "Open")
        ),
    }
    return render(request, template, context)


@require_safe
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _own_job(request, pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404
    name = job.result.get("filename") or job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)


def _recent_results() -> list[Any]:
    if not isinstance(task_backends["default"], DatabaseBackend):
        return []
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.only(
            "id",
            "task_path",
            "status",
            "queue_name",
            "enqueued_at",
            "finished_at",
            "exception_class_path",
        ).order_by("-enqueued_at")[:30]
    )


@require_safe
def job_schedule(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.VIEW, "core.periodicjob"):
        raise PermissionDenied
    registered = autodiscover()
    rows = sync(timezone.now())
    periodic = [
        {"row": rows[name], "job": job}
        for name, job in sorted(registered.items())
        if name in rows
    ]
    events = Event.objects.aggregate(
        waiting=Count("pk", filter=Q(delivered_at__isnull=True)),
    )
    return render(
        request,
        "core/job_schedule.html",
        {
            "periodic": periodic,
            "results": _recent_results(),
            "backend": type(task_backends["default"]).__name__,
            "events_waiting": events["waiting"],
        },
    )


@require_POST
def periodic_job_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause, resume or run now (the next tick of the schedule starts it)."""
    if not can(request.user, Action.CHANGE, "core.periodicjob"):
        raise PermissionDenied
    row = get_object_or_404(PeriodicJob, pk=pk)
    action = request.POST.get("action")
    if action == "pause":
        row.enabled = False
        row.save(update_fields=["enabled"])
        messages.success(request, _("%(name)s is paused.") % {"name": row.name})
    elif action == "resume":
        row.enabled = True
        row.save(update_fields=["enabled"])
        messages.success(request, _("%(name)s runs again.") % {"name": row.name})
    elif action == "run":
        PeriodicJob.objects.filter(pk=row.pk).update(next_run_at=timezone.now())
        messages.success(
            request,
            _("%(name)s starts within a minute.") % {"name": row.name},
        )
    else:
        messages.error(request, _("Choose pause, resume or run now."))
    return redirect("core:job_schedule")
