"""Forms of quality records: they check the shape of input; services do the writing."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Contact
from clientfolio.core.forms import DateInput, VersionedFormMixin
from clientfolio.core.models import User
from clientfolio.projects.models import Project
from clientfolio.quality import rules
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    QualityStandard,
    ReviewItem,
)
from clientfolio.schedule.models import Task

__all__ = [
    "AcceptanceForm",
    "DeliverableForm",
    "ImprovementActionForm",
    "ReviewForm",
    "ReviewItemFormSet",
    "StandardForm",
]

MAX_SIGNED_BYTES = 20 * 1024 * 1024


def milestones(project: Project):
    return Task.objects.filter(project=project, is_milestone=True).order_by("wbs_sort")


def _team_field(field, project: Project) -> None:
    field.queryset = User.objects.on_team(project)
    field.error_messages["invalid_choice"] = _("Choose a member of the project team.")


class StandardForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = QualityStandard
        fields = ["category", "title", "target", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DeliverableForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = [
            "name",
            "milestone",
            "owner",
            "due_on",
            "status",
            "description",
            "acceptance_criteria",
        ]
        widgets = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "acceptance_criteria": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        milestone = self.fields["milestone"]
        milestone.queryset = milestones(project)  # type: ignore[attr-defined]
        milestone.error_messages["invalid_choice"] = _(
            "Choose a milestone of this project's plan."
        )
        _team_field(self.fields["owner"], project)
        current = self.instance.status if self.instance.pk else None
        allowed = (
            {current, *rules.manual_targets(current)}
            if current
            else set(Deliverable.Status.values) - {rules.ACCEPTED}
        )
        status = self.fields["status"]
        status.choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in Deliverable.Status.choices
            if value in allowed
        ]


class ReviewForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = QualityReview
        fields = ["title", "deliverable", "reviewed_on", "reviewer", "summary"]
        widgets = {
            "reviewed_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        deliverable = self.fields["deliverable"]
        deliverable.queryset = Deliverable.objects.filter(project=project)  # type: ignore[attr-defined]
        deliverable.error_messages["invalid_choice"] = _(
            "Choose a deliverable of this project."
        )
        _team_field(self.fields["reviewer"], project)


class ReviewItemForm(forms.ModelForm):
    class Meta:
        model = ReviewItem
        fields = ["criterion", "standard", "result", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        standard = self.fields["standard"]
        standard.queryset = QualityStandard.objects.filter(project=project)  # type: ignore[attr-defined]
        standard.error_messages["invalid_choice"] = _(
            "Choose a standard of this project."
        )
        standard.empty_label = _("No standard")  # type: ignore[attr-defined]
        self.fields["result"].error_messages["invalid_choice"] = _(
            "Choose pass, fail or not applicable."
        )

    def has_changed(self):
        # The default result alone does not make an empty extra row a new item.
        changed = super().has_changed()
        if changed and not self.instance.pk:
            return any(n != "result" for n in self.changed_data)
        return changed


class BaseReviewItemFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "project": self.project}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            project=self.project,
        )
        self.add_fields(form, None)
        return form


ReviewItemFormSet = inlineformset_factory(
    QualityReview,
    ReviewItem,
    form=ReviewItemForm,
    formset=BaseReviewItemFormSet,
    extra=1,
    max_num=100,
    can_delete=True,
)


class AcceptanceForm(forms.Form):
    """The client's decision on a deliverable or a milestone, with the signed document."""

    deliverable = forms.ModelChoiceField(
        label=_("Deliverable"), queryset=Deliverable.objects.none(), required=False
    )
    milestone = forms.ModelChoiceField(
        label=_("Milestone"), queryset=Task.objects.none(), required=False
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Acceptance.Decision.choices,
        widget=forms.RadioSelect,
    )
    contact = forms.ModelChoiceField(
        label=_("Client contact"), queryset=Contact.objects.none()
    )
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection: what must be changed."),
    )
    document = forms.FileField(
        label=_("Signed document"),
        required=False,
        help_text=_("The acceptance form signed by the client (PDF or image)."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        deliverable = self.fields["deliverable"]
        deliverable.queryset = Deliverable.objects.filter(project=project)  # type: ignore[attr-defined]
        deliverable.error_messages["invalid_choice"] = _(
            "Choose a deliverable of this project."
        )
        milestone = self.fields["milestone"]
        milestone.queryset = milestones(project)  # type: ignore[attr-defined]
        milestone.error_messages["invalid_choice"] = _(
            "Choose a milestone of this project's plan."
        )
        contact = self.fields["contact"]
        contact.queryset = Contact.objects.filter(client_id=project.client_id)  # type: ignore[attr-defined]
        contact.error_messages["invalid_choice"] = _(
            "Choose a contact of %(client)s: only the project's client can accept or "
            "reject its work."
        ) % {"client": project.client.name}

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is not None and upload.size > MAX_SIGNED_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": MAX_SIGNED_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self):
        data = super().clean() or {}
        if not data.get("deliverable") and not data.get("milestone"):
            if "deliverable" not in self.errors and "milestone" not in self.errors:
                self.add_error("deliverable", _("Choose a deliverable or a milestone."))
        if (
            data.get("decision") == Acceptance.Decision.REJECTED
            and not (data.get("comments") or "").strip()
        ):
            self.add_error(
                "comments",
                _("Say why the client rejected it: comments are required."),
            )
        return data


class ImprovementActionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = [
            "problem",
            "review",
            "owner",
            "planned_on",
            "status",
            "completed_on",
            "cause",
            "action",
            "evaluation",
        ]
        widgets = {
            "planned_on": DateInput(),
            "completed_on": DateInput(),
            "cause": forms.Textarea(attrs={"rows": 3}),
            "action": forms.Textarea(attrs={"rows": 3}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        review = self.fields["review"]
        review.queryset = QualityReview.objects.filter(project=project)  # type: ignore[attr-defined]
        review.error_messages["invalid_choice"] = _("Choose a review of this project.")
        _team_field(self.fields["owner"], project)

    def clean(self):
        data = super().clean() or {}
        if rules.action_problem(data.get("status") or "", data.get("evaluation") or ""):
            self.add_error(
                "evaluation",
                _("Evaluate the effect of the action before finishing it."),
            )
        return data
