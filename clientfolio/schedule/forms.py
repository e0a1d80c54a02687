"""Forms of the schedule pages: they check the shape of input; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.core.forms import DateInput, VersionedFormMixin
from clientfolio.core.models import User
from clientfolio.projects.models import Project
from clientfolio.schedule.models import (
    Baseline,
    CalendarDay,
    Dependency,
    ProjectSchedule,
    Task,
)

__all__ = [
    "BaselineForm",
    "CalendarDayForm",
    "DependencyForm",
    "ProjectScheduleForm",
    "TaskFilterForm",
    "TaskForm",
    "TaskInlineForm",
    "TaskStatusForm",
]

WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class _TeamOwnerMixin:
    fields: dict

    def limit_owner(self, project: Project) -> None:
        owner = self.fields.get("owner")
        if owner is not None:
            owner.queryset = User.objects.on_team(project).active()
            owner.error_messages["invalid_choice"] = _(
                "Choose a member of the project team."
            )


class TaskInlineForm(_TeamOwnerMixin, VersionedFormMixin, forms.ModelForm):
    """The few fields a row of the task tree edits in place."""

    class Meta:
        model = Task
        fields = ["name", "duration", "owner", "status", "percent_complete"]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_owner(project)
        if self.instance.is_milestone or self.instance.is_summary:
            del self.fields["duration"]
        elif "duration" in self.fields:
            self.fields["duration"].required = False

    def clean_duration(self):
        duration = self.cleaned_data.get("duration")
        return (self.instance.duration or 1) if duration is None else duration

    def clean_name(self):
        name = " ".join(self.cleaned_data.get("name", "").split())
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class TaskForm(TaskInlineForm):
    """Every field of a task, milestones included."""

    class Meta:
        model = Task
        fields = [
            "name",
            "description",
            "owner",
            "duration",
            "is_milestone",
            "acceptance_criteria",
            "is_client_visible",
            "buffer_days",
            "constraint",
            "constraint_date",
            "priority",
            "status",
            "percent_complete",
            "actual_start",
            "actual_finish",
            "optimistic_days",
            "likely_days",
            "pessimistic_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "acceptance_criteria": forms.Textarea(attrs={"rows": 3}),
            "constraint_date": DateInput(),
            "actual_start": DateInput(),
            "actual_finish": DateInput(),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        if self.instance.pk:
            # A task does not become a milestone (or back) once created.
            del self.fields["is_milestone"]

    def clean(self):
        data = super().clean() or {}
        if data.get("is_milestone", self.instance.is_milestone):
            data["duration"] = 0
        return data


class TaskStatusForm(VersionedFormMixin, forms.Form):
    """A status and progress update (board drag, "my tasks")."""

    status = forms.ChoiceField(choices=Task.Status.choices, required=False)
    percent_complete = forms.IntegerField(min_value=0, max_value=100, required=False)


class DependencyForm(forms.ModelForm):
    """A link in or out of one task; the other end is chosen among the project's tasks."""

    class Meta:
        model = Dependency
        fields = ["predecessor", "successor", "kind", "lag"]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        tasks = Task.objects.filter(project=project).order_by("wbs_sort", "id")
        for name in ("predecessor", "successor"):
            self.fields[name].queryset = tasks  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = str  # type: ignore[attr-defined]

    def validate_unique(self):
        # Duplicates and cycles are the service's to refuse, with a message naming the tasks.
        return


class ProjectScheduleForm(VersionedFormMixin, forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Working weekdays"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = ProjectSchedule
        fields = ["use_statutory_holidays", "buffer_days", "status_date"]
        widgets = {"status_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["weekdays"] = [
                str(d) for d in sorted(self.instance.weekday_numbers)
            ]

    def save(self, commit=True):
        self.instance.workdays = ",".join(sorted(self.cleaned_data["weekdays"]))
        return super().save(commit=commit)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "name"]
        widgets = {"day": DateInput()}


class BaselineForm(forms.ModelForm):
    class Meta:
        model = Baseline
        fields = ["name", "note"]

    def validate_unique(self):
        return


class TaskFilterForm(forms.Form):
    """The task tree's filters; invalid values are ignored."""

    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Task.Status.choices], required=False
    )
    owner = forms.IntegerField(required=False)
    critical = forms.BooleanField(required=False)
    milestones = forms.BooleanField(required=False)
    baseline = forms.IntegerField(required=False)
