"""Project closure (收尾): the closing record with its override, lessons learned (经验教训),
the handover to the client (移交) and the final evaluation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.core.deletion import ProtectSigned
from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date

__all__ = ["Closure", "Evaluation", "Handover", "Lesson", "LessonQuerySet"]


class Closure(VersionedModel):
    """How and when a project was closed (and possibly reopened): who, the override
    reason and the checklist items that were unmet at that moment."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="closure",
    )
    is_closed = models.BooleanField(_("closed"), default=True)
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    overridden = models.BooleanField(_("closed despite unmet items"), default=False)
    override_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    unmet_items = models.JSONField(_("unmet checklist items"), default=list, blank=True)
    follow_up = models.ForeignKey(
        "clients.FollowUp",
        verbose_name=_("follow-up visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(
        _("reason for reopening"), max_length=2000, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project closure")
        verbose_name_plural = _("project closures")

    def __str__(self) -> str:
        return str(self.project)

    @property
    def unmet_rows(self) -> list[dict]:
        """The recorded unmet items with their labels in the reader's language."""
        from clientfolio.closure.services import HINTS

        return [
            {**item, "label": str(HINTS.get(item.get("key"), item.get("key")))}
            for item in self.unmet_items
        ]


class LessonQuerySet(models.QuerySet):
    def search(self, text: str):
        """Lessons whose title, text or tags contain every word of ``text``
        (case-insensitive substring: Chinese works without tokenising)."""
        queryset = self
        for word in text.lower().split()[:10]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def for_list(self):
        """Rows of lesson lists: project, client and author joined, tags preloaded."""
        return self.select_related("project__client", "author").prefetch_related("tags")


class Lesson(VersionedModel):
    """A lesson learned on a project: what went well, what went wrong, a suggestion."""

    class Kind(models.TextChoices):
        WENT_WELL = "went_well", _("Went well")
        WENT_WRONG = "went_wrong", _("Went wrong")
        SUGGESTION = "suggestion", pgettext_lazy("lesson kind", "Suggestion")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=10000, blank=True)
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="lessons"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
    )
    recorded_on = models.DateField(_("date"), validators=[validate_plan_date])
    # Lower-cased title, text and tag names: the search scans this one column.
    search_text = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["-recorded_on", "-id"]
        indexes = [
            models.Index(fields=["project", "-recorded_on"]),
            models.Index(fields=["-recorded_on", "-id"]),
        ]

    def __str__(self) -> str:
        return self.title


class Handover(VersionedModel):
    """What was handed over to the client (移交): documents, deliverables, training, to
    which of the client's contacts, when and by whom. One per project."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="handover",
    )
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="handovers",
    )
    deliverables = models.ManyToManyField(
        "quality.Deliverable",
        verbose_name=_("deliverables"),
        blank=True,
        related_name="handovers",
    )
    training = models.TextField(_("training given"), max_length=10000, blank=True)
    recipients = models.ManyToManyField(
        "clients.Contact",
        verbose_name=_("handed over to"),
        blank=True,
        related_name="handovers",
    )
    handed_over_on = models.DateField(
        _("handed over on"), validators=[validate_plan_date]
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), max_length=10000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return str(self.project)


class Evaluation(VersionedModel):
    """The manager's part of the final evaluation: the client's satisfaction (1–5) and a
    narrative; schedule, cost and quality figures are computed from the project's data."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=ProtectSigned(satisfaction__isnull=False),
        related_name="evaluation",
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("client satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    narrative = models.TextField(
        _("narrative"),
        max_length=20000,
        blank=True,
        help_text=_("Markdown: what was delivered, how it went, what to keep."),
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("final evaluation")
        verbose_name_plural = _("final evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="closure_evaluation_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return str(self.project)
