"""Risks (风险登记册) of a project with their reassessment history, the project's level
thresholds, and the issue log (问题日志) of problems that did happen."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date
from clientfolio.risks import scoring
from clientfolio.risks.querysets import IssueQuerySet, RiskQuerySet

__all__ = ["Issue", "Level", "Risk", "RiskAssessment", "RiskSettings"]

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Level(models.TextChoices):
    LOW = scoring.LOW, pgettext_lazy("risk level", "Low")
    MEDIUM = scoring.MEDIUM, pgettext_lazy("risk level", "Medium")
    HIGH = scoring.HIGH, pgettext_lazy("risk level", "High")
    CRITICAL = scoring.CRITICAL, pgettext_lazy("risk level", "Critical")


class RiskSettings(VersionedModel):
    """A project's risk level thresholds (inclusive upper scores of low, medium, high)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="risk_settings",
    )
    low_max = models.PositiveSmallIntegerField(
        _("low up to score"), default=scoring.DEFAULT_THRESHOLDS.low
    )
    medium_max = models.PositiveSmallIntegerField(
        _("medium up to score"), default=scoring.DEFAULT_THRESHOLDS.medium
    )
    high_max = models.PositiveSmallIntegerField(
        _("high up to score"), default=scoring.DEFAULT_THRESHOLDS.high
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk settings")
        verbose_name_plural = _("risk settings")

    def __str__(self) -> str:
        return str(self.project)

    @property
    def thresholds(self) -> scoring.Thresholds:
        return scoring.Thresholds(self.low_max, self.medium_max, self.high_max)


class Risk(VersionedModel):
    """An uncertain event that would affect the project, rated probability × impact."""

    class Category(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        RESOURCE = "resource", _("Resource")
        SCHEDULE = "schedule", pgettext_lazy("risk category", "Schedule")
        COST = "cost", pgettext_lazy("risk category", "Cost")
        EXTERNAL = "external", _("External")
        MARKET = "market", _("Market")
        MANAGEMENT = "management", _("Management")
        CLIENT = "client", pgettext_lazy("risk category", "Client")

    class Strategy(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        MITIGATE = "mitigate", _("Mitigate")
        TRANSFER = "transfer", _("Transfer")
        ACCEPT = "accept", _("Accept")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        ANALYSING = "analysing", _("Analysing")
        RESPONDING = "responding", _("Responding")
        MONITORING = "monitoring", _("Monitoring")
        CLOSED = "closed", pgettext_lazy("risk status", "Closed")
        OCCURRED = "occurred", _("Occurred")

    OPEN_STATUSES = (
        Status.IDENTIFIED,
        Status.ANALYSING,
        Status.RESPONDING,
        Status.MONITORING,
    )

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="risks",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=Category.choices,
        default=Category.TECHNICAL,
    )
    probability = models.PositiveSmallIntegerField(
        _("probability"), default=3, validators=RATING_VALIDATORS
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), default=3, validators=RATING_VALIDATORS
    )
    score = models.PositiveSmallIntegerField(_("score"), default=9, editable=False)
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=Level.choices,
        default=Level.MEDIUM,
        editable=False,
    )
    strategy = models.CharField(
        _("strategy"),
        max_length=16,
        choices=Strategy.choices,
        default=Strategy.MITIGATE,
    )
    response_plan = models.TextField(_("response plan"), max_length=10000, blank=True)
    contingency_plan = models.TextField(
        _("contingency plan"), max_length=10000, blank=True
    )
    trigger = models.CharField(_("trigger"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
    )
    tasks = models.ManyToManyField(
        "schedule.Task",
        verbose_name=_("linked tasks"),
        blank=True,
        related_name="risks",
    )
    review_on = models.DateField(
        _("review date"), null=True, blank=True, validators=[validate_plan_date]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.IDENTIFIED,
    )
    history = HistoricalRecords()

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["owner", "review_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=1, probability__lte=5),
                name="risks_risk_probability_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5),
                name="risks_risk_impact_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.is_open and self.review_on and self.review_on < today)


class RiskAssessment(models.Model):
    """One rating of a risk, kept for good: the risk's score over time."""

    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    probability = models.PositiveSmallIntegerField(
        _("probability"), validators=RATING_VALIDATORS
    )
    impact = models.PositiveSmallIntegerField(_("impact"), validators=RATING_VALIDATORS)
    score = models.PositiveSmallIntegerField(_("score"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["assessed_at", "id"]
        indexes = [models.Index(fields=["risk", "assessed_at"])]

    def __str__(self) -> str:
        return f"{self.risk} {self.probability}×{self.impact}"


class Issue(VersionedModel):
    """A problem that happened (问题), tracked until it is resolved; may come from a risk."""

    class Severity(models.TextChoices):
        LOW = "low", pgettext_lazy("issue severity", "Low")
        MEDIUM = "medium", pgettext_lazy("issue severity", "Medium")
        HIGH = "high", pgettext_lazy("issue severity", "High")
        CRITICAL = "critical", pgettext_lazy("issue severity", "Critical")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("issue status", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("issue status", "In progress")
        RESOLVED = "resolved", pgettext_lazy("issue status", "Resolved")
        CLOSED = "closed", pgettext_lazy("issue status", "Closed")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="issues",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    severity = models.CharField(
        _("severity"),
        max_length=16,
        choices=Severity.choices,
        default=Severity.MEDIUM,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_issues",
    )
    due_on = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_plan_date]
    )
    root_cause = models.TextField(_("root cause"), max_length=10000, blank=True)
    resolution = models.TextField(_("resolution"), max_length=10000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    source_risk = models.ForeignKey(
        Risk,
        verbose_name=_("source risk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
