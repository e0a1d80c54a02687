"""Forms of the template pages: they check the shape of input; services do the writing."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientfolio.blueprints.models import ProjectTemplate
from clientfolio.blueprints.services import calendar_choices
from clientfolio.clients.models import Client
from clientfolio.core.forms import DateInput, VersionedFormMixin
from clientfolio.core.models import User
from clientfolio.core.permissions import scope
from clientfolio.core.validators import validate_plan_date

__all__ = [
    "SaveAsTemplateForm",
    "StartProjectForm",
    "TemplateForm",
    "TemplateImportForm",
]

LANGUAGE_CHOICES = [("zh", _("Chinese")), ("en", _("English"))]


class TemplateForm(VersionedFormMixin, forms.ModelForm):
    """A template's basics: its names and descriptions in both languages."""

    class Meta:
        model = ProjectTemplate
        fields = ["name_zh", "name_en", "description_zh", "description_en"]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean() or {}
        if (
            not (cleaned.get("name_zh") or "").strip()
            and not (cleaned.get("name_en") or "").strip()
        ):
            self.add_error(
                "name_zh", _("Give the template a name in at least one language.")
            )
        return cleaned


class StartProjectForm(forms.Form):
    """Start a project from a template: which template, for whom, when and on what calendar."""

    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ProjectTemplate.objects.none()
    )
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    name = forms.CharField(label=_("Project name"), max_length=200)
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to generate one, like P2026-001."),
    )
    manager = forms.ModelChoiceField(
        label=_("Project manager"), queryset=User.objects.none()
    )
    starts_on = forms.DateField(
        label=_("Start date"), widget=DateInput(), validators=[validate_plan_date]
    )
    calendar = forms.ChoiceField(label=_("Working calendar"))
    language = forms.ChoiceField(
        label=_("Language of the plan"),
        choices=LANGUAGE_CHOICES,
        help_text=_("Task names, folders and risks are created in this language."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = scope(  # type: ignore[attr-defined]
            user, ProjectTemplate.objects.all()
        )
        self.fields["template"].label_from_instance = lambda t: t.label  # type: ignore[attr-defined]
        # Choosing another template refreshes its summary beside the form.
        self.fields["template"].widget.attrs.update(
            {
                "hx-get": reverse("blueprints:project_start"),
                "hx-target": "#template-summary",
                "hx-select": "#template-summary",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["client"].queryset = scope(  # type: ignore[attr-defined]
            user, Client.objects.current().order_by("name_sort")
        )
        self.fields["manager"].queryset = User.objects.internal().active()  # type: ignore[attr-defined]
        self.fields["calendar"].choices = calendar_choices()  # type: ignore[attr-defined]
        self.fields["client"].error_messages["required"] = _(
            "Choose the client the project is for."
        )


class SaveAsTemplateForm(forms.Form):
    """Save a project's shape as a new template, or as a new version of one."""

    name = forms.CharField(label=_("Template name"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    template = forms.ModelChoiceField(
        label=_("Or save as a new version of"),
        queryset=ProjectTemplate.objects.none(),
        required=False,
        empty_label=_("— a new template —"),
        help_text=_("Projects already started from it keep what they were given."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from clientfolio.core.permissions import Action

        self.fields["template"].queryset = scope(  # type: ignore[attr-defined]
            user,
            ProjectTemplate.objects.filter(builtin_key__isnull=True),
            Action.CHANGE,
        )
        self.fields["template"].label_from_instance = lambda t: t.label  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean() or {}
        if not cleaned.get("template") and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Give the new template a name."))
        return cleaned


class TemplateImportForm(forms.Form):
    """A template document (as downloaded from a template's page) to add as a template."""

    file = forms.FileField(
        label=_("Template file (JSON)"),
        help_text=_("A file downloaded from a template's page, up to 2 MB."),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        import json

        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            document = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as error:
            raise forms.ValidationError(
                _("The file is not a JSON document.")
            ) from error
        if not isinstance(document, dict):
            raise forms.ValidationError(_("The file is not a template document."))
        return document
