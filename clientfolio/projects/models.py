"""The client project folder: projects, their teams, the requirements confirmed into scope,
and change requests with their history."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.core.deletion import ProtectSigned
from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date
from clientfolio.projects.querysets import (
    ChangeRequestQuerySet,
    MembershipQuerySet,
    ProjectQuerySet,
    ProjectRequirementQuerySet,
)

__all__ = [
    "ChangeRequest",
    "ChangeRequestTransition",
    "Membership",
    "Project",
    "ProjectEvent",
    "ProjectRequirement",
    "ProjectRole",
]


class ProjectRole(models.TextChoices):
    MANAGER = "manager", _("Project manager")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")
    FINANCE = "finance", _("Finance")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", pgettext_lazy("priority", "Critical")


class Project(VersionedModel):
    """A piece of work delivered to one client: the root of its folder."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("project status", "Proposed")
        ACTIVE = "active", pgettext_lazy("project status", "Active")
        ON_HOLD = "on_hold", pgettext_lazy("project status", "On hold")
        COMPLETED = "completed", pgettext_lazy("project status", "Completed")
        CANCELLED = "cancelled", pgettext_lazy("project status", "Cancelled")

    class Phase(models.TextChoices):
        INITIATION = "initiation", _("Initiation")
        PLANNING = "planning", _("Planning")
        EXECUTION = "execution", _("Execution")
        MONITORING = "monitoring", _("Monitoring and control")
        CLOSING = "closing", _("Closing")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project manager"),
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    goals = models.TextField(_("goals"), max_length=10000, blank=True)
    scope_in = models.TextField(_("in scope"), max_length=10000, blank=True)
    scope_out = models.TextField(_("out of scope"), max_length=10000, blank=True)
    outcomes = models.TextField(
        _("expected outcomes and deliverables"), max_length=10000, blank=True
    )
    starts_on = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_plan_date]
    )
    planned_finish_on = models.DateField(
        _("planned finish"), null=True, blank=True, validators=[validate_plan_date]
    )
    actual_finish_on = models.DateField(
        _("actual finish"), null=True, blank=True, validators=[validate_plan_date]
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.INITIATION
    )
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="projects"
    )

    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_finish_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(planned_finish_on__gte=F("starts_on")),
                name="projects_project_planned_finish_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_finish_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(actual_finish_on__gte=F("starts_on")),
                name="projects_project_actual_finish_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-starts_on"]),
            models.Index(fields=["status", "-starts_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors = {}
        if (
            self.starts_on
            and self.planned_finish_on
            and self.planned_finish_on < self.starts_on
        ):
            errors["planned_finish_on"] = _(
                "The planned finish is before the start date."
            )
        if (
            self.starts_on
            and self.actual_finish_on
            and self.actual_finish_on < self.starts_on
        ):
            errors["actual_finish_on"] = _(
                "The actual finish is before the start date."
            )
        if errors:
            raise ValidationError(errors)


class ProjectEvent(models.Model):
    """A change of a project's status or phase: what, from, to, who and when."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        PHASE = "phase", _("Phase")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    old_value = models.CharField(_("from"), max_length=16, blank=True)
    new_value = models.CharField(_("to"), max_length=16)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="project_events",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.old_value} → {self.new_value}"

    def _label(self, value: str) -> str:
        choices = Project.Status if self.kind == self.Kind.STATUS else Project.Phase
        return str(dict(choices.choices).get(value, value or "—"))

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)


class Membership(VersionedModel):
    """A person on a project's team, with a project role and written responsibilities."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("project role"),
        max_length=16,
        choices=ProjectRole.choices,
        default=ProjectRole.MEMBER,
    )
    responsibilities = models.TextField(
        _("responsibilities"), max_length=2000, blank=True
    )

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"], name="projects_membership_one_per_person"
            )
        ]
        indexes = [models.Index(fields=["user", "project", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ProjectRequirement(VersionedModel):
    """A requirement confirmed into (or rejected from) a project's scope."""

    class Status(models.TextChoices):
        COLLECTED = "collected", _("Collected")
        CONFIRMED = "confirmed", _("Confirmed")
        IN_SCOPE = "in_scope", _("In scope")
        DELIVERED = "delivered", _("Delivered")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    source = models.ForeignKey(
        "clients.Requirement",
        verbose_name=_("client need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_requirements",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.COLLECTED
    )
    confirmed_by = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("confirmed by (client)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmed_requirements",
    )
    confirmed_on = models.DateField(
        _("confirmed on"), null=True, blank=True, validators=[validate_plan_date]
    )

    history = HistoricalRecords()
    objects = ProjectRequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("project requirement")
        verbose_name_plural = _("project requirements")
        ordering = ["status", "id"]

    def __str__(self) -> str:
        return self.title


class ChangeRequest(VersionedModel):
    """A request to change a project's scope, schedule or cost, and the client's decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        EVALUATING = "evaluating", _("Under evaluation")
        AWAITING_CLIENT = "awaiting_client", _("Awaiting client decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IMPLEMENTED = "implemented", _("Implemented")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=ProtectSigned(decided_by__isnull=False),
        related_name="change_requests",
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    requested_by_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("requested by (client)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_requests",
    )
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by (staff)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_changes",
    )
    requested_on = models.DateField(_("requested on"), validators=[validate_plan_date])
    description = models.TextField(_("description"), max_length=10000, blank=True)
    reason = models.TextField(_("reason"), max_length=5000, blank=True)
    scope_impact = models.TextField(_("impact on scope"), max_length=5000, blank=True)
    schedule_impact_days = models.IntegerField(
        _("schedule impact (days)"),
        default=0,
        validators=[MinValueValidator(-3650), MaxValueValidator(3650)],
    )
    cost_impact = models.DecimalField(
        _("cost impact"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[
            MinValueValidator(Decimal("-999999999999.99")),
            MaxValueValidator(Decimal("999999999999.99")),
        ],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    risk_notes = models.TextField(_("risk notes"), max_length=5000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("decided by (client)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_changes",
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, validators=[validate_plan_date]
    )

    history = HistoricalRecords()
    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="projects_change_request_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"CR-{self.number:03d} {self.title}"

    @property
    def code(self) -> str:
        return f"CR-{self.number:03d}"


class ChangeRequestTransition(models.Model):
    """One step of a change request's life: from, to, who, when and why."""

    change_request = models.ForeignKey(
        ChangeRequest,
        verbose_name=_("change request"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=ChangeRequest.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=16, choices=ChangeRequest.Status.choices
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="change_request_transitions",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("change request transition")
        verbose_name_plural = _("change request transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
