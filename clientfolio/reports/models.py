"""The reports app's tables: progress reports and their published versions, satisfaction
surveys and their answers (dashboards and search compute from the other apps' tables)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date
from clientfolio.reports.survey_models import (
    Answer,
    Invitation,
    Survey,
    SurveySettings,
)

__all__ = [
    "Answer",
    "ClientInsight",
    "Invitation",
    "Period",
    "ProgressReport",
    "ProgressReportVersion",
    "ReportSchedule",
    "ReportTemplate",
    "Survey",
    "SurveySettings",
    "VersionIsFrozen",
]


class Period(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class ReportSchedule(VersionedModel):
    """A project's reporting cadence: the periodic job drafts a report each period."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="report_schedule",
    )
    cadence = models.CharField(
        _("reporting cadence"),
        max_length=16,
        choices=Period.choices,
        blank=True,
        help_text=_("Leave empty to draft reports only by hand."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting cadence")
        verbose_name_plural = _("reporting cadences")

    def __str__(self) -> str:
        return f"{self.project} · {self.get_cadence_display()}"


def _logo_path(instance: "ReportTemplate", filename: str) -> str:
    return f"reports/template/{filename}"


class ReportTemplate(VersionedModel):
    """The firm's progress-report template (one row): the sections a report has, in
    their order, those a new draft shows the client, and the logo on the page and the
    PDF. Without a row every report has every section in the usual order."""

    sections = models.JSONField(_("sections, in order"), default=list, blank=True)
    client_sections = models.JSONField(
        _("sections the client sees by default"), default=list, blank=True
    )
    logo = models.FileField(_("logo"), upload_to=_logo_path, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report template")
        verbose_name_plural = _("progress report templates")

    def __str__(self) -> str:
        return str(_("Progress report template"))


class ProgressReportQuerySet(models.QuerySet):
    def for_list(self):
        """Rows of report lists: who drafted it, its latest published version number."""
        return self.select_related("created_by").annotate(
            published_versions=models.Count("versions")
        )


class ProgressReport(VersionedModel):
    """A progress report (进度报告) of one project for one period: drafted from the
    project's data, completed by the manager's narrative, published as versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    period = models.CharField(
        _("period"), max_length=16, choices=Period.choices, default=Period.WEEKLY
    )
    period_start = models.DateField(_("period start"), validators=[validate_plan_date])
    period_end = models.DateField(_("period end"), validators=[validate_plan_date])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=10000, blank=True)
    client_notes = models.TextField(
        _("notes for the client"), max_length=10000, blank=True
    )
    internal_notes = models.TextField(
        _("internal notes"),
        max_length=10000,
        blank=True,
        help_text=_("For the team only: never in the client version."),
    )
    client_sections = models.JSONField(
        _("sections the client sees"), default=list, blank=True
    )
    data = models.JSONField(_("drafted figures"), default=dict, blank=True)
    drafted_at = models.DateTimeField(_("drafted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["data"])
    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "period_start"],
                name="reports_one_report_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="reports_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class VersionIsFrozen(Exception):
    """A published version was about to be changed: it never is."""


def _pdf_path(instance: "ProgressReportVersion", filename: str) -> str:
    report = instance.report
    return f"reports/{report.project_id}/{report.pk}/v{instance.number}-{filename}"


class ProgressReportVersion(models.Model):
    """One published, immutable version of a progress report: the frozen figures the
    client and the team were sent, and both PDFs."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    client_data = models.JSONField(_("client version"), default=dict)
    internal_data = models.JSONField(_("internal version"), default=dict)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"))
    language = models.CharField(
        _("language of the PDFs"), max_length=10, default="zh-hans"
    )
    client_pdf = models.FileField(_("client PDF"), upload_to=_pdf_path)
    internal_pdf = models.FileField(_("internal PDF"), upload_to=_pdf_path)
    recipients = models.ManyToManyField(
        "clients.Contact",
        verbose_name=_("sent to"),
        blank=True,
        related_name="progress_reports_received",
    )

    class Meta:
        verbose_name = _("published progress report")
        verbose_name_plural = _("published progress reports")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="reports_one_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise VersionIsFrozen(str(self))
        super().save(*args, **kwargs)


class ClientInsight(models.Model):
    """A client's analysis (客户分析) as of ``computed_on``: RFM figures and scores, the
    segment, revenue of the last two twelve-month windows, complaints, the last contact
    and the signals that put the client at risk. Recomputed for every client by the
    nightly job (``reports.tasks.recompute_insights``, ``reports.insights``)."""

    class Segment(models.TextChoices):
        CHAMPIONS = "champions", _("Champions")
        LOYAL = "loyal", _("Loyal")
        BIG_SPENDERS = "big_spenders", _("Big spenders")
        NEW = "new", _("New")
        AT_RISK = "at_risk", _("Slipping away")
        HIBERNATING = "hibernating", _("Hibernating")
        ATTENTION = "attention", _("Needs attention")
        NONE = "none", _("No payments in 24 months")

    client = models.OneToOneField(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="insight",
    )
    computed_on = models.DateField(_("computed on"))
    recency_days = models.PositiveIntegerField(_("days since last payment"), null=True)
    frequency = models.PositiveIntegerField(_("payments in 24 months"), default=0)
    revenue = models.DecimalField(
        _("revenue, last 12 months"), max_digits=16, decimal_places=2, default=0
    )
    revenue_before = models.DecimalField(
        _("revenue, the 12 months before"), max_digits=16, decimal_places=2, default=0
    )
    r_score = models.PositiveSmallIntegerField(null=True)
    f_score = models.PositiveSmallIntegerField(null=True)
    m_score = models.PositiveSmallIntegerField(null=True)
    segment = models.CharField(
        _("segment"), max_length=16, choices=Segment.choices, default=Segment.NONE
    )
    open_complaints = models.PositiveIntegerField(_("open complaints"), default=0)
    last_contact_on = models.DateField(_("last contact"), null=True)
    at_risk = models.BooleanField(_("at risk"), default=False)
    signals = models.JSONField(_("signals"), default=list)

    class Meta:
        verbose_name = _("client analysis")
        verbose_name_plural = _("client analyses")
        indexes = [
            models.Index(fields=["segment"]),
            models.Index(fields=["at_risk", "-revenue_before"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.segment}"
