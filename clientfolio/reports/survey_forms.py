"""Forms of the satisfaction surveys: sending one, the project's settings, answering."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.reports.survey_models import SCORE_FIELDS, Survey, SurveySettings
from clientfolio.reports.surveys import DIMENSION_LABELS

__all__ = ["AnswerForm", "SendSurveyForm", "SurveySettingsForm"]


class SendSurveyForm(forms.Form):
    """The manager sends a survey to every contact of the project's client."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the usual title."),
    )
    occasion = forms.ChoiceField(
        label=_("Occasion"), choices=Survey.Occasion.choices, initial="manual"
    )


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = SurveySettings
        fields = ["on_milestone_acceptance", "on_closure", "reminder_days"]
        widgets = {"reminder_days": forms.NumberInput(attrs={"min": 1, "max": 60})}

    def clean_reminder_days(self):
        value = self.cleaned_data["reminder_days"]
        if value is None or not 1 <= value <= 60:
            raise forms.ValidationError(_("Remind after 1 to 60 days."))
        return value


_CSAT = [(str(n), str(n)) for n in range(1, 6)]
_NPS = [(str(n), str(n)) for n in range(11)]


class AnswerForm(forms.Form):
    """The contact's answer; the service checks the ranges again."""

    comment = forms.CharField(
        label=_("Anything you want to tell us?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SCORE_FIELDS:
            self.fields[name] = forms.TypedChoiceField(
                label=DIMENSION_LABELS[name],
                choices=_CSAT,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _(
                        "Choose a score from 1 (very unhappy) to 5 (very happy)."
                    ),
                    "invalid_choice": _(
                        "Choose a score from 1 (very unhappy) to 5 (very happy)."
                    ),
                },
            )
        self.fields["nps"] = forms.TypedChoiceField(
            label=_("How likely are you to recommend us to a colleague? (0–10)"),
            choices=_NPS,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose a score from 0 to 10."),
                "invalid_choice": _("Choose a score from 0 to 10."),
            },
        )
        self.order_fields([*SCORE_FIELDS, "nps", "comment"])

    def score_fields(self):
        return [self[name] for name in SCORE_FIELDS]
