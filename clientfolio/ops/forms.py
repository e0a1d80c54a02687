"""Forms of the ops pages: a request about a person's data."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["EraseForm", "ExportForm"]


class ExportForm(forms.Form):
    reason = forms.CharField(
        label=_("Request"),
        max_length=300,
        required=False,
        help_text=_("Who asked and how, e.g. the e-mail of 3 May; kept in the log."),
    )


class EraseForm(forms.Form):
    """Erasing cannot be undone: the contact's current name must be typed."""

    reason = forms.CharField(
        label=_("Request or reason"),
        max_length=300,
        help_text=_(
            "Who asked and how; kept in the log, which holds no personal data."
        ),
    )
    confirm = forms.CharField(
        label=_("Type the contact's name to confirm"), max_length=100
    )

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.name.strip():
            raise forms.ValidationError(
                _("This is not the contact's name; nothing was erased.")
            )
        return value
