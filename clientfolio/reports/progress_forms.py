"""Forms of the progress report pages: drafting, the narrative and sections, publishing
and the reporting cadence."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientfolio.reports.models import Period, ReportSchedule
from clientfolio.reports.progress import SECTION_LABELS
from clientfolio.reports.sections import SECTIONS

__all__ = ["DraftForm", "NarrativeForm", "PublishForm", "ScheduleForm", "VersionForm"]


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
