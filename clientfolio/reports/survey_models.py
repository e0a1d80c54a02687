"""Satisfaction surveys (满意度调查, issue 13): a survey of a project, one invitation per
contact of the project's client, and at most one answer per contact and survey."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel

__all__ = ["Answer", "Invitation", "Survey", "SurveySettings"]

SCORE_FIELDS = ("quality", "schedule", "communication", "responsiveness", "value")


class SurveySettings(VersionedModel):
    """When a project's client is surveyed automatically; no row means the defaults
    (after closure yes, after a milestone's acceptance no, a reminder after 7 days)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="survey_settings",
    )
    on_milestone_acceptance = models.BooleanField(
        _("survey when a milestone is accepted"), default=False
    )
    on_closure = models.BooleanField(_("survey when the project closes"), default=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), default=7
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1, reminder_days__lte=60),
                name="reports_surveysettings_reminder_1_to_60",
            )
        ]

    def __str__(self) -> str:
        return str(self.project)


class SurveyQuerySet(models.QuerySet):
    def for_list(self) -> "SurveyQuerySet":
        """Surveys with their number of invitations and answers."""
        return self.select_related("created_by").annotate(
            invited=models.Count("invitations", distinct=True),
            answered=models.Count("answers", distinct=True),
        )


class Survey(VersionedModel):
    """A satisfaction survey of a project's client, on one occasion."""

    class Occasion(models.TextChoices):
        MILESTONE = "milestone", _("Milestone acceptance")
        CLOSURE = "closure", _("Project closure")
        PERIOD = "period", _("Periodic")
        MANUAL = "manual", _("Manual")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    occasion = models.CharField(
        _("occasion"), max_length=20, choices=Occasion, default=Occasion.MANUAL
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys_created",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # What created an automatic survey (``closure:<project>:<time>``), so it is made once.
    source_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    history = HistoricalRecords()
    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Invitation(VersionedModel):
    """One contact asked to answer a survey, in their language, by e-mail and in the
    portal."""

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["survey_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "contact"], name="reports_invitation_one_per_contact"
            )
        ]
        indexes = [models.Index(fields=["contact", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.survey} · {self.contact}"


class Answer(VersionedModel):
    """A contact's answer to a survey: CSAT 1–5 per dimension, NPS 0–10 and a comment."""

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="answer",
    )
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="survey_answers",
    )
    quality = models.PositiveSmallIntegerField(_("quality"))
    schedule = models.PositiveSmallIntegerField(_("schedule"))
    communication = models.PositiveSmallIntegerField(_("communication"))
    responsiveness = models.PositiveSmallIntegerField(_("responsiveness"))
    value = models.PositiveSmallIntegerField(_("value for money"))
    nps = models.PositiveSmallIntegerField(_("likelihood to recommend (0–10)"))
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    answered_at = models.DateTimeField(_("answered at"))
    follow_up = models.ForeignKey(
        "clients.FollowUp",
        verbose_name=_("follow-up visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_answers",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "contact"], name="reports_answer_one_per_contact"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"reports_answer_{name}_1_to_5",
                )
                for name in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(nps__gte=0, nps__lte=10), name="reports_answer_nps_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.contact}"

    @property
    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in SCORE_FIELDS}
