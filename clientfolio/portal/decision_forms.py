"""The forms of the client's decisions in the portal: a change request's approval or
rejection, and a deliverable's or milestone's acceptance with the signed file. They
check the shape of the input; ``portal.decisions`` checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.portal.decisions import CHANGE_DECISIONS
from clientfolio.projects.models import ChangeRequest
from clientfolio.quality.models import Acceptance

__all__ = ["AcceptanceDecisionForm", "ChangeDecisionForm"]

REASON_REQUIRED = _("Please say why you reject it: a comment is required.")

# A signed acceptance form is a scan or a PDF of a page or two.
MAX_SIGNED_BYTES = 20 * 1024 * 1024


class _DecisionForm(forms.Form):
    """A decision, the comment that goes with it (required to reject), and the version
    of the record the contact read."""

    rejected = ""
    comment_field = ""
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean() or {}
        comment = (data.get(self.comment_field) or "").strip()
        if data.get("decision") == self.rejected and not comment:
            self.add_error(self.comment_field, REASON_REQUIRED)
        return data


class ChangeDecisionForm(_DecisionForm):
    """Approve or reject a change request awaiting the client."""

    rejected = ChangeRequest.Status.REJECTED
    comment_field = "comment"
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (status, ChangeRequest.Status(status).label) for status in CHANGE_DECISIONS
        ],
        error_messages={"required": _("Choose to approve or to reject.")},
    )
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: tell the team why."),
    )


class AcceptanceDecisionForm(_DecisionForm):
    """Accept or reject a deliverable or a milestone, with an optional signed file."""

    rejected = Acceptance.Decision.REJECTED
    comment_field = "comments"
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=Acceptance.Decision.choices,
        error_messages={"required": _("Choose to accept or to reject.")},
    )
    comments = forms.CharField(
        label=_("Your comments"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: tell the team what must be changed."),
    )
    file = forms.FileField(
        label=_("Signed acceptance form (optional)"),
        required=False,
        help_text=_("A PDF or an image of the signed form."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_SIGNED_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": max(1, MAX_SIGNED_BYTES // (1024 * 1024))}
            )
        return upload
