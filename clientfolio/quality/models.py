"""Quality and acceptance (质量与验收) of a project.

- ``QualityStandard``: a measurable quality criterion the project commits to, by category
  (technical, management, service), with its target ("P95 响应时间 ≤ 300 ms").
- ``Deliverable`` (交付物): a piece of work handed to the client, optionally tied to a
  milestone (``schedule.Task`` with ``is_milestone``) of the same project, with its
  acceptance criteria (one per line), owner, due date and ``status`` (planned, in progress,
  submitted, accepted, rejected). "accepted" only comes from a client's acceptance.
- ``QualityReview``: a check of a deliverable (or of the project against its standards) on
  a date by a reviewer; its ``result`` (passed, failed, not assessed) is computed from its
  ``ReviewItem`` rows (criterion, result pass / fail / not applicable, findings, and the
  ``risks.Issue`` a failed item opened).
- ``Acceptance`` (客户验收): a client contact's decision (accepted / rejected) on a
  deliverable or a milestone, with date, comments and the signed document
  (``documents.Document``), the address and browser it was recorded from and a frozen
  snapshot of what was decided on. Recorded by staff or through the client portal; an
  immutable record (never edited, never deleted).
- ``ImprovementAction``: a PDCA improvement (problem, cause, action, owner, dates, status
  plan → do → check → act) that needs an evaluation of its effect to be finished.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date
from clientfolio.quality import rules

__all__ = [
    "Acceptance",
    "Deliverable",
    "ImprovementAction",
    "QualityReview",
    "QualityStandard",
    "ReviewItem",
]


class QualityStandard(VersionedModel):
    """A measurable quality criterion of a project."""

    class Category(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        MANAGEMENT = "management", _("Management")
        SERVICE = "service", _("Service")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="quality_standards",
    )
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=Category.choices,
        default=Category.TECHNICAL,
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    target = models.CharField(
        _("measure and target"),
        max_length=200,
        blank=True,
        help_text=_("How it is measured and the value to reach, e.g. “P95 ≤ 300 ms”."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality standard")
        verbose_name_plural = _("quality standards")
        ordering = ["category", "title", "id"]

    def __str__(self) -> str:
        return self.title


class Deliverable(VersionedModel):
    """A piece of work handed to the client, checked against its acceptance criteria."""

    class Status(models.TextChoices):
        PLANNED = rules.PLANNED, pgettext_lazy("deliverable status", "Planned")
        IN_PROGRESS = (
            rules.IN_PROGRESS,
            pgettext_lazy("deliverable status", "In progress"),
        )
        SUBMITTED = rules.SUBMITTED, pgettext_lazy("deliverable status", "Submitted")
        ACCEPTED = rules.ACCEPTED, pgettext_lazy("deliverable status", "Accepted")
        REJECTED = rules.REJECTED, pgettext_lazy("deliverable status", "Rejected")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    milestone = models.ForeignKey(
        "schedule.Task",
        verbose_name=_("milestone"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliverables",
        limit_choices_to={"is_milestone": True},
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    acceptance_criteria = models.TextField(
        _("acceptance criteria"),
        max_length=10000,
        blank=True,
        help_text=_("One criterion per line; reviews check them item by item."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_deliverables",
    )
    due_on = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_plan_date]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["due_on", "name", "id"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def criteria(self) -> list[str]:
        """The acceptance criteria, one per non-empty line."""
        return [
            line.strip(" -•\t")
            for line in self.acceptance_criteria.splitlines()
            if line.strip(" -•\t")
        ]


class QualityReview(VersionedModel):
    """A quality check of a deliverable, or of the project against its standards."""

    class Result(models.TextChoices):
        PASSED = rules.PASSED, pgettext_lazy("review result", "Passed")
        FAILED = rules.FAILED, pgettext_lazy("review result", "Failed")
        NOT_ASSESSED = (
            rules.NOT_ASSESSED,
            pgettext_lazy("review result", "Not assessed"),
        )

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="quality_reviews",
    )
    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        help_text=_("Leave empty to review the project against its standards."),
    )
    title = models.CharField(_("title"), max_length=200)
    reviewed_on = models.DateField(
        pgettext_lazy("quality review", "review date"), validators=[validate_plan_date]
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quality_reviews",
    )
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    result = models.CharField(
        _("result"),
        max_length=16,
        choices=Result.choices,
        default=Result.NOT_ASSESSED,
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality review")
        verbose_name_plural = _("quality reviews")
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["project", "reviewed_on"])]

    def __str__(self) -> str:
        return self.title


class ReviewItem(models.Model):
    """One line of a review's checklist: the criterion checked, its result and findings."""

    class Result(models.TextChoices):
        PASS = rules.PASS, pgettext_lazy("checklist result", "Pass")
        FAIL = rules.FAIL, pgettext_lazy("checklist result", "Fail")
        NA = rules.NA, _("Not applicable")

    review = models.ForeignKey(
        QualityReview,
        verbose_name=_("quality review"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    criterion = models.CharField(_("criterion"), max_length=500)
    standard = models.ForeignKey(
        QualityStandard,
        verbose_name=_("quality standard"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_items",
    )
    result = models.CharField(
        _("result"), max_length=8, choices=Result.choices, default=Result.PASS
    )
    findings = models.TextField(_("findings"), max_length=5000, blank=True)
    issue = models.ForeignKey(
        "risks.Issue",
        verbose_name=_("issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_items",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.criterion


class Acceptance(models.Model):
    """A client contact's decision on a deliverable or a milestone, with the signed
    document: who decided, when, from which address, and what exactly was decided on
    (``accepted_snapshot``, frozen by ``quality.services.record_acceptance``).

    Immutable: ``save()`` of a stored row and ``delete()`` raise ``ValidationError`` (a
    new decision is a new record), and what it names (project, deliverable, milestone,
    contact, document) is protected from deletion. Django's bulk ``QuerySet.update()``
    and ``delete()`` are not ours and are left to maintenance code and tests."""

    class Decision(models.TextChoices):
        ACCEPTED = rules.ACCEPTED, pgettext_lazy("acceptance decision", "Accepted")
        REJECTED = rules.REJECTED, pgettext_lazy("acceptance decision", "Rejected")

    class Channel(models.TextChoices):
        STAFF = "staff", _("Recorded by staff")
        PORTAL = "portal", _("Client portal")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptances",
    )
    milestone = models.ForeignKey(
        "schedule.Task",
        verbose_name=_("milestone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptances",
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    decided_on = models.DateField(_("decision date"), validators=[validate_plan_date])
    comments = models.TextField(_("comments"), max_length=10000, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("signed document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptances",
    )
    channel = models.CharField(
        _("recorded through"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.STAFF,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # Where the decision was recorded from: the client's browser for the portal, the
    # staff member's for a decision recorded by staff.
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, editable=False
    )
    user_agent = models.CharField(
        _("browser"), max_length=300, blank=True, editable=False
    )
    # What was decided on, as it was at that moment: the deliverable's name and
    # criteria, the milestone's name and dates, the signed file's version and hash.
    # See ``quality.services.acceptance_snapshot`` for the keys.
    accepted_snapshot = models.JSONField(
        _("what was decided on"), default=dict, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client acceptance")
        verbose_name_plural = _("client acceptances")
        ordering = ["-decided_on", "-id"]
        # A deliverable or a milestone (checked by the service).

    def __str__(self) -> str:
        subject = self.deliverable or self.milestone
        return f"{subject} · {self.get_decision_display()}"

    def save(self, *args, **kwargs):
        # The client's word: once stored, an acceptance never changes (issue 12).
        if self.pk is not None:
            raise ValidationError(_("A client acceptance cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A client acceptance cannot be deleted."))

    @property
    def snapshot_deliverable(self) -> dict:
        return self.accepted_snapshot.get("deliverable") or {}

    @property
    def snapshot_milestone(self) -> dict:
        return self.accepted_snapshot.get("milestone") or {}

    @property
    def snapshot_document(self) -> dict:
        return self.accepted_snapshot.get("document") or {}


class ImprovementAction(VersionedModel):
    """A PDCA improvement: problem, cause, action, owner and dates, and the evaluation of
    its effect, required to finish it."""

    class Status(models.TextChoices):
        PLAN = "plan", pgettext_lazy("PDCA", "Plan")
        DO = "do", pgettext_lazy("PDCA", "Do")
        CHECK = "check", pgettext_lazy("PDCA", "Check")
        ACT = rules.ACT, pgettext_lazy("PDCA", "Act (done)")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="improvement_actions",
    )
    review = models.ForeignKey(
        QualityReview,
        verbose_name=_("from review"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
    )
    problem = models.CharField(_("problem"), max_length=300)
    cause = models.TextField(_("cause analysis"), max_length=10000, blank=True)
    action = models.TextField(
        pgettext_lazy("improvement", "action"), max_length=10000, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
    )
    planned_on = models.DateField(
        _("planned date"), null=True, blank=True, validators=[validate_plan_date]
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLAN
    )
    completed_on = models.DateField(
        _("completion date"), null=True, blank=True, validators=[validate_plan_date]
    )
    evaluation = models.TextField(
        _("evaluation of the effect"),
        max_length=10000,
        blank=True,
        help_text=_("Required to finish the action: did it solve the problem?"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.problem
