"""Forms of the shell: user management, the version field every edit form carries, and
the widgets and helpers every app's forms share."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clientfolio.core.models import User

__all__ = [
    "MultipleFileField",
    "ApiTokenForm",
    "DateInput",
    "split_tags",
    "UserCreateForm",
    "UserEditForm",
    "VersionedFormMixin",
    "AdminSetPasswordForm",
]


TAG_SPLIT = re.compile(r"[,，;；、]+")


def split_tags(text: str) -> list[str]:
    """Tags typed as 'a, b；c、d' (Chinese and Latin separators)."""
    return [t.strip() for t in TAG_SPLIT.split(text or "") if t.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or many files; the value is a list (empty entries dropped). The documents
    service checks their content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    """A date picker that submits ISO dates (``2026-03-02``) whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedFormMixin(forms.Form):
    """Carries the version the editor loaded, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "language",
        ]


class UserEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "language",
            "is_active",
        ]


class ProfileForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "language"]
        labels = {"language": _("Language")}


class AdminSetPasswordForm(SetPasswordForm):
    pass


class ApiTokenForm(forms.Form):
    """A new API token of the signed-in user: a name and how long it lasts, at most
    ``API_TOKEN_DAYS`` days."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("A label to recognise the token by, such as the script using it."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is made, not at import: the setting is the one in force.
        most = settings.API_TOKEN_DAYS
        days = self.fields["days"]
        days.validators.append(MaxValueValidator(most))
        days.widget.attrs["max"] = most
        days.initial = most
        days.help_text = ngettext(
            "At most %(days)d day.", "At most %(days)d days.", most
        ) % {"days": most}
