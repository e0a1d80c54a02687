"""Users, tags and the base class of every editable domain record."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.querysets import UserManager
from clientfolio.core.validators import validate_time_zone

__all__ = [
    "ApiToken",
    "Event",
    "Job",
    "PeriodicJob",
    "Role",
    "Tag",
    "User",
    "VersionedModel",
]


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Staff")
    CLIENT = "client", _("Client contact")


class User(AbstractUser):
    """A person who logs in: an administrator, a staff member or a client's contact."""

    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.STAFF
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[
            ("", _("Browser setting")),
            ("zh-hans", "简体中文"),
            ("en", "English"),
        ],
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_time_zone],
        help_text=_("Dates and times in e-mails and digests are shown in this zone."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Chinese names read family name first with no space; Latin names the other way.
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return " ".join(part for part in (first, last) if part)

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_internal(self) -> bool:
        return self.is_active and self.role in (Role.ADMIN, Role.STAFF)


class ApiToken(models.Model):
    """A key that signs its user in to the API, until it expires or is revoked.

    Only the key's SHA-256 is stored (the key is shown once, when it is issued), with its
    first characters to recognise it by. ``password_fingerprint`` is the user's session
    hash when the token was issued: a password changed by any path invalidates it.
    Issued, checked and revoked by ``clientfolio.core.tokens``.
    """

    user = models.ForeignKey(
        User, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    password_fingerprint = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name or f"{self.prefix}…"


class Tag(models.Model):
    """A free label shared by clients and, later, projects."""

    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VersionedModel(models.Model):
    """Base of every editable domain record: timestamps and the optimistic-lock version.

    Subclasses add ``history = HistoricalRecords()``; updates go through
    ``clientfolio.core.locking.save_versioned`` so a stale version is refused.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class Event(models.Model):
    """Something that happened, stored before it is told (the outbox of ``core.events``).

    ``target_type`` is the model label of the record it is about (``schedule.task``);
    ``key`` makes an event happen once (a reminder for one task and one due date).
    """

    kind = models.CharField(_("event"), max_length=40, db_index=True)
    target_type = models.CharField(max_length=60)
    target_id = models.PositiveBigIntegerField()
    project_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    actor = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_ids = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type}:{self.target_id}"


class Job(models.Model):
    """Long work a user started (an import, an export, a report), with its progress.

    Run by a background job (``core.jobs.start_job``); the page polls the row for the
    progress bar, and the user is notified when it finishes.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    user = models.ForeignKey(
        User, models.CASCADE, related_name="jobs", verbose_name=_("started by")
    )
    project_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class PeriodicJob(models.Model):
    """When a periodic job (``core.jobs.periodic``) last ran and runs next.

    The embedded worker claims a due run by moving ``next_run_at`` forward with a
    compare-and-set update, so two workers never start the same run twice.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_result_id = models.CharField(max_length=64, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
