"""Forms of the risk pages: they check the shape of input; services do the writing."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clientfolio.core.forms import DateInput, VersionedFormMixin
from clientfolio.core.models import User
from clientfolio.projects.models import Project
from clientfolio.risks.models import Issue, Level, Risk, RiskSettings
from clientfolio.schedule.models import Task

__all__ = [
    "IssueForm",
    "ReassessForm",
    "RiskFilterForm",
    "RiskForm",
    "ThresholdsForm",
]

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]
RATING_ERRORS = {
    "invalid_choice": _("Choose a rating from 1 to 5."),
    "invalid": _("Choose a rating from 1 to 5."),
    "required": _("Choose a rating from 1 to 5."),
}


def rating_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        error_messages=RATING_ERRORS,
    )


class _ProjectFormMixin:
    fields: dict

    def limit_to(self, project: Project) -> None:
        owner = self.fields.get("owner")
        if owner is not None:
            owner.queryset = User.objects.on_team(project).active()
            owner.error_messages["invalid_choice"] = _(
                "The owner must be on the project team."
            )
        tasks = self.fields.get("tasks")
        if tasks is not None:
            tasks.queryset = Task.objects.filter(project=project).order_by("wbs_sort")
            tasks.error_messages["invalid_choice"] = _(
                "Linked tasks must belong to this project."
            )
            tasks.error_messages["invalid_pk_value"] = _(
                "Linked tasks must belong to this project."
            )


class RiskForm(_ProjectFormMixin, VersionedFormMixin, forms.ModelForm):
    """Every field of a risk; a changed rating becomes a new assessment."""

    probability = rating_field(_("probability"))
    impact = rating_field(_("impact"))
    note = forms.CharField(
        label=_("assessment note"),
        max_length=1000,
        required=False,
        help_text=_("Why the rating is what it is; kept with the assessment."),
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "probability",
            "impact",
            "status",
            "owner",
            "strategy",
            "review_on",
            "description",
            "trigger",
            "response_plan",
            "contingency_plan",
            "tasks",
        ]
        widgets = {
            "review_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "response_plan": forms.Textarea(attrs={"rows": 3}),
            "contingency_plan": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, project: Project, user: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to(project)
        if self.instance.pk and user is not None:
            # A task of another project that is linked already and that the user may
            # see is offered too, so saving the form keeps it unless it is unselected.
            # Links the user cannot see are not offered; the service keeps them.
            linked = self.instance.tasks.visible_to(user).exclude(project=project)
            self.fields["tasks"].queryset = Task.objects.filter(  # type: ignore[attr-defined]
                Q(project=project) | Q(pk__in=linked.values("pk"))
            ).order_by("wbs_sort")

    def clean_title(self):
        title = " ".join(self.cleaned_data.get("title", "").split())
        if not title:
            raise forms.ValidationError(_("Give the risk a title."))
        return title


class ReassessForm(VersionedFormMixin, forms.Form):
    """A new rating of a risk, with a note."""

    probability = rating_field(_("probability"))
    impact = rating_field(_("impact"))
    note = forms.CharField(label=_("note"), max_length=1000, required=False)


class IssueForm(_ProjectFormMixin, VersionedFormMixin, forms.ModelForm):
    """Every field of an issue log entry."""

    class Meta:
        model = Issue
        fields = [
            "title",
            "severity",
            "status",
            "owner",
            "due_on",
            "source_risk",
            "description",
            "root_cause",
            "resolution",
        ]
        widgets = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to(project)
        risk = self.fields["source_risk"]
        risk.queryset = Risk.objects.filter(project=project).order_by("title")
        risk.error_messages["invalid_choice"] = _(
            "The source risk must belong to this project."
        )

    def clean_title(self):
        title = " ".join(self.cleaned_data.get("title", "").split())
        if not title:
            raise forms.ValidationError(_("Give the issue a title."))
        return title


class ThresholdsForm(VersionedFormMixin, forms.ModelForm):
    """The project's level thresholds."""

    class Meta:
        model = RiskSettings
        fields = ["low_max", "medium_max", "high_max"]


class RiskFilterForm(forms.Form):
    """The filters of a risk register (all optional)."""

    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("Open risks")), ("all", _("All risks")), *Risk.Status.choices],
    )
    level = forms.ChoiceField(
        label=_("level"),
        required=False,
        choices=[("", _("All levels")), *Level.choices],
    )
    category = forms.ChoiceField(
        label=_("category"),
        required=False,
        choices=[("", _("All categories")), *Risk.Category.choices],
    )
    probability = forms.TypedChoiceField(
        required=False, choices=RATING_CHOICES, coerce=int, empty_value=None
    )
    impact = forms.TypedChoiceField(
        required=False, choices=RATING_CHOICES, coerce=int, empty_value=None
    )
