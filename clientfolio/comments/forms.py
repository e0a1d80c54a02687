"""The comment box and the edit box: shape of the input only; comments.services decides
the rest (mentions, the edit window, attachments)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.comments.models import MAX_BODY

__all__ = ["CommentEditForm", "CommentForm"]

BODY_ERRORS = {
    "required": _("Write a comment first."),
    "max_length": _("A comment can have at most %(limit_value)d characters."),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or many files; the value is a list (the documents service checks them)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _body_widget(**attrs) -> forms.Textarea:
    return forms.Textarea(
        attrs={
            "rows": 3,
            "class": "form-control",
            "placeholder": _(
                "Write a comment. Markdown works; type @ to mention a team member."
            ),
            **attrs,
        }
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_BODY,
        widget=_body_widget(),
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
        widget=_body_widget(rows=4),
        error_messages=BODY_ERRORS,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
