"""Forms of the shell: user management and the version field every edit form carries."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from clientfolio.core.models import User

__all__ = [
    "UserCreateForm",
    "UserEditForm",
    "VersionedFormMixin",
    "AdminSetPasswordForm",
]


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
