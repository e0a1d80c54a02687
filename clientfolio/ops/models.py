"""Models of ops: the record of each backup."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["BackupRun"]


class BackupRun(models.Model):
    """One backup, scheduled or made with ``clientfolio backup``: when, which file, how
    big, and whether it succeeded."""

    class Status(models.TextChoices):
        RUNNING = "running", pgettext_lazy("a backup's status", "Running")
        SUCCEEDED = "succeeded", pgettext_lazy("a backup's status", "Succeeded")
        FAILED = "failed", pgettext_lazy("a backup's status", "Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", pgettext_lazy("a backup started by", "Schedule")
        COMMAND = "command", pgettext_lazy("a backup started by", "Command")

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger.choices)
    file = models.CharField(_("file"), max_length=500, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    encrypted = models.BooleanField(_("encrypted"), default=False)
    tables = models.PositiveIntegerField(_("tables"), null=True, blank=True)
    rows = models.BigIntegerField(_("rows"), null=True, blank=True)
    files = models.PositiveIntegerField(_("files"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # Set when the retention rule deleted the archive file (the record stays).
    pruned_at = models.DateTimeField(_("deleted by retention"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["status", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
