"""The form of the page that applies an approved change to the plan and the budget: it
checks the shape of the input; ``finance.change_impact`` decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.core.forms import VersionedFormMixin
from clientfolio.finance.change_impact import BASELINE_NAME_LENGTH, ImpactPlan
from clientfolio.finance.models import CostCategory

__all__ = ["ChangeApplyForm"]


class ChangeApplyForm(VersionedFormMixin, forms.Form):
    """The tasks to move (the plan's movable tasks; its default ones ticked), whether
    to add the cost to the budget and under which category, and the baseline's name."""

    task_ids = forms.TypedMultipleChoiceField(
        label=_("Tasks to move"), coerce=int, required=False
    )
    add_budget = forms.BooleanField(
        label=_("Add the cost to the budget"), required=False
    )
    budget_category = forms.ChoiceField(
        label=_("Budget category"), choices=CostCategory.choices, required=False
    )
    baseline_name = forms.CharField(
        label=_("Name of the new baseline"),
        max_length=BASELINE_NAME_LENGTH,
        required=False,
        help_text=_("Saved after the tasks have moved."),
    )

    def __init__(self, *args, plan: ImpactPlan, **kwargs):
        super().__init__(*args, **kwargs)
        tasks = self.fields["task_ids"]
        tasks.choices = [(s.task_id, f"{s.wbs} {s.name}") for s in plan.shifts]  # type: ignore[attr-defined]
        tasks.error_messages["invalid_choice"] = _("Choose tasks of this project.")
        if not plan.can_add_budget:
            self.fields["add_budget"].disabled = True
        self.initial.update(
            task_ids=plan.default_task_ids,
            add_budget=plan.can_add_budget,
            budget_category=CostCategory.LABOR,
            baseline_name=plan.baseline_name,
            version=plan.change_request.version,
        )

    def chosen_task_ids(self) -> set[int]:
        """The ticked tasks: as sent when bound (ids that are not numbers left out),
        else the plan's default ones."""
        if not self.is_bound:
            return set(self.initial["task_ids"])
        return {
            int(value)
            for value in self.data.getlist(self.add_prefix("task_ids"))  # type: ignore[attr-defined]
            if str(value).isdigit()
        }
