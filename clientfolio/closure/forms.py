"""Forms of the closure pages: close, reopen, lesson, handover, evaluation, search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.closure.models import Evaluation, Handover, Lesson
from clientfolio.closure.services import DEFAULT_FOLLOW_UP_DAYS, SATISFACTION_MESSAGE

__all__ = [
    "CloseForm",
    "EvaluationForm",
    "HandoverForm",
    "LessonForm",
    "LessonSearchForm",
    "ReopenForm",
]


class CloseForm(forms.Form):
    override = forms.BooleanField(
        label=_("Close anyway, although checklist items are unmet"), required=False
    )
    reason = forms.CharField(
        label=_("Reason for closing with unmet items"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_days = forms.IntegerField(
        label=_("Follow-up visit (days after closing)"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_FOLLOW_UP_DAYS,
        help_text=_("A follow-up visit is planned in the client library."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LessonForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separate tags with commas."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Lesson
        fields = ["kind", "title", "text", "recorded_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "recorded_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tags"].initial = ", ".join(
                t.name for t in self.instance.tags.all()
            )
            self.fields["version"].initial = self.instance.version
        self.fields["recorded_on"].required = False

    def tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "").replace("，", ",")
        return [part.strip() for part in raw.split(",") if part.strip()]


class HandoverForm(forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Handover
        fields = [
            "handed_over_on",
            "recipients",
            "documents",
            "deliverables",
            "training",
            "notes",
        ]
        widgets = {
            "handed_over_on": forms.DateInput(attrs={"type": "date"}),
            "training": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.CheckboxSelectMultiple,
            "documents": forms.CheckboxSelectMultiple,
            "deliverables": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from clientfolio.clients.models import Contact
        from clientfolio.documents.models import Document

        # Any contact is accepted here so that the service can refuse another
        # client's contact with its own message; the choices offer only the client's.
        self.fields["recipients"].queryset = Contact.objects.all()  # type: ignore[attr-defined]
        self.recipient_choices = Contact.objects.filter(client_id=project.client_id)
        self.fields["documents"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            project=project, deleted_at__isnull=True
        ).order_by("title", "id")
        from clientfolio.quality.models import Deliverable

        self.fields["deliverables"].queryset = Deliverable.objects.filter(  # type: ignore[attr-defined]
            project=project
        ).order_by("name", "id")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class EvaluationForm(forms.ModelForm):
    satisfaction = forms.IntegerField(
        label=_("Client satisfaction (1–5)"),
        required=False,
        help_text=_("1 very unhappy … 5 very happy."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Evaluation
        fields = ["satisfaction", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_satisfaction(self):
        value = self.cleaned_data.get("satisfaction")
        if value is not None and not 1 <= value <= 5:
            raise forms.ValidationError(str(SATISFACTION_MESSAGE))
        return value


class LessonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Lesson.Kind.choices],
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=40)
    client = forms.IntegerField(label=_("Client"), required=False, min_value=1)
