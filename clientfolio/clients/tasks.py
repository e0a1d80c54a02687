"""The client library's periodic jobs."""

import tempfile
from collections.abc import Iterable, Iterator
from datetime import time
from typing import Any

from django.core.files.base import ContentFile, File
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.clients import exchange, services
from clientfolio.clients.filters import ClientFilter
from clientfolio.clients.models import Client
from clientfolio.core.jobs import Progress, periodic, run_job
from clientfolio.core.models import Job, User
from clientfolio.core.permissions import Action, can, scope

__all__ = ["EXPORT_INLINE_LIMIT", "export_clients", "recompute_tiers"]


@periodic(
    at=time(2, 0), description=_("Recompute client tiers from the last twelve months")
)
@task()
def recompute_tiers() -> int:
    """Tiers move as payments leave the trailing twelve-month window, even on a day
    nobody records one."""
    return services.recompute_tiers()


# Exports of more clients than this are written by a background job, with a progress
# bar; smaller ones are answered at once.
EXPORT_INLINE_LIMIT = 10_000


def _export(job: Any, progress: Progress) -> dict[str, Any]:
    """Write the export the user asked for, with their scope at the time it runs."""
    user = User.objects.get(pk=job.user_id)
    if not can(user, Action.EXPORT, Client):
        raise PermissionError(gettext("You may no longer export clients."))
    request = HttpRequest()
    request.user = user
    request.GET = QueryDict(job.params.get("query", ""))
    base = scope(user, Client.objects.for_export(), Action.EXPORT)
    queryset = ClientFilter(request.GET or None, queryset=base, request=request).qs
    total = queryset.count()
    progress(0, total)

    def counted(rows: Iterable[Client]) -> Iterator[Client]:
        for done, client in enumerate(rows, start=1):
            yield client
            progress(done, total)

    rows = counted(queryset.iterator(chunk_size=2000))
    fmt = job.params.get("format", "csv")
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    filename = f"clients-{stamp}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    if fmt == "xlsx":
        job.result_file.save(
            filename, ContentFile(exchange.export_xlsx(rows)), save=False
        )
    else:
        with tempfile.TemporaryFile() as buffer:
            for chunk in exchange.export_csv(rows):
                buffer.write(chunk)
            buffer.seek(0)
            job.result_file.save(filename, File(buffer), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    return {
        "filename": filename,
        "rows": total,
        "summary": ngettext(
            "%(count)s client exported.", "%(count)s clients exported.", total
        )
        % {"count": total},
    }


@task()
def export_clients(job_id: int) -> None:
    run_job(job_id, _export)
