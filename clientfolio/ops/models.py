"""Models of ops: the record of each backup, and of what was done with a person's data
(PIPL / GDPR)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["BackupRun", "PersonalDataRecord"]


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


class PersonalDataRecord(models.Model):
    """One access to a person's data on their behalf, or one erasure of it.

    The record names the contact by its row, which survives an erasure anonymised; it
    never copies their name or addresses, so the log itself holds no personal data.
    ``summary`` counts what was exported or erased, by kind of record; ``sha256`` is
    the digest of an exported file, so the copy handed over can be recognised later.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure on request")
        RETENTION = "retention", _("Erasure by the retention rule")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_ref = models.PositiveBigIntegerField(_("contact number"))
    client_ref = models.PositiveBigIntegerField(_("client number"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), db_index=True)
    reason = models.CharField(_("request or reason"), max_length=300, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("personal data record")
        verbose_name_plural = _("personal data records")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.contact_ref}"
