"""The backups page for administrators: when the last backup succeeded, the recent
runs, and how backups are configured."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from clientfolio.core.models import PeriodicJob
from clientfolio.core.permissions import Action, can
from clientfolio.ops.models import BackupRun
from clientfolio.ops.runs import PASSPHRASE_VARIABLE, backup_health

__all__ = ["backup_status"]

RECENT_RUNS = 30


@require_safe
def backup_status(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.VIEW, "ops.backuprun"):
        raise PermissionDenied
    health = backup_health()
    runs = list(BackupRun.objects.all()[:RECENT_RUNS])
    schedule = PeriodicJob.objects.filter(name="ops.tasks.daily_backup").first()
    context = {
        "health": health,
        "runs": runs,
        "schedule": schedule,
        "settings": {
            "at": settings.BACKUP_AT,
            "directory": settings.BACKUP_DIR,
            "daily": settings.BACKUP_KEEP_DAILY,
            "weekly": settings.BACKUP_KEEP_WEEKLY,
            "encrypted": bool(
                settings.BACKUP_PASSPHRASE_FILE or os.environ.get(PASSPHRASE_VARIABLE)
            ),
            "warn_hours": settings.BACKUP_WARN_AFTER_HOURS,
        },
    }
    return render(request, "ops/backup_status.html", context)
