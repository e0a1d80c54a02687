"""Forms of projects and teams: they check the shape of input; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Client, Contact, Currency
from clientfolio.clients.models import Requirement as ClientNeed
from clientfolio.core.forms import DateInput, VersionedFormMixin, split_tags
from clientfolio.core.models import User
from clientfolio.core.validators import validate_plan_date
from clientfolio.projects.models import (
    ChangeRequest,
    Membership,
    Priority,
    Project,
    ProjectRequirement,
)

__all__ = [
    "ChangeRequestForm",
    "ChangeTransitionForm",
    "MembershipForm",
    "ProjectForm",
    "RequirementForm",
    "RequirementMoveForm",
]


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )
    change_comment = forms.CharField(
        label=_("Comment on the status or phase change"), required=False, max_length=500
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "client",
            "manager",
            "priority",
            "status",
            "phase",
            "starts_on",
            "planned_finish_on",
            "actual_finish_on",
            "goals",
            "scope_in",
            "scope_out",
            "outcomes",
        ]
        widgets = {
            "starts_on": DateInput(),
            "planned_finish_on": DateInput(),
            "actual_finish_on": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "scope_in": forms.Textarea(attrs={"rows": 3}),
            "scope_out": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = User.objects.internal().active()  # type: ignore[attr-defined]
        self.fields["client"].queryset = Client.objects.current().order_by(  # type: ignore[attr-defined]
            "name_sort"
        )
        self.fields["code"].required = False
        self.fields["code"].help_text = _(
            "Leave empty to generate one, like P2026-001."
        )
        if self.instance.pk:
            self.fields["client"].disabled = True
            if not self.is_bound:
                self.initial["tags_text"] = ", ".join(
                    t.name for t in self.instance.tags.all()
                )
        else:
            del self.fields["change_comment"]

    def clean_code(self):
        code = self.cleaned_data.get("code", "").strip().upper()
        if code and not all(ch.isalnum() or ch in "-_." for ch in code):
            raise forms.ValidationError(
                _("Use letters, digits, dashes, dots and underscores.")
            )
        return code

    def clean_tags_text(self):
        tags = split_tags(self.cleaned_data.get("tags_text", ""))
        if any(len(t) > 40 for t in tags):
            raise forms.ValidationError(_("A tag can have at most 40 characters."))
        return tags


class MembershipForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "role", "responsibilities"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if self.instance.pk:
            self.fields["user"].disabled = True
        else:
            members = project.memberships.values("user_id")
            self.fields["user"].queryset = (  # type: ignore[attr-defined]
                User.objects.internal()
                .active()
                .exclude(pk__in=members)
                .order_by("username")
            )


class _ClientContactChoice(forms.ModelChoiceField):
    """A contact of the project's client; contacts of other clients are not valid choices."""

    def __init__(self, project: Project, **kwargs):
        kwargs.setdefault("empty_label", _("— choose a contact —"))
        super().__init__(
            queryset=Contact.objects.filter(client_id=project.client_id).order_by(
                "-is_primary", "name", "id"
            ),
            **kwargs,
        )


class RequirementForm(VersionedFormMixin, forms.ModelForm):
    """A project requirement, new or taken from one of the client's needs."""

    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("As the client's need (or medium)")), *Priority.choices],
        required=False,
    )

    class Meta:
        model = ProjectRequirement
        fields = ["source", "title", "description", "priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["title"].required = False
        if self.instance.pk:
            del self.fields["source"]
            self.fields["priority"].choices = Priority.choices  # type: ignore[attr-defined]
            self.fields["priority"].required = True
            self.fields["title"].required = True
        else:
            source = self.fields["source"]
            source.queryset = ClientNeed.objects.filter(  # type: ignore[attr-defined]
                client_id=project.client_id
            ).order_by("status", "title", "id")
            source.empty_label = _("— a new requirement —")  # type: ignore[attr-defined]
            source.help_text = _(
                "Take title, description and priority from one of the client's needs."
            )
            self.fields["title"].help_text = _(
                "Leave empty to use the title of the client's need."
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.instance.pk and not data.get("source") and not data.get("title"):
            self.add_error(
                "title", _("Give the requirement a title or choose a client need.")
            )
        return data


class RequirementMoveForm(VersionedFormMixin, forms.Form):
    """A requirement's next status; confirming names the client contact and the date."""

    to_status = forms.ChoiceField(
        label=_("New status"), choices=ProjectRequirement.Status.choices
    )
    confirmed_by = forms.ModelChoiceField(
        label=_("Confirmed by (client)"),
        queryset=Contact.objects.none(),
        required=False,
    )
    confirmed_on = forms.DateField(
        label=_("Confirmed on"),
        required=False,
        widget=DateInput(),
        validators=[validate_plan_date],
    )

    def __init__(self, *args, requirement: ProjectRequirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.fields["confirmed_by"] = _ClientContactChoice(
            requirement.project, label=_("Confirmed by (client)"), required=False
        )
        if not self.is_bound:
            self.initial.setdefault("version", requirement.version)


class ChangeRequestForm(VersionedFormMixin, forms.ModelForm):
    """A change request's content and impact assessment; status moves separately."""

    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    comment = forms.CharField(
        label=_("Comment on the submission"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "title",
            "requested_by_contact",
            "requested_by_user",
            "requested_on",
            "description",
            "reason",
            "scope_impact",
            "schedule_impact_days",
            "cost_impact",
            "currency",
            "risk_notes",
        ]
        widgets = {
            "requested_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "scope_impact": forms.Textarea(attrs={"rows": 3}),
            "risk_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["requested_by_contact"] = _ClientContactChoice(
            project,
            label=_("Requested by (client)"),
            required=False,
            empty_label=_("— not a client contact —"),
        )
        requester = self.fields["requested_by_user"]
        requester.queryset = User.objects.internal().active()  # type: ignore[attr-defined]
        if not self.instance.pk:
            requester.empty_label = _("— me —")  # type: ignore[attr-defined]
        self.fields["requested_by_user"].help_text = _(
            "Name a client contact or a staff member; empty means you."
        )
        self.fields["schedule_impact_days"].help_text = _(
            "Calendar days; negative when the change shortens the schedule."
        )
        self.fields["cost_impact"].help_text = _(
            "Negative when the change saves money."
        )
        if self.instance.pk:
            del self.fields["comment"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("requested_by_contact") and data.get("requested_by_user"):
            self.add_error(
                "requested_by_user",
                _(
                    "A change is requested either by a client contact or by staff, not both."
                ),
            )
        return data


class ChangeTransitionForm(VersionedFormMixin, forms.Form):
    """The next step of a change request: the status, a comment and, when the client
    decides, who decided and when. Which steps are allowed is the service's business."""

    to_status = forms.ChoiceField(
        label=_("New status"), choices=ChangeRequest.Status.choices
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_by = forms.ModelChoiceField(
        label=_("Decided by (client)"), queryset=Contact.objects.none(), required=False
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=DateInput(),
        validators=[validate_plan_date],
    )

    def __init__(self, *args, change_request: ChangeRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.change_request = change_request
        self.fields["decided_by"] = _ClientContactChoice(
            change_request.project, label=_("Decided by (client)"), required=False
        )
        if not self.is_bound:
            self.initial.setdefault("version", change_request.version)
