"""The schedule of a project: its working calendar, the task tree (WBS) with dependencies and
assignments, and saved baselines. Computed dates are written back by
``schedule.services.recompute`` from ``schedule.engine``."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date
from clientfolio.schedule.querysets import DependencyQuerySet, TaskQuerySet

__all__ = [
    "Assignment",
    "Baseline",
    "BaselineTask",
    "CalendarDay",
    "Dependency",
    "FeedToken",
    "PlanChange",
    "ProjectSchedule",
    "Task",
]

WEEKDAYS = "0,1,2,3,4"


class ProjectSchedule(VersionedModel):
    """Scheduling settings of one project: working weekdays, statutory holidays, the
    project buffer and the status date progress is measured at."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="schedule",
    )
    workdays = models.CharField(
        _("working weekdays"),
        max_length=13,
        default=WEEKDAYS,
        help_text=_("Weekday numbers, Monday = 0."),
    )
    use_statutory_holidays = models.BooleanField(
        _("Chinese statutory holidays and make-up workdays"), default=True
    )
    buffer_days = models.PositiveIntegerField(
        _("project buffer (working days)"),
        default=0,
        validators=[MaxValueValidator(365)],
    )
    status_date = models.DateField(
        _("status date"),
        null=True,
        blank=True,
        validators=[validate_plan_date],
        help_text=_("Progress is measured at this date; empty means today."),
    )
    computed_at = models.DateTimeField(
        _("computed"), null=True, blank=True, editable=False
    )
    computed_finish = models.DateField(
        _("computed finish"), null=True, blank=True, editable=False
    )
    # Years the holiday data did not cover at the last computation ("2029,2030").
    # Text, not 100 characters: a plan running decades past the published holidays
    # lists every year, which PostgreSQL refused (a 500 on every edit; issue 14).
    unknown_years = models.TextField(blank=True, default="", editable=False)
    # Links to tasks of other projects the last computation ignored (see
    # DependencyQuerySet.across_projects).
    ignored_links = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project schedule")
        verbose_name_plural = _("project schedules")

    def __str__(self) -> str:
        return str(self.project)

    @property
    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(
            int(d) for d in self.workdays.split(",") if d.strip().isdigit()
        )


