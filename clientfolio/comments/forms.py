"""The comment box and the edit box: shape of the input only; comments.services decides
the rest (mentions, the edit window, attachments). The templates draw the boxes
themselves (mention suggestions, hints), so the widgets carry no attributes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.comments.models import MAX_BODY
from clientfolio.core.forms import MultipleFileField

__all__ = ["CommentEditForm", "CommentForm"]

BODY_ERRORS = {
    "required": _("Write a comment first."),
    "max_length": _("A comment can have at most %(limit_value)d characters."),
}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_BODY,
        widget=forms.Textarea,
        error_messages=BODY_ERRORS,
    )
    attachment_files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("Each file is kept as a document of the project."),
    )


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_BODY,
        widget=forms.Textarea,
        error_messages=BODY_ERRORS,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
