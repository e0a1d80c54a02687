"""The search box's input, checked the same way for the page and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clientfolio.reports.matching import MAX_QUERY_LENGTH, QueryError, query_words
from clientfolio.reports.search import KINDS

__all__ = ["QUERY_ERRORS", "SearchForm"]

QUERY_ERRORS = {
    "empty": _("Enter a word to search for."),
    "too_long": _("Search for at most %(limit)s characters."),
}


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=False, label=_("Search"))
    kind = forms.ChoiceField(
        required=False,
        choices=[("", _("Everything"))]
        + [(key, label) for key, (label, _sources) in KINDS.items()],
        label=_("Kind"),
    )

    def clean_q(self) -> str:
        text = self.cleaned_data.get("q") or ""
        try:
            query_words(text)
        except QueryError as error:
            raise forms.ValidationError(
                QUERY_ERRORS[error.code],
                code=error.code,
                params={"limit": MAX_QUERY_LENGTH},
            ) from None
        return text.strip()
