"""What each project shares with its client in the portal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel
from clientfolio.core.permissions import SHARING_DEFAULTS

__all__ = ["SECTIONS", "ProjectSharing"]


def _flag(setting: str, label):
    return models.BooleanField(label, default=SHARING_DEFAULTS[setting])


class ProjectSharing(VersionedModel):
    """A project's portal settings: whether its client's contacts see it, and which of
    its sections. A project without a row shares ``permissions.SHARING_DEFAULTS``."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="portal_sharing",
    )
    is_enabled = _flag("is_enabled", _("shown in the client portal"))
    shows_progress = _flag("shows_progress", _("overall progress and health"))
    shows_timeline = _flag("shows_timeline", _("timeline chart and milestones"))
    shows_reports = _flag("shows_reports", _("published progress reports"))
    shows_documents = _flag("shows_documents", _("documents shared with the client"))
    shows_change_requests = _flag("shows_change_requests", _("change requests"))
    shows_deliverables = _flag("shows_deliverables", _("deliverables and acceptances"))
    shows_minutes = _flag("shows_minutes", _("minutes of meetings they took part in"))
    shows_invoices = _flag("shows_invoices", _("invoices and payments"))
    shows_team = _flag("shows_team", _("team contacts"))
    shows_when_closed = _flag(
        "shows_when_closed", _("still shown, read-only, once the project is completed")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("portal sharing")
        verbose_name_plural = _("portal sharing")

    def __str__(self) -> str:
        return str(self.project)

    @classmethod
    def for_project(cls, project) -> "ProjectSharing":
        """The project's settings, or an unsaved row with the defaults."""
        return cls.objects.filter(project=project).first() or cls(project=project)


# The sections of the settings, in the order of the form and of the project page.
SECTIONS = [name for name in SHARING_DEFAULTS if name != "is_enabled"]