class CalendarDay(models.Model):
    """A project's own exception to its calendar: an extra holiday or an extra workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Non-working day")
        WORKDAY = "workday", _("Working day")

    schedule = models.ForeignKey(
        ProjectSchedule,
        verbose_name=_("project schedule"),
        on_delete=models.CASCADE,
        related_name="calendar_days",
    )
    day = models.DateField(_("date"), validators=[validate_plan_date])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "day"], name="schedule_calendar_day_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"


class Task(VersionedModel):
    """A node of the work breakdown structure: a summary task, a task or a milestone."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", pgettext_lazy("task status", "Done")

    class Constraint(models.TextChoices):
        ASAP = "asap", _("As soon as possible")
        SNET = "snet", _("Start no earlier than")
        FNLT = "fnlt", _("Finish no later than")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", pgettext_lazy("priority", "Critical")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    wbs = models.CharField(_("WBS code"), max_length=64, blank=True, editable=False)
    # Zero-padded WBS ("0001.0002") so the tree sorts in order with one index.
    wbs_sort = models.CharField(
        max_length=200, blank=True, editable=False, db_index=True
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_tasks",
    )
    duration = models.PositiveIntegerField(
        _("duration (working days)"), default=1, validators=[MaxValueValidator(5000)]
    )
    is_milestone = models.BooleanField(_("milestone"), default=False)
    acceptance_criteria = models.TextField(
        _("acceptance criteria"), max_length=10000, blank=True
    )
    # A client project shares its milestones unless marked internal (issue 12: a new
    # project's client timeline was empty).
    is_client_visible = models.BooleanField(_("visible to the client"), default=True)
    buffer_days = models.PositiveIntegerField(
        _("buffer (working days)"), default=0, validators=[MaxValueValidator(365)]
    )
    constraint = models.CharField(
        _("constraint"),
        max_length=8,
        choices=Constraint.choices,
        default=Constraint.ASAP,
    )
    constraint_date = models.DateField(
        _("constraint date"), null=True, blank=True, validators=[validate_plan_date]
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.TODO
    )
    percent_complete = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("% complete"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    actual_start = models.DateField(
        _("actual start"), null=True, blank=True, validators=[validate_plan_date]
    )
    actual_finish = models.DateField(
        _("actual finish"), null=True, blank=True, validators=[validate_plan_date]
    )
    optimistic_days = models.PositiveIntegerField(
        _("optimistic (days)"), null=True, blank=True
    )
    likely_days = models.PositiveIntegerField(
        _("most likely (days)"), null=True, blank=True
    )
    pessimistic_days = models.PositiveIntegerField(
        _("pessimistic (days)"), null=True, blank=True
    )
    # Computed by schedule.services.recompute (rolled up for summary tasks).
    start = models.DateField(_("start"), null=True, blank=True, editable=False)
    finish = models.DateField(_("finish"), null=True, blank=True, editable=False)
    late_start = models.DateField(
        _("late start"), null=True, blank=True, editable=False
    )
    late_finish = models.DateField(
        _("late finish"), null=True, blank=True, editable=False
    )
    total_float = models.IntegerField(
        _("total float"), null=True, blank=True, editable=False
    )
    free_float = models.IntegerField(
        _("free float"), null=True, blank=True, editable=False
    )
    is_critical = models.BooleanField(_("critical"), default=False, editable=False)
    is_summary = models.BooleanField(_("summary task"), default=False, editable=False)

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "wbs_sort",
            "late_start",
            "late_finish",
            "total_float",
            "free_float",
            "is_critical",
        ]
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["wbs_sort", "id"]
        indexes = [
            models.Index(fields=["project", "wbs_sort"]),
            models.Index(fields=["project", "status"]),
            # the next milestone of many projects at once (dashboards, the portal)
            models.Index(fields=["project", "is_milestone", "finish"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_finish__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_finish__gte=F("actual_start")),
                name="schedule_task_actual_finish_after_start",
            ),
            models.CheckConstraint(
                condition=Q(is_milestone=False) | Q(duration=0),
                name="schedule_task_milestone_has_no_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wbs} {self.name}".strip()

    def clean(self) -> None:
        errors = {}
        if (
            self.actual_start
            and self.actual_finish
            and self.actual_finish < self.actual_start
        ):
            errors["actual_finish"] = _("The actual finish is before the actual start.")
        if self.constraint != self.Constraint.ASAP and not self.constraint_date:
            errors["constraint_date"] = _("This constraint needs a date.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("A task cannot be its own parent.")
        if self.parent is not None and self.parent.project_id != self.project_id:
            errors["parent"] = _("The parent task belongs to another project.")
        estimates = (self.optimistic_days, self.likely_days, self.pessimistic_days)
        if any(e is not None for e in estimates):
            if any(e is None for e in estimates):
                errors["pessimistic_days"] = _("Give all three estimates, or none.")
            elif not (estimates[0] <= estimates[1] <= estimates[2]):  # type: ignore[operator]
                errors["pessimistic_days"] = _(
                    "Estimates must satisfy optimistic ≤ most likely ≤ pessimistic."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def has_estimates(self) -> bool:
        return None not in (
            self.optimistic_days,
            self.likely_days,
            self.pessimistic_days,
        )


class Dependency(VersionedModel):
    """A link between two tasks of one project: finish-to-start and the like, with a lag."""

    class Kind(models.TextChoices):
        FS = "FS", _("Finish to start")
        SS = "SS", _("Start to start")
        FF = "FF", _("Finish to finish")
        SF = "SF", _("Start to finish")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="dependencies",
    )
    predecessor = models.ForeignKey(
        Task,
        verbose_name=_("predecessor"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Task,
        verbose_name=_("successor"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    kind = models.CharField(
        _("type"), max_length=2, choices=Kind.choices, default=Kind.FS
    )
    lag = models.IntegerField(
        _("lag (working days)"),
        default=0,
        validators=[MinValueValidator(-1000), MaxValueValidator(1000)],
        help_text=_("Negative for a lead."),
    )

    objects = DependencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="schedule_dependency_once"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="schedule_dependency_not_self",
            ),
        ]
        indexes = [models.Index(fields=["project"])]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.kind}{self.lag:+d})"


class Assignment(VersionedModel):
    """A person working on a task, with the hours planned."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[
            MinValueValidator(Decimal("0")),
            MaxValueValidator(Decimal("100000")),
        ],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"], name="schedule_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["user", "task"])]

    def __str__(self) -> str:
        return f"{self.user} {self.hours}h"


class Baseline(models.Model):
    """A named snapshot of a project's plan, to measure variance against."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="baselines",
    )
    name = models.CharField(_("name"), max_length=100)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="baselines",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    finish = models.DateField(_("finish"), null=True, blank=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="schedule_baseline_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BaselineTask(models.Model):
    """One task's planned dates and work as saved in a baseline."""

    baseline = models.ForeignKey(
        Baseline,
        verbose_name=_("baseline"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="baseline_entries",
    )
    start = models.DateField(_("start"), null=True)
    finish = models.DateField(_("finish"), null=True)
    duration = models.PositiveIntegerField(_("duration (working days)"), default=0)
    hours = models.DecimalField(
        _("hours"), max_digits=10, decimal_places=1, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("baseline task")
        verbose_name_plural = _("baseline tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "task"], name="schedule_baseline_task_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.baseline_id}:{self.task_id}"


class FeedToken(models.Model):
    """The secret in a user's calendar feed URL: for one project, or (no project) for all
    of the user's work. Regenerating replaces the token, which revokes the old URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_tokens",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project"], name="schedule_feed_token_once_per_project"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(project__isnull=True),
                name="schedule_feed_token_once_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.project_id or '*'}"


class PlanChange(models.Model):
    """One edit of a project's plan from the grid or the Gantt, as it was before, kept so
    its author can undo it (``schedule.grid.undo_last``)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="plan_changes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="plan_changes",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    label = models.CharField(_("change"), max_length=300)
    # {"tasks": {id: {field: value}}, "versions": {id: version after the change},
    #  "links": {successor id: [[predecessor id, kind, lag], …]}, "created": [ids]}
    before = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        ordering = ["-id"]
        indexes = [models.Index(fields=["project", "user", "-id"])]

    def __str__(self) -> str:
        return self.label
