"""The forms a client contact fills in the portal: an answer to the minutes, an action
item done, feedback or a new requirement, a message to the project team."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Feedback
from clientfolio.core.forms import DateInput, MultipleFileField
from clientfolio.core.validators import validate_plan_date

__all__ = [
    "REQUIREMENT",
    "ActionDoneForm",
    "FeedbackForm",
    "MessageForm",
    "ReplyForm",
    "RespondForm",
]

# The kind of the feedback form that lands among the client's requirements.
REQUIREMENT = "requirement"


class RespondForm(forms.Form):
    """Confirm the minutes, or dispute them saying what is wrong."""

    state = forms.ChoiceField(
        choices=[
            ("confirmed", _("Confirm")),
            ("disputed", _("Dispute")),
        ],
        error_messages={
            "required": _("Choose to confirm or to dispute."),
            "invalid_choice": _("Choose to confirm or to dispute."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you dispute: say what should be corrected."),
    )


class ActionDoneForm(forms.Form):
    """Mark one's own action item done; ``version`` is the one the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FeedbackForm(forms.Form):
    """Praise, a suggestion, a complaint (with its severity) or a new requirement."""

    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"),
        choices=[
            (Feedback.Kind.PRAISE, _("Praise")),
            (Feedback.Kind.SUGGESTION, _("Suggestion")),
            (Feedback.Kind.COMPLAINT, _("Complaint")),
            (REQUIREMENT, _("A new requirement")),
        ],
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    detail = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    severity = forms.ChoiceField(
        label=_("How serious is it?"),
        choices=Feedback.Severity.choices,
        initial=Feedback.Severity.MEDIUM,
        required=False,
        help_text=_("For a complaint."),
    )
    wanted_by = forms.DateField(
        label=_("Needed by"),
        required=False,
        widget=DateInput(),
        validators=[validate_plan_date],
        help_text=_("For a new requirement, if there is a date."),
    )
    project = forms.TypedChoiceField(
        label=_("Project"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Which project it is about, if any. Needed for attachments."),
    )
    attachment_files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(project.pk, project.name) for project in projects],
        ]

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == Feedback.Kind.COMPLAINT and not data.get("severity"):
            self.add_error("severity", _("Say how serious the complaint is."))
        if data.get("attachment_files") and not data.get("project"):
            self.add_error(
                "project", _("Choose the project the attachments belong to.")
            )
        return data


class MessageForm(forms.Form):
    """A new message to the project team: a subject, the text and files."""

    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachment_files = MultipleFileField(label=_("Attachments"), required=False)


class ReplyForm(forms.Form):
    """An answer in a thread."""

    body = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment_files = MultipleFileField(label=_("Attachments"), required=False)
