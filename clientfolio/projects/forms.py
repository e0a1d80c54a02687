"""Forms of projects and teams: they check the shape of input; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.forms import DateInput, split_tags, staff_users
from clientfolio.clients.models import Client
from clientfolio.core.forms import VersionedFormMixin
from clientfolio.core.models import User
from clientfolio.projects.models import Membership, Project

__all__ = ["MembershipForm", "ProjectForm"]


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
        self.fields["manager"].queryset = staff_users()  # type: ignore[attr-defined]
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
                User.objects.filter(is_active=True, role__in=["admin", "staff"])
                .exclude(pk__in=members)
                .order_by("username")
            )
