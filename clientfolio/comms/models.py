"""Communication records (沟通记录) of a project: meetings, calls, e-mails and the like, with
their participants' confirmations and the action items they produced. A conversation the
client starts in the client portal is a record of kind ``portal`` whose ``Message`` rows
are the thread."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.comms.querysets import (
    ActionItemQuerySet,
    CommRecordQuerySet,
    MessageQuerySet,
)
from clientfolio.core.deletion import ProtectSigned
from clientfolio.core.models import VersionedModel

__all__ = ["ActionItem", "CommRecord", "Message", "Participant", "overall_state"]


def overall_state(states: list[str]) -> str:
    """The record's confirmation state from its participants' states: disputed if anyone
    disputed, confirmed when everyone confirmed, else pending; "" without participants."""
    if not states:
        return ""
    if "disputed" in states:
        return "disputed"
    if all(state == "confirmed" for state in states):
        return "confirmed"
    return "pending"


class CommRecord(VersionedModel):
    """One exchange with the client or inside the team, kept in the project folder."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        EMAIL = "email", _("E-mail")
        IM = "im", _("Instant message")
        VISIT = "visit", _("Visit")
        PORTAL = "portal", _("Client portal")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="comm_records",
    )
    kind = models.CharField(
        _("type"), max_length=16, choices=Kind.choices, default=Kind.MEETING
    )
    occurred_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(24 * 60)],
    )
    location = models.CharField(_("channel or location"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    agenda = models.TextField(_("agenda"), max_length=20000, blank=True)
    minutes = models.TextField(
        _("minutes"), max_length=100000, blank=True, help_text=_("Markdown.")
    )
    decisions = models.TextField(_("decisions"), max_length=20000, blank=True)
    email_from = models.CharField(
        pgettext_lazy("e-mail", "from"), max_length=500, blank=True
    )
    email_to = models.TextField(
        pgettext_lazy("e-mail", "to"), max_length=5000, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="comm_records",
    )
    minutes_sent_at = models.DateTimeField(
        _("sent for confirmation"), null=True, blank=True
    )
    # Digest of the subject, minutes and decisions last sent for confirmation: links carry
    # it, so a link to minutes that changed since is refused (comms.services).
    sent_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Lower-cased subject, agenda, minutes and decisions for substring search; kept by
    # comms.services.
    search_text = models.TextField(default="", editable=False)
    # Files attached to the record (minutes, slides, the e-mail's attachments) are
    # documents of the project, kept in its "Minutes" folder; downloads go through the
    # documents pages, so they are checked and logged like any other.
    attachments = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("attachments"),
        blank=True,
        related_name="comm_records",
    )

    history = HistoricalRecords(excluded_fields=["search_text", "sent_digest"])
    objects = CommRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("communication record")
        verbose_name_plural = _("communication records")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-occurred_at"]),
            models.Index(fields=["kind", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def confirmation_state(self) -> str:
        """Overall state over the (prefetched) participants; see ``overall_state``."""
        return overall_state([p.state for p in self.participants.all()])

    def get_confirmation_state_display(self) -> str:
        state = self.confirmation_state
        return str(Participant.State(state).label) if state else ""

    @property
    def is_portal_thread(self) -> bool:
        return self.kind == self.Kind.PORTAL


class Participant(models.Model):
    """Someone who took part in a communication, and whether they confirmed its minutes."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")

    # A client contact's answer to the minutes is the client's word: deleting the
    # record or the contact is refused while it stands (pending rows go with them).
    record = models.ForeignKey(
        CommRecord,
        verbose_name=_("communication record"),
        on_delete=ProtectSigned(
            contact__isnull=False, state__in=["confirmed", "disputed"]
        ),
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comm_participations",
    )
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        on_delete=ProtectSigned(state__in=["confirmed", "disputed"]),
        null=True,
        blank=True,
        related_name="comm_participations",
    )
    state = models.CharField(
        _("confirmation"), max_length=16, choices=State.choices, default=State.PENDING
    )
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, contact__isnull=True)
                | Q(user__isnull=True, contact__isnull=False),
                name="comms_participant_user_xor_contact",
            ),
            models.UniqueConstraint(
                fields=["record", "user"],
                condition=Q(user__isnull=False),
                name="comms_participant_user_once",
            ),
            models.UniqueConstraint(
                fields=["record", "contact"],
                condition=Q(contact__isnull=False),
                name="comms_participant_contact_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.contact)

    @property
    def is_staff_member(self) -> bool:
        return self.user_id is not None

    @property
    def email(self) -> str:
        person = self.user or self.contact
        return (getattr(person, "email", "") or "").strip()

    def clean(self) -> None:
        if (self.user_id is None) == (self.contact_id is None):
            raise ValidationError(
                _("A participant is either a staff member or a client contact.")
            )


class ActionItem(VersionedModel):
    """Something to do that came out of a communication: text, owner, due date, status.

    The owner is a member of the project team (``owner``) or a client contact who took
    part in the communication (``owner_contact``), never both; either may be unset.
    ``status_set_by_contact`` is the contact who set the current status through the
    client portal (None when staff set it), so the history says who did it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    record = models.ForeignKey(
        CommRecord,
        verbose_name=_("communication record"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    text = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    # The client's side (issue 12): a contact who took part (checked by comms.services).
    owner_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("owner (client contact)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    status_set_by_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("status set by the client contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            # Partial: almost every item is a staff member's, so SQLite's statistics of
            # a full index say "not selective" and the portal's query of one contact's
            # items scanned every record of their projects instead (bench/portal_bench).
            models.Index(
                fields=["owner_contact", "status", "due_on"],
                condition=Q(owner_contact__isnull=False),
                name="comms_actionitem_by_contact",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(owner_contact__isnull=True),
                name="comms_actionitem_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def owned_by_client(self) -> bool:
        return self.owner_contact_id is not None

    @property
    def owner_name(self) -> str:
        """The owner's name, staff or client contact; "" for nobody (loads the owner)."""
        if self.owner_contact_id is not None and self.owner_contact is not None:
            return self.owner_contact.name
        return str(self.owner) if self.owner_id is not None else ""

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class Message(models.Model):
    """One message of a client portal thread (a record of kind ``portal``), written by a
    staff member (``author_user``) or by a client contact (``author_contact``), exactly
    one of them. Never edited; what a client wrote is kept: a record holding one of
    their messages cannot be deleted."""

    MAX_LENGTH = 10000

    record = models.ForeignKey(
        CommRecord,
        verbose_name=_("communication record"),
        on_delete=ProtectSigned(author_contact__isnull=False),
        related_name="messages",
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comm_messages",
    )
    author_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comm_messages",
    )
    body = models.TextField(_("message"), max_length=MAX_LENGTH)
    # Files sent with the message are documents of the project shared with the client
    # (the client sent them, or the team sent them to the client).
    attachments = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("attachments"),
        blank=True,
        related_name="comm_messages",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["record", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(author_user__isnull=False, author_contact__isnull=True)
                | Q(author_user__isnull=True, author_contact__isnull=False),
                name="comms_message_one_author",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:80]

    @property
    def is_from_client(self) -> bool:
        return self.author_contact_id is not None

    @property
    def author_name(self) -> str:
        """The author's name (loads the author unless preloaded)."""
        author = self.author_contact if self.author_contact_id else self.author_user
        return str(author) if author is not None else ""
