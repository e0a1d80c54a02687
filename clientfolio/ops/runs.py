"""Backups of this instance: the configured database and storage, the record of each
run (``BackupRun``), the daily scheduled backup with its retention, and whether the
last success is recent enough."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.ops import retention
from clientfolio.ops.backups import BackupFailure, BackupResult, Say, create_backup
from clientfolio.ops.databases import Database, DatabaseError, database_from_settings
from clientfolio.ops.models import BackupRun

__all__ = [
    "PASSPHRASE_VARIABLE",
    "BackupHealth",
    "backup_health",
    "configured_database",
    "passphrase",
    "prune_backups",
    "record_backup",
    "scheduled_backup",
]

logger = logging.getLogger(__name__)

PASSPHRASE_VARIABLE = "CLIENTFOLIO_BACKUP_PASSPHRASE"


def configured_database() -> Database:
    """The database this instance runs on (``DATABASES["default"]``)."""
    return database_from_settings(
        connections["default"].settings_dict, settings.BACKUP_PG_BIN_DIR
    )


def passphrase(file: str | None = None) -> str:
    """The backup passphrase: the first line of ``file``, else of BACKUP_PASSPHRASE_FILE,
    else the CLIENTFOLIO_BACKUP_PASSPHRASE variable; empty for none. Never an argument
    on the command line, where ``ps`` and shell histories would show it."""
    path = file or settings.BACKUP_PASSPHRASE_FILE
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise BackupFailure(
                _("Cannot read the passphrase file %(path)s: %(error)s")
                % {"path": path, "error": error.strerror}
            ) from error
        value = text.splitlines()[0] if text else ""
        if not value:
            raise BackupFailure(
                _("The passphrase file %(path)s is empty.") % {"path": path}
            )
        return value
    return os.environ.get(PASSPHRASE_VARIABLE, "")


def record_backup(
    out: Path,
    *,
    trigger: str,
    passphrase: str = "",
    compression: str | None = None,
    say: Say | None = None,
) -> tuple[BackupRun, BackupResult | None]:
    """Back up this instance to ``out`` and record the run (after it, so the snapshot
    never holds a run still in progress). A failure is recorded and re-raised."""
    started = timezone.now()
    run = BackupRun(started_at=started, trigger=trigger, file=str(out))
    try:
        result = create_backup(
            out,
            database=configured_database(),
            storage=default_storage,
            data_dir=settings.DATA_DIR,
            passphrase=passphrase,
            compression=compression or settings.BACKUP_COMPRESSION,
            say=say or (lambda message: None),
        )
    except (BackupFailure, DatabaseError, OSError) as error:
        run.status = BackupRun.Status.FAILED
        run.message = str(error)[:4000]
        run.finished_at = timezone.now()
        run.save()
        logger.error("Backup to %s failed: %s", out, error)
        raise
    run.status = BackupRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.file = str(result.path)
    run.size = result.size
    run.sha256 = result.sha256
    run.encrypted = result.encrypted
    run.tables, run.rows, run.files = result.tables, result.rows, result.files
    run.save()
    return run, result


def _scheduled_name(now: datetime, encrypted: bool) -> str:
    extension = ".tar.zst" if settings.BACKUP_COMPRESSION == "zstd" else ".tar.gz"
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    return f"clientfolio-{stamp}{extension}{'.enc' if encrypted else ''}"


def scheduled_backup(now: datetime | None = None) -> BackupRun:
    """The daily backup into BACKUP_DIR, then the retention rule. A failure is recorded
    (and logged), not raised: the status page and the warning tell the administrator."""
    now = now or timezone.now()
    try:
        secret = passphrase()
    except BackupFailure as error:
        return BackupRun.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            trigger=BackupRun.Trigger.SCHEDULE,
            status=BackupRun.Status.FAILED,
            message=str(error),
        )
    out = Path(settings.BACKUP_DIR) / _scheduled_name(now, bool(secret))
    try:
        run, _result = record_backup(
            out, trigger=BackupRun.Trigger.SCHEDULE, passphrase=secret
        )
    except (BackupFailure, DatabaseError, OSError):
        return BackupRun.objects.filter(trigger=BackupRun.Trigger.SCHEDULE).first()  # type: ignore[return-value]
    prune_backups()
    return run


def prune_backups(
    *, daily: int | None = None, weekly: int | None = None
) -> list[BackupRun]:
    """Delete the archives of scheduled backups that the retention rule (keep the newest
    of BACKUP_KEEP_DAILY days and of BACKUP_KEEP_WEEKLY weeks) does not keep; returns
    their runs, now marked as pruned. Backups made by hand are never deleted."""
    daily = settings.BACKUP_KEEP_DAILY if daily is None else daily
    weekly = settings.BACKUP_KEEP_WEEKLY if weekly is None else weekly
    runs = list(
        BackupRun.objects.filter(
            trigger=BackupRun.Trigger.SCHEDULE,
            status=BackupRun.Status.SUCCEEDED,
            pruned_at__isnull=True,
        )
    )
    keep = retention.to_keep(
        [
            retention.Backup(
                run.pk, timezone.localtime(run.started_at).replace(tzinfo=None)
            )
            for run in runs
        ],
        daily=daily,
        weekly=weekly,
    )
    pruned = []
    for run in runs:
        if run.pk in keep:
            continue
        Path(run.file).unlink(missing_ok=True)
        run.pruned_at = timezone.now()
        run.save(update_fields=["pruned_at"])
        pruned.append(run)
        logger.info("Backup %s deleted by the retention rule", run.file)
    return pruned


@dataclass(frozen=True)
class BackupHealth:
    """When the last backup succeeded, and whether that is too long ago."""

    last_success: BackupRun | None
    last_run: BackupRun | None
    warn_after: timedelta
    now: datetime

    @property
    def is_stale(self) -> bool:
        return (
            self.last_success is None
            or self.now - self.last_success.started_at > self.warn_after
        )

    @property
    def last_failed(self) -> bool:
        return (
            self.last_run is not None
            and self.last_run.status == BackupRun.Status.FAILED
        )


def backup_health(now: datetime | None = None) -> BackupHealth:
    """The last run and the last success (two queries)."""
    runs: Any = BackupRun.objects.only(
        "started_at",
        "finished_at",
        "status",
        "file",
        "message",
        "trigger",
        "size",
        "encrypted",
        "tables",
        "rows",
        "files",
    )
    return BackupHealth(
        last_success=runs.filter(status=BackupRun.Status.SUCCEEDED).first(),
        last_run=runs.first(),
        warn_after=timedelta(hours=settings.BACKUP_WARN_AFTER_HOURS),
        now=now or timezone.now(),
    )
