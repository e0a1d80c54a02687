"""What interchange keeps: each import run, from the upload through the check to its
result, so its report can be read again later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ImportRun"]


class ImportRun(models.Model):
    """One file brought in: its source format, the check's report (what will be created
    and, per field, what was mapped, approximated or dropped), and once confirmed what
    was created. The uploaded bytes are kept until the run is imported or abandoned."""

    class Source(models.TextChoices):
        MSPDI = "mspdi", _("Microsoft Project XML")
        XLSX = "xlsx", _("Excel plan")
        TRELLO = "trello", _("Trello board")
        JIRA = "jira", _("Jira CSV export")
        ASANA = "asana", _("Asana CSV export")
        CSV = "csv", _("Plan spreadsheet (CSV)")

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, waiting for confirmation")
        REFUSED = "refused", _("Refused: problems found")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed: nothing was imported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="import_runs",
    )
    # The project imported into: the target chosen at upload, or the one the run
    # created. Empty for a "new project" run until it is confirmed.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    creates_project = models.BooleanField(_("creates a project"), default=False)
    source = models.CharField(_("format"), max_length=16, choices=Source.choices)
    filename = models.CharField(_("file"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CHECKED
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    summary = models.JSONField(_("what will be created"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    upload = models.BinaryField(editable=False, default=b"")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.CHECKED
