"""Important documents (重要文档) of a project: a folder tree from a template, documents with
immutable versions, per-project naming rule, and the download log."""

import posixpath
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel
from clientfolio.documents.querysets import DocumentQuerySet, FolderQuerySet

__all__ = [
    "Document",
    "DocumentSettings",
    "DocumentVersion",
    "DownloadLog",
    "Folder",
    "FolderTemplate",
    "version_upload_to",
]


class FolderTemplate(models.Model):
    """One folder every new project's document tree starts with (admins edit the list)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("folder template")
        verbose_name_plural = _("folder templates")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language."""
        language = get_language() or ""
        return self.name_zh if language.startswith("zh") else self.name_en


class DocumentSettings(VersionedModel):
    """A project's document settings: the optional naming rule checked on upload."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="document_settings",
    )
    naming_rule = models.CharField(
        _("naming rule"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example {project_code}-{category}-{title}-v{version}; "
            "leave empty to accept any file name."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(self.project)


class Folder(VersionedModel):
    """A folder of a project's document tree; a folder made from a template shows the
    template's name in the reader's language until someone renames it."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="document_folders",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent folder"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    template = models.ForeignKey(
        FolderTemplate,
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="folders",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    objects = FolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name or self.template_id is None:
            return self.name
        assert self.template is not None
        return self.template.label


class Document(VersionedModel):
    """A document kept in a project folder; its content lives in its versions."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        SHARED = "shared", _("Shared with the client")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    folder = models.ForeignKey(
        Folder,
        verbose_name=_("folder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="documents",
    )
    deleted_at = models.DateTimeField(_("moved to trash"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["project", "deleted_at", "folder"]),
            # The list's order (title, id) inside a project, so deep pages walk the
            # index instead of sorting every document of the project.
            models.Index(
                fields=["project", "deleted_at", "title", "id"],
                name="documents_list_order",
            ),
            # What the client's portal lists, newest first: the shared documents of a
            # project among its thousands of internal ones.
            models.Index(
                fields=["project", "visibility", "deleted_at", "-updated_at", "-id"],
                name="documents_shared_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.SHARED

    @property
    def is_trashed(self) -> bool:
        return self.deleted_at is not None


def version_upload_to(instance: "DocumentVersion", filename: str) -> str:
    """Storage name of a version's file: per project, a random folder, the safe name."""
    project_id = instance.document.project_id
    return posixpath.join(
        "documents", str(project_id), uuid.uuid4().hex, posixpath.basename(filename)
    )


class DocumentVersion(models.Model):
    """One immutable upload of a document: the file with its size, hash and note."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=500)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="document_versions",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="documents_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    def save(self, *args, **kwargs):
        # Versions are evidence: once stored, a version never changes.
        if self.pk is not None:
            raise ValidationError(_("A document version cannot be changed."))
        super().save(*args, **kwargs)

    @property
    def short_sha256(self) -> str:
        return self.sha256[:12]

    @property
    def is_previewable(self) -> bool:
        return self.content_type in {
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/gif",
        }


class DownloadLog(models.Model):
    """One download (or inline preview) of a version: who, when, from where."""

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="document_downloads",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    is_preview = models.BooleanField(_("preview"), default=False)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.version_id} {self.at}"
