"""Forms of the client library: they check the shape of input; services do the writing."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import (
    Client,
    Contact,
    Contract,
    Feedback,
    FollowUp,
    Payment,
    Requirement,
)
from clientfolio.core.forms import DateInput, VersionedFormMixin, split_tags
from clientfolio.core.models import User
from clientfolio.core.permissions import scope

__all__ = [
    "ClientForm",
    "ContactFormSet",
    "RECORD_FORMS",
]


class ClientForm(VersionedFormMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Save anyway: this is not a duplicate"), required=False
    )

    class Meta:
        model = Client
        fields = [
            "kind",
            "name",
            "status",
            "industry",
            "source",
            "owner",
            "tier_override",
            "website",
            "address",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.internal().active()  # type: ignore[attr-defined]
        self.fields["tier_override"].label = _("Tier (manual override)")
        if self.instance.pk and not self.is_bound:
            self.initial["tags_text"] = ", ".join(
                t.name for t in self.instance.tags.all()
            )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the client's name."))
        return name

    def clean_tags_text(self):
        tags = split_tags(self.cleaned_data.get("tags_text", ""))
        if any(len(t) > 40 for t in tags):
            raise forms.ValidationError(_("A tag can have at most 40 characters."))
        if len(tags) > 20:
            raise forms.ValidationError(_("A client can have at most 20 tags."))
        return tags


class ContactForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "wechat", "is_primary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class InlineContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "wechat", "is_primary"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class BaseContactFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        primaries = [
            f
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("is_primary")
        ]
        if len(primaries) > 1:
            raise forms.ValidationError(
                _("Only one contact can be the primary contact.")
            )


ContactFormSet = inlineformset_factory(
    Client,
    Contact,
    form=InlineContactForm,
    formset=BaseContactFormSet,
    extra=2,
    max_num=20,
    can_delete=False,
)


class RequirementForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["title", "priority", "status", "wanted_by", "description"]
        widgets = {
            "wanted_by": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class ContractForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "number",
            "title",
            "amount",
            "currency",
            "status",
            "signed_on",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "signed_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def clean_number(self):
        return self.cleaned_data["number"].strip()


class PaymentForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["contract", "received_on", "amount", "method", "reference", "note"]
        widgets = {"received_on": DateInput()}

    def __init__(self, *args, client: Client, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        contracts = scope(user, client.contracts.all())
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]


class FeedbackForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = [
            "kind",
            "severity",
            "channel",
            "received_on",
            "contact",
            "subject",
            "detail",
            "status",
            "resolution",
            "resolved_on",
        ]
        widgets = {
            "received_on": DateInput(),
            "resolved_on": DateInput(),
            "detail": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = client.contacts.all()  # type: ignore[attr-defined]


class FollowUpForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = [
            "planned_on",
            "contact",
            "owner",
            "purpose",
            "done_on",
            "outcome",
            "next_on",
        ]
        widgets = {
            "planned_on": DateInput(),
            "done_on": DateInput(),
            "next_on": DateInput(),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = client.contacts.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = User.objects.internal().active()  # type: ignore[attr-defined]


# Records that belong to a client, by the URL segment that names them.
RECORD_FORMS = {
    "contacts": (Contact, ContactForm),
    "requirements": (Requirement, RequirementForm),
    "contracts": (Contract, ContractForm),
    "payments": (Payment, PaymentForm),
    "feedback": (Feedback, FeedbackForm),
    "follow-ups": (FollowUp, FollowUpForm),
}
CLIENT_AWARE_FORMS = (PaymentForm, FeedbackForm, FollowUpForm)
