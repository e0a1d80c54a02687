"""Users, tags and the base class of every editable domain record."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.querysets import UserManager

__all__ = ["ApiToken", "Role", "Tag", "User", "VersionedModel"]


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
