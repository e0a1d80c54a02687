"""The client library's jobs: the periodic tier recomputation, and the long work users
start (an export of many clients; the check and the import of a large file), each with
its progress bar (``core.jobs.start_job``)."""

import logging
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.clients import exchange, services
from clientfolio.clients.filters import ClientFilter
from clientfolio.clients.models import Client
from clientfolio.core.jobs import Progress, periodic, run_job
from clientfolio.core.models import Job, User
from clientfolio.core.permissions import Action, can, scope

__all__ = [
    "EXPORT_INLINE_LIMIT",
    "IMPORT_CHECK",
    "IMPORT_INLINE_LIMIT",
    "check_import",
    "export_clients",
    "forget_stale_uploads",
    "import_file",
    "recompute_tiers",
    "stash_upload",
]

logger = logging.getLogger(__name__)


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


# --- the import of a large file -----------------------------------------------------------

# Files of more rows than this are checked, then imported, by background jobs with a
# progress bar; smaller ones are checked in the request (as ``EXPORT_INLINE_LIMIT``).
IMPORT_INLINE_LIMIT = 10_000
# The kind of the job that checks a large file (the import page shows its report).
IMPORT_CHECK = "clients.import_check"


def stash_upload(data: bytes) -> str:
    """Keep an uploaded file for the jobs (in the file storage, which every worker
    reaches); returns its name."""
    return default_storage.save("imports/upload", ContentFile(data))


def _importer(job: Any) -> User:
    user = User.objects.get(pk=job.user_id)
    if not can(user, Action.IMPORT, Client):
        raise PermissionError(gettext("You may no longer import clients."))
    return user


def _counted(progress: Progress, offset: int, total: int) -> Any:
    """A ``parse_file`` / ``import_clients`` progress wrapper that reports each item
    (a row, or a batch of clients counted by its size) as ``offset`` + done of
    ``total``."""

    def wrap(items: Any) -> Iterator[Any]:
        done = offset
        for item in items:
            yield item
            done += len(item) if isinstance(item, list) else 1
            progress(done, total)

    return wrap


def _report_result(job: Any, report: exchange.ImportReport) -> dict[str, Any]:
    if report.ok:
        summary = ngettext(
            "%(rows)s row read: %(clients)s clients with %(contacts)s contacts are "
            "ready to import. Nothing has been saved yet.",
            "%(rows)s rows read: %(clients)s clients with %(contacts)s contacts are "
            "ready to import. Nothing has been saved yet.",
            report.rows,
        )
    else:
        summary = ngettext(
            "%(problems)s problem found. Nothing was imported.",
            "%(problems)s problems found. Nothing was imported.",
            len(report.errors),
        )
    return {
        "summary": summary
        % {
            "rows": report.rows,
            "clients": report.client_count,
            "contacts": report.contact_count,
            "problems": len(report.errors),
        },
        "report": report.to_json(),
        "url": reverse("clients:client_import") + f"?job={job.pk}",
        "url_label": gettext("See the report"),
        "redirect": True,
    }


def _check(job: Any, progress: Progress) -> dict[str, Any]:
    """Read and validate the stashed file, writing nothing; the result is the report
    the import page shows (and, if every row is valid, the file stays for the import)."""
    upload = job.params["upload"]
    try:
        user = _importer(job)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            data = default_storage.open(upload).read()
            total = exchange.estimate_rows(data, job.params.get("filename", ""))
            progress(0, total)
            # A file unusable as a whole raises ImportError_: the job fails with its
            # message, in the user's language.
            report = exchange.parse_file(
                data,
                job.params.get("filename", ""),
                progress=_counted(progress, 0, total),
                mapping=job.params.get("mapping"),
            )
            result = _report_result(job, report)
            progress(total, total)
    except BaseException:
        default_storage.delete(upload)
        raise
    if not report.ok:
        default_storage.delete(upload)
    return result


def _import(job: Any, progress: Progress) -> dict[str, Any]:
    """Check the stashed file again (clients may have been created since) and import
    it, everything or nothing; the stashed file is removed either way."""
    upload = job.params["upload"]
    try:
        user = _importer(job)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            data = default_storage.open(upload).read()
            filename = job.params.get("filename", "")
            rows = exchange.estimate_rows(data, filename)
            progress(0, 2 * rows)
            report = exchange.parse_file(
                data,
                filename,
                progress=_counted(progress, 0, 2 * rows),
                mapping=job.params.get("mapping"),
            )
            if not report.ok:
                return _report_result(job, report)
            # The second half of the bar: clients written, batch by batch.
            total = rows + report.client_count
            progress(rows, total)
            with transaction.atomic():
                created = exchange.import_clients(
                    report, user=user, progress=_counted(progress, rows, total)
                )
            progress(total, total)
            return {
                "summary": gettext(
                    "Imported %(clients)d clients with %(contacts)d contacts."
                )
                % {"clients": created, "contacts": report.contact_count},
                "clients": created,
                "contacts": report.contact_count,
                "url": reverse("clients:client_list"),
                "url_label": gettext("Open the client list"),
            }
    finally:
        default_storage.delete(upload)


@task()
def check_import(job_id: int) -> None:
    run_job(job_id, _check)


@task()
def import_file(job_id: int) -> None:
    run_job(job_id, _import)


# A file checked but never imported is forgotten after this long (the page then asks
# for it again).
UPLOADS_KEPT = timedelta(days=1)


def forget_uploads_before(cutoff: datetime) -> int:
    """Delete the import files stashed before ``cutoff``: those of large files in the
    file storage and those of small ones in the data folder. Returns how many."""
    deleted = 0
    if default_storage.exists("imports"):
        for name in default_storage.listdir("imports")[1]:
            path = f"imports/{name}"
            try:
                stale = default_storage.get_modified_time(path) < cutoff
            except (NotImplementedError, OSError) as error:
                # Kept: a file whose age cannot be read is never deleted unseen.
                logger.warning("Import upload %s left in place: %s", path, error)
                continue
            if stale:
                default_storage.delete(path)
                deleted += 1
    folder = settings.DATA_DIR / "imports"
    if folder.is_dir():
        for stash in folder.glob("*.upload"):
            if stash.stat().st_mtime < cutoff.timestamp():
                stash.unlink(missing_ok=True)
                deleted += 1
    return deleted


@periodic(
    every=timedelta(hours=6),
    description=_("Forget client files that were checked but never imported"),
)
@task()
def forget_stale_uploads() -> int:
    return forget_uploads_before(timezone.now() - UPLOADS_KEPT)
