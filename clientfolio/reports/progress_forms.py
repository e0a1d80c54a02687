"""Forms of the progress report pages: drafting, the narrative and sections, publishing
and the reporting cadence."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientfolio.reports.models import Period, ReportSchedule
from clientfolio.reports.progress import SECTION_LABELS
from clientfolio.reports.sections import SECTIONS

__all__ = [
    "DraftForm",
    "NarrativeForm",
    "PublishForm",
    "ScheduleForm",
    "TemplateForm",
    "VersionForm",
]


def _text(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=10000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DraftForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=Period.choices, initial=Period.WEEKLY
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NarrativeForm(VersionForm):
    summary = _text(pgettext_lazy("progress report", "Summary"))
    next_steps = _text(_("Next steps"))
    client_notes = _text(_("Notes for the client"))
    internal_notes = _text(
        _("Internal notes"), _("For the team only: never in the client version.")
    )
    client_sections = forms.MultipleChoiceField(
        label=_("Sections the client sees"),
        required=False,
        choices=[(s, SECTION_LABELS[s]) for s in SECTIONS],
        widget=forms.CheckboxSelectMultiple,
    )


class PublishForm(VersionForm):
    recipients: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("E-mail the client version to"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["recipients"]
        field.queryset = contacts  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: f"{c.name} <{c.email}>"  # type: ignore[attr-defined]


class ScheduleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportSchedule
        fields = ["cadence"]


class TemplateForm(forms.Form):
    """The firm's template: per section whether reports have it, its place and whether
    a new draft shows it to the client; the logo."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 1 MB; shown on the report page and the PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, section in enumerate(SECTIONS, start=1):
            self.fields[f"{section}_shown"] = forms.BooleanField(
                label=SECTION_LABELS[section], required=False
            )
            self.fields[f"{section}_order"] = forms.IntegerField(
                label=_("Place"), min_value=1, max_value=99, initial=index
            )
            self.fields[f"{section}_client"] = forms.BooleanField(
                label=_("Client sees it"), required=False
            )

    def rows(self):
        """Per section its three fields, for the template's table."""
        return [
            (
                section,
                SECTION_LABELS[section],
                self[f"{section}_shown"],
                self[f"{section}_order"],
                self[f"{section}_client"],
            )
            for section in SECTIONS
        ]

    def chosen(self) -> tuple[list[str], list[str]]:
        """The sections in their order (ties in the usual order) and the client's."""
        data = self.cleaned_data
        shown = sorted(
            (s for s in SECTIONS if data.get(f"{s}_shown")),
            key=lambda s: (data.get(f"{s}_order") or 99, SECTIONS.index(s)),
        )
        return shown, [s for s in shown if data.get(f"{s}_client")]
