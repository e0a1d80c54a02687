"""The forms of the portal: what a project shares (staff), a contact's invitation and
sign-in requests, and the contact's account."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clientfolio.core.forms import VersionedFormMixin
from clientfolio.portal.models import SECTIONS, ProjectSharing

__all__ = ["InviteForm", "LanguageForm", "SharingForm", "SignInRequestForm"]


def _language_choices():
    return [*settings.LANGUAGES, ("", _("Browser setting"))]


class SharingForm(VersionedFormMixin, forms.ModelForm):
    """Whether the project is in its client's portal, and which sections it shows."""

    class Meta:
        model = ProjectSharing
        fields = ["is_enabled", *SECTIONS]


class InviteForm(forms.Form):
    """The language of a contact's invitation e-mail and portal."""

    language = forms.ChoiceField(
        label=_("Language"), choices=_language_choices, required=False
    )


class SignInRequestForm(forms.Form):
    """The address a sign-in link is asked for."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)


class LanguageForm(forms.Form):
    """The language the portal speaks to the contact."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
