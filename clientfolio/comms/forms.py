"""Forms of communication records: they check the shape of input; services do the writing."""

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Contact
from clientfolio.comms import eml
from clientfolio.comms.models import ActionItem, CommRecord, Message, Participant
from clientfolio.core.forms import DateInput, MultipleFileField, VersionedFormMixin
from clientfolio.core.models import User
from clientfolio.documents.models import Document
from clientfolio.projects.models import Project

__all__ = [
    "ActionItemFormSet",
    "ActionItemStatusForm",
    "CommRecordForm",
    "EmlUploadForm",
    "MessageForm",
    "RespondForm",
]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CommRecordForm(VersionedFormMixin, forms.ModelForm):
    # Validated against every staff user and contact, offered only the project's team and
    # client contacts: the service refuses anyone else with a message that names them.
    participant_users = forms.ModelMultipleChoiceField(
        label=_("Team participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    participant_contacts = forms.ModelMultipleChoiceField(
        label=_("Client participants"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    attachment_files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_(
            "Minutes, slides, signed scans: each file is kept as a document in the "
            "project's Minutes folder."
        ),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("The documents stay in the project's documents."),
    )

    class Meta:
        model = CommRecord
        fields = [
            "subject",
            "kind",
            "occurred_at",
            "duration_minutes",
            "location",
            "email_from",
            "email_to",
            "agenda",
            "minutes",
            "decisions",
        ]
        widgets = {
            "occurred_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "email_to": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        users = self.fields["participant_users"]
        contacts = self.fields["participant_contacts"]
        users.queryset = User.objects.internal().active()  # type: ignore[attr-defined]
        contacts.queryset = Contact.objects.all()  # type: ignore[attr-defined]
        users.widget.choices = [(u.pk, str(u)) for u in User.objects.on_team(project)]
        contacts.widget.choices = [
            (c.pk, f"{c.name} · {c.title}" if c.title else c.name)
            for c in project.client.contacts.all()
        ]
        self.fields["occurred_at"].help_text = _("Date and time, 24-hour clock.")
        # A portal thread stays one, and only the client starts one (comms.services).
        kind = self.fields["kind"]
        kind.choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in CommRecord.Kind.choices
            if (value == CommRecord.Kind.PORTAL)
            == (self.instance.kind == CommRecord.Kind.PORTAL)
        ]
        if self.instance.kind != CommRecord.Kind.EMAIL:
            del self.fields["email_from"]
            del self.fields["email_to"]
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = (  # type: ignore[attr-defined]
                self.instance.attachments.active().order_by("title", "id")
            )
        else:
            del self.fields["remove_attachments"]
        if self.instance.pk and not self.is_bound:
            participants = list(self.instance.participants.all())
            self.initial["participant_users"] = [
                p.user_id for p in participants if p.user_id
            ]
            self.initial["participant_contacts"] = [
                p.contact_id for p in participants if p.contact_id
            ]

    def clean_subject(self):
        subject = " ".join(self.cleaned_data.get("subject", "").split())
        if not subject:
            raise forms.ValidationError(_("Enter a subject."))
        return subject


CONTACT_OWNER = "contact-"


def owner_choices(project: Project) -> list[tuple[Any, Any]]:
    """The options of an action item's owner: the project's team (values are user
    ids), then the contacts of the project's client (``contact-<id>``); two queries.
    The service accepts a contact only once they take part in the record."""
    team = [(str(u.pk), str(u)) for u in User.objects.on_team(project)]
    contacts = [
        (f"{CONTACT_OWNER}{c.pk}", f"{c.name} · {c.title}" if c.title else c.name)
        for c in project.client.contacts.all()
    ]
    choices: list[tuple[Any, Any]] = [("", "---------"), (_("Team"), team)]
    if contacts:
        choices.append((_("Client contacts who take part"), contacts))
    return choices


def owner_value(item: ActionItem) -> str:
    """The owner select's value for ``item``: a user id, ``contact-<id>`` or ""."""
    if item.owner_contact_id is not None:
        return f"{CONTACT_OWNER}{item.owner_contact_id}"
    return str(item.owner_id) if item.owner_id is not None else ""


class ActionItemForm(VersionedFormMixin, forms.ModelForm):
    # One select, two groups: a team member or a client contact who took part.
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    class Meta:
        model = ActionItem
        fields = ["text", "due_on", "status"]
        widgets = {"due_on": DateInput()}

    def __init__(
        self,
        *args,
        project: Project,
        owners: list[tuple[Any, Any]] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        field.choices = owners if owners is not None else owner_choices(project)  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = _(
            "Choose a member of the project team or a client contact of the project."
        )
        self.initial.setdefault("owner", owner_value(self.instance))

    def clean(self):
        data = super().clean() or {}
        value = data.get("owner") or ""
        contact = value.startswith(CONTACT_OWNER)
        self.instance.owner_contact_id = (  # type: ignore[attr-defined]
            int(value.removeprefix(CONTACT_OWNER)) if contact else None
        )
        self.instance.owner_id = int(value) if value and not contact else None  # type: ignore[attr-defined]
        return data

    def has_changed(self):
        # The default status alone does not make an empty extra row a new item.
        changed = super().has_changed()
        if changed and not self.instance.pk:
            return any(n != "status" for n in self.changed_data)
        return changed


class BaseActionItemFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    @cached_property
    def owners(self) -> list[tuple[Any, Any]]:
        # Once for every row of the formset, not once per row.
        return owner_choices(self.project)

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "project": self.project,
            "owners": self.owners,
        }

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            project=self.project,
            owners=self.owners,
        )
        self.add_fields(form, None)
        return form


ActionItemFormSet = inlineformset_factory(
    CommRecord,
    ActionItem,
    form=ActionItemForm,
    formset=BaseActionItemFormSet,
    extra=2,
    max_num=50,
    can_delete=True,
)


class ActionItemStatusForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class EmlUploadForm(forms.Form):
    file = forms.FileField(
        label=_("E-mail file (.eml)"),
        help_text=_(
            "Save the e-mail from your mail program as .eml (at most 10 MB). Chinese "
            "encodings such as GB2312, GBK and UTF-8 are read correctly."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > eml.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": eml.MAX_BYTES // (1024 * 1024)}
            )
        return upload


class RespondForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Participant.State.CONFIRMED, _("Confirm")),
            (Participant.State.DISPUTED, _("Dispute")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you dispute: say what is wrong."),
    )

    def clean(self):
        data = super().clean() or {}
        if (
            data.get("state") == Participant.State.DISPUTED
            and not (data.get("comment") or "").strip()
        ):
            self.add_error(
                "comment",
                _("Say what is wrong in the minutes, so it can be corrected."),
            )
        return data


class MessageForm(forms.Form):
    """A reply of the team in a client portal thread."""

    body = forms.CharField(
        label=_("Reply"),
        max_length=Message.MAX_LENGTH,
        error_messages={"required": _("Write a message.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The client reads it in the portal."),
    )
    attachment_files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_(
            "Each file is kept as a document of the project, shared with the client."
        ),
    )

    def clean_body(self):
        body = (self.cleaned_data.get("body") or "").strip()
        if not body:
            raise forms.ValidationError(_("Write a message."))
        return body
