"""Forms of the cost pages: they check the shape of input; finance.services writes."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from clientfolio.core.forms import DateInput, VersionedFormMixin
from clientfolio.core.models import User
from clientfolio.core.validators import validate_plan_date
from clientfolio.finance.models import (
    BudgetLine,
    CostCategory,
    ExchangeRate,
    Expense,
    Rate,
    TimeEntry,
)
from clientfolio.projects.models import Project
from clientfolio.schedule.models import Task

__all__ = [
    "BudgetLineForm",
    "DecisionForm",
    "ExchangeRateForm",
    "ExpenseFilterForm",
    "ExpenseForm",
    "RateForm",
    "RepriceForm",
    "TimeEntryForm",
    "TimeFilterForm",
]


def _tasks(project: Project):
    return Task.objects.filter(project=project).order_by("wbs_sort", "id")


class _ServiceChecksMixin:
    """Model validation without the database constraints: cross-row and cross-field
    rules (overlapping rates, hours in a day) are the services' to refuse, with their
    own messages. ``service_fields`` are left to the services entirely."""

    service_fields: tuple[str, ...] = ()
    instance: Any

    def _post_clean(self):
        opts = self._meta  # type: ignore[attr-defined]
        exclude = self._get_validation_exclusions() | set(self.service_fields)  # type: ignore[attr-defined]
        try:
            self.instance = construct_instance(
                self,  # type: ignore[arg-type]
                self.instance,
                opts.fields,
                opts.exclude,
            )
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]
        try:
            self.instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


class _ProjectTaskMixin(_ServiceChecksMixin):
    fields: dict

    def limit_task(self, project: Project) -> None:
        task = self.fields.get("task")
        if task is not None:
            task.queryset = _tasks(project)
            task.label_from_instance = lambda t: f"{t.wbs} {t.name}".strip()
            task.error_messages["invalid_choice"] = _("Choose a task of this project.")


class BudgetLineForm(_ProjectTaskMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "task", "description", "amount", "currency", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_task(project)


class ExpenseForm(_ProjectTaskMixin, VersionedFormMixin, forms.ModelForm):
    receipt_file = forms.FileField(label=_("Receipt"), required=False)

    class Meta:
        model = Expense
        fields = [
            "spent_on",
            "category",
            "description",
            "amount",
            "currency",
            "vendor",
            "task",
        ]
        widgets = {"spent_on": DateInput()}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_task(project)


class DecisionForm(VersionedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "approve"), ("reject", "reject"), ("resubmit", "resubmit")]
    )
    decision_note = forms.CharField(
        label=_("Decision note"), max_length=500, required=False
    )


class ExpenseFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Any status"))] + list(Expense.Status.choices), required=False
    )
    category = forms.ChoiceField(
        choices=[("", _("Any category"))] + list(CostCategory.choices), required=False
    )
    person = forms.IntegerField(required=False)


class TimeEntryForm(_ProjectTaskMixin, VersionedFormMixin, forms.ModelForm):
    service_fields = ("hours",)

    class Meta:
        model = TimeEntry
        fields = ["user", "worked_on", "task", "hours", "billable", "note"]
        widgets = {
            "worked_on": DateInput(),
            "hours": forms.NumberInput(attrs={"step": "0.25", "min": "0.25"}),
        }

    def __init__(self, *args, project: Project, choose_person: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_task(project)
        if choose_person:
            self.fields["user"].queryset = User.objects.on_team(project).active()
            self.fields["user"].error_messages["invalid_choice"] = _(
                "Choose a member of the project team."
            )
        else:
            del self.fields["user"]


class TimeFilterForm(forms.Form):
    person = forms.IntegerField(required=False)
    task = forms.IntegerField(required=False)
    wbs = forms.CharField(required=False, max_length=64)
    billable = forms.ChoiceField(
        choices=[("", ""), ("1", "1"), ("0", "0")], required=False
    )
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)


class RateForm(_ServiceChecksMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Rate
        fields = [
            "user",
            "role",
            "cost_rate",
            "bill_rate",
            "currency",
            "valid_from",
            "valid_until",
        ]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, project: Project | None, **kwargs):
        super().__init__(*args, **kwargs)
        users = (
            User.objects.on_team(project).active()
            if project is not None
            else User.objects.internal().active()
        )
        self.fields["user"].queryset = users.order_by(  # type: ignore[attr-defined]
            "first_name", "username"
        )
        self.fields["user"].required = False
        self.fields["role"].required = False
        self.fields["user"].help_text = _("A person, or leave empty and choose a role.")


class RepriceForm(forms.Form):
    since = forms.DateField(
        label=_("Price again from"), required=False, validators=[validate_plan_date]
    )


class ExchangeRateForm(_ServiceChecksMixin, forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["from_currency", "to_currency", "rate", "valid_from"]
        widgets = {"valid_from": DateInput()}
