"""Forms of the chat channel and webhook pages: they check the shape of input (and that
the URL may be posted to: ``ssrf``); ``integrations.services`` does the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clientfolio.core.events import KIND_LABELS, Kind
from clientfolio.core.forms import VersionedFormMixin
from clientfolio.integrations import ssrf
from clientfolio.integrations.models import SIGNED_PLATFORMS, ChatChannel, Webhook

__all__ = [
    "ChannelForm",
    "WebhookForm",
    "check_destination",
    "kind_field",
    "url_field",
]

NO_KINDS = _("Choose at least one event.")
NOT_SIGNED = _(
    "Only DingTalk and Feishu / Lark robots sign their messages with a secret; "
    "leave this empty."
)


def check_destination(url: str) -> str:
    """The URL if messages may be posted to it now; else the reason, as a
    ``forms.ValidationError`` (not http(s), a private address, an unknown host)."""
    try:
        return ssrf.check_url(url)
    except ssrf.Refused as refused:
        raise forms.ValidationError(refused.message, code="refused") from refused


def url_field(model: Any) -> forms.CharField:
    """A plain text field for the URL: ``ssrf`` says what is wrong with any URL
    (Django's URL field would add "http://" to a bare host and refuse other schemes
    vaguely)."""
    field = model._meta.get_field("url")
    return forms.CharField(
        label=capfirst(field.verbose_name),
        max_length=field.max_length,
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )


def kind_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(kind.value, KIND_LABELS[kind]) for kind in Kind],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": NO_KINDS},
    )


class _Destination(VersionedFormMixin, forms.ModelForm):
    kinds = kind_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk and not self.instance.kinds:
            # A new channel or webhook hears every event until told otherwise.
            self.initial["kinds"] = [kind.value for kind in Kind]

    def clean_url(self) -> str:
        return check_destination(self.cleaned_data["url"])


class ChannelForm(_Destination):
    """A chat channel: the robot's platform and address, its secret, events, language.

    The secret is never shown again: left empty on an edit, the stored one is kept."""

    url = url_field(ChatChannel)
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=ChatChannel._meta.get_field("secret").help_text,
    )

    class Meta:
        model = ChatChannel
        fields = ["platform", "name", "url", "secret", "kinds", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = _(
            "The robot's webhook address, as the platform shows it when you add the "
            "robot to the group."
        )
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = _(
                "A secret is stored. Leave this empty to keep it, or type a new one."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        platform = data.get("platform")
        secret = data.get("secret") or ""
        if secret and platform and platform not in SIGNED_PLATFORMS:
            self.add_error("secret", NOT_SIGNED)
        elif not secret and self.instance.pk and platform in SIGNED_PLATFORMS:
            # Left empty on an edit: keep the stored secret.
            data["secret"] = self.instance.secret
        elif platform not in SIGNED_PLATFORMS:
            data["secret"] = ""
        return data


class WebhookForm(_Destination):
    """An outgoing webhook: the integrator's URL and the events it receives."""

    url = url_field(Webhook)

    class Meta:
        model = Webhook
        fields = ["name", "url", "kinds"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = _(
            "Clientfolio posts signed JSON here (payload version 1) for every event "
            "you choose."
        )
