"""Forms of the import pages: they check the shape of input; services do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Client

__all__ = ["NewProjectForm", "UploadForm"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_(
            "Microsoft Project XML (.xml; in Project: File → Save As → XML format), "
            "an Excel plan (.xlsx or .csv) in the layout of the plan export, a Trello "
            "board exported as JSON, or a Jira or Asana CSV export."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.xlsx,.json,.csv"}),
    )


class NewProjectForm(forms.Form):
    """The project a "new project from a file" import creates."""

    name = forms.CharField(label=_("Project name"), max_length=200)
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to generate one, like P2026-001."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.current().order_by(  # type: ignore[attr-defined]
            "name_sort"
        )

    def clean_code(self):
        code = self.cleaned_data.get("code", "").strip().upper()
        if code and not all(ch.isalnum() or ch in "-_." for ch in code):
            raise forms.ValidationError(
                _("Use letters, digits, dashes, dots and underscores.")
            )
        return code
