"""Project templates (项目模板): a project's reusable shape, versioned.

- ``ProjectTemplate``: a firm-wide template with its names in Chinese and English, built
  in (``builtin_key``) or saved from a project.
- ``TemplateRevision``: one version of a template's content, a JSON document checked by
  ``blueprints.structure.validate``; a template is used at its latest revision.
- ``ProjectOrigin``: which template (and revision) a project was started from, with the
  roles it still has to staff.
"""

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.blueprints import structure
from clientfolio.core.models import VersionedModel

__all__ = ["ProjectOrigin", "ProjectTemplate", "TemplateRevision"]


class ProjectTemplateQuerySet(models.QuerySet):
    def for_list(self):
        """Templates with their latest revision number and how often they were used."""
        return self.select_related("created_by").annotate(
            latest_number=Max("revisions__number"),
            uses=models.Count("origins", distinct=True),
        )


class ProjectTemplate(VersionedModel):
    """A firm-wide project template: names, description and its revisions."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_zh = models.TextField(
        _("description (Chinese)"), max_length=5000, blank=True
    )
    description_en = models.TextField(
        _("description (English)"), max_length=5000, blank=True
    )
    # Set on the built-in templates (``blueprints.builtin``), so loading them again
    # updates them instead of adding copies.
    builtin_key = models.CharField(
        max_length=40, unique=True, null=True, blank=True, editable=False
    )
    source_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("saved from project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saved_templates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_templates",
    )
    # Denormalised from the latest revision, for the list.
    task_count = models.PositiveIntegerField(_("tasks"), default=0, editable=False)
    milestone_count = models.PositiveIntegerField(
        _("milestones"), default=0, editable=False
    )
    working_days = models.PositiveIntegerField(
        _("working days"), default=0, editable=False
    )

    history = HistoricalRecords()
    objects = ProjectTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("project template")
        verbose_name_plural = _("project templates")
        ordering = ["builtin_key", "name_zh", "name_en", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_zh="", name_en=""),
                name="blueprints_template_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (the other one if that is empty)."""
        return structure.text(
            {"zh": self.name_zh, "en": self.name_en}, get_language() or "en"
        )

    @property
    def description(self) -> str:
        return structure.text(
            {"zh": self.description_zh, "en": self.description_en},
            get_language() or "en",
        )

    @property
    def is_builtin(self) -> bool:
        return bool(self.builtin_key)


class TemplateRevision(models.Model):
    """One saved version of a template's content (never changed once written)."""

    template = models.ForeignKey(
        ProjectTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="blueprints_revision_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"


class ProjectOrigin(models.Model):
    """The template a project was started from, and the roles it came with (to be
    staffed on the team page)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="origin",
    )
    template = models.ForeignKey(
        ProjectTemplate,
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="origins",
    )
    revision_number = models.PositiveIntegerField(_("template version"))
    language = models.CharField(_("language"), max_length=8)
    requested_start = models.DateField(_("requested start"))
    roles = models.JSONField(_("roles to staff"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("project origin")
        verbose_name_plural = _("project origins")

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.template_id} v{self.revision_number}"
