"""What each project shares with its client in the portal, and the invitations and
sign-in links that let a client's contact in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel
from clientfolio.core.permissions import SHARING_DEFAULTS

__all__ = ["SECTIONS", "Invitation", "ProjectSharing", "SignInLink"]


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


class Invitation(models.Model):
    """An invitation of a client's contact to the portal: an e-mailed link to set their
    password, valid until ``expires_at`` and used once. Only the SHA-256 of its token is
    stored; the token itself is in the e-mail alone."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        USED = "used", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="portal_invitations",
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(
        _("invited"), default=timezone.now, editable=False
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["digest"])

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.contact)

    def state(self, now) -> str:
        """One of ``State`` at ``now``: used and revoked first, then expired."""
        if self.used_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.PENDING


class SignInLink(models.Model):
    """A one-time sign-in link e-mailed to a contact with portal access, valid for
    ``PORTAL_SIGN_IN_MINUTES``. Only the SHA-256 of its token is stored."""

    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="portal_sign_in_links",
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal sign-in link")
        verbose_name_plural = _("portal sign-in links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.contact)
