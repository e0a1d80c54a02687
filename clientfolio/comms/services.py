"""Every write to communication records. Pages, the API, the client portal and the demo
data call these.

Each function runs in one transaction and checks ``version`` on updates (raising
``StaleVersion``). Participants are limited to the project's team and the contacts of the
project's client; minutes go to the participants for confirmation with signed links.
A client portal thread is a record of kind ``portal`` whose messages the client and the
team write (``start_portal_thread``, ``post_message``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clientfolio.clients.models import Contact
from clientfolio.comms import eml
from clientfolio.comms.models import ActionItem, CommRecord, Message, Participant
from clientfolio.core import events
from clientfolio.core.locking import save_versioned
from clientfolio.core.mail import send_later
from clientfolio.core.models import User
from clientfolio.documents import services as documents
from clientfolio.documents.models import Document
from clientfolio.projects.models import Membership, Project

logger = logging.getLogger(__name__)

__all__ = [
    "confirmation_max_age",
    "ATTACHMENT_FOLDER",
    "CommsError",
    "ItemChange",
    "LinkError",
    "SendResult",
    "confirmation_token",
    "content_digest",
    "create_record",
    "create_record_from_eml",
    "delete_record",
    "join_names",
    "post_message",
    "read_token",
    "respond",
    "save_action_item",
    "send_minutes_for_confirmation",
    "set_action_item_status",
    "set_participants",
    "start_portal_thread",
    "update_record",
]


def confirmation_max_age() -> timedelta:
    """How long a participant's e-mailed link to confirm minutes works:
    ``MINUTES_CONFIRMATION_DAYS``."""
    return timedelta(days=settings.MINUTES_CONFIRMATION_DAYS)


# The template folder (by its English name) that attachments of records are filed in.
ATTACHMENT_FOLDER = "Minutes"
TOKEN_SALT = "clientfolio.comms.confirm"
RECORD_FIELDS = [
    "kind",
    "occurred_at",
    "duration_minutes",
    "location",
    "subject",
    "agenda",
    "minutes",
    "decisions",
    "email_from",
    "email_to",
]


class CommsError(ValueError):
    """Input the rules refuse; ``field`` names the form or API field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LinkError(Exception):
    """A confirmation link that cannot be used; ``status`` is the HTTP answer (400 for a
    damaged link, 410 for one that is no longer valid)."""

    TAMPERED, EXPIRED, GONE, CHANGED = "tampered", "expired", "gone", "changed"

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.status = 400 if kind == self.TAMPERED else 410

    @property
    def message(self) -> str:
        return {
            self.TAMPERED: _(
                "This confirmation link is damaged or was not issued by us. "
                "Copy the whole link from the e-mail, or ask the sender for a new one."
            ),
            self.EXPIRED: _(
                "This confirmation link has expired (links are valid for 30 days). "
                "Nothing was changed; ask the sender to send the minutes again."
            ),
            self.GONE: _(
                "This confirmation link is no longer valid: you are no longer a "
                "participant of this record, or it was deleted."
            ),
            self.CHANGED: _(
                "The minutes were changed after this link was sent. Nothing was "
                "changed; please use the link in the newest e-mail."
            ),
        }[self.kind]


@dataclass
class ItemChange:
    """An action item to save with its record: new (no pk), edited, or to delete."""

    item: ActionItem
    expected_version: int | None = None
    delete: bool = False


@dataclass
class SendResult:
    # Asked to confirm: contacts by e-mail, staff by a notification (``minutes.sent``).
    sent: list[Participant] = field(default_factory=list)
    # Contacts who could not be asked: no e-mail address.
    without_email: list[Participant] = field(default_factory=list)
    reset: bool = False  # earlier answers were reset: the minutes had changed


# --- records -------------------------------------------------------------------------


def _portal_kind_refused() -> CommsError:
    return CommsError(
        _(
            "Client portal conversations are started by the client in the portal, "
            "and a record cannot become one or stop being one."
        ),
        field="kind",
    )


def join_names(people: Iterable[Any]) -> str:
    """Names in a list as the language writes them (张伟、李娜 / Zhang Wei, Li Na)."""
    return pgettext("list separator", ", ").join(str(p) for p in people)


def search_text(record: CommRecord) -> str:
    """What the search looks in, lower-cased: the subject, agenda, minutes and
    decisions, and the messages of a portal thread (one query for those)."""
    parts = [record.subject, record.agenda, record.minutes, record.decisions]
    if record.pk is not None and record.kind == CommRecord.Kind.PORTAL:
        parts += Message.objects.filter(record_id=record.pk).values_list(
            "body", flat=True
        )
    return "\n".join(p for p in parts if p).lower()


def content_digest(record: CommRecord) -> str:
    """A digest of what participants confirm: the subject, minutes and decisions."""
    text = "\x1f".join((record.subject, record.minutes, record.decisions))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _team_user_ids(project: Project) -> set[int]:
    return set(
        Membership.objects.filter(project=project).values_list("user_id", flat=True)
    )


def _participant_contact_ids(record: CommRecord) -> set[int]:
    return set(
        Participant.objects.filter(record=record, contact__isnull=False).values_list(
            "contact_id", flat=True
        )
    )


def _check_owner(
    record: CommRecord, item: ActionItem, team: set[int], contacts: set[int]
) -> None:
    """The owner is a team member or a client contact who took part, never both.

    ``team`` and ``contacts`` are the ids of the project's team and of the record's
    contact participants. The contact is not named in the refusal: the id may be of a
    contact the caller cannot see."""
    if item.owner_id is not None and item.owner_contact_id is not None:
        raise CommsError(
            _("Choose one owner: a team member or a client contact, not both."),
            field="owner",
        )
    if item.owner_id is not None and item.owner_id not in team:
        raise CommsError(
            _("%(name)s is not on the project team; choose a team member as owner.")
            % {"name": item.owner},
            field="owner",
        )
    if item.owner_contact_id is not None and item.owner_contact_id not in contacts:
        raise CommsError(
            _(
                "Choose a client contact who took part in this communication as the "
                "owner: add them to the participants first."
            ),
            field="owner",
        )


def _check_contact_owners(record: CommRecord) -> None:
    """Every client contact owning an action item of ``record`` still takes part."""
    orphaned = (
        ActionItem.objects.filter(record=record, owner_contact__isnull=False)
        .exclude(
            owner_contact__in=Participant.objects.filter(
                record=record, contact__isnull=False
            ).values("contact_id")
        )
        .select_related("owner_contact")
        .order_by("id")
    )
    names = list(dict.fromkeys(item.owner_contact.name for item in orphaned))
    if names:
        raise CommsError(
            _(
                "%(names)s owns action items of this record and stays among the "
                "participants; give the items to someone else first."
            )
            % {"names": join_names(names)},
            field="participant_contacts",
        )


def _apply_items(
    record: CommRecord, items: Iterable[ItemChange], actor: User | None = None
) -> None:
    items = list(items)
    team = _team_user_ids(record.project)
    contacts = _participant_contact_ids(record) if items else set()
    stored_owners = dict(
        ActionItem.objects.filter(
            pk__in=[c.item.pk for c in items if c.item.pk]
        ).values_list("pk", "owner_id")
    )
    for change in items:
        item = change.item
        if change.delete:
            if item.pk:
                item.delete()
            continue
        item.record = record
        _check_owner(record, item, team, contacts)
        stored_owner = stored_owners.get(item.pk)
        if item.pk:
            save_versioned(item, change.expected_version)
        else:
            item.save()
        _announce_owner(item, stored_owner, actor)


def _announce_owner(item: ActionItem, stored_owner: int | None, actor: Any) -> None:
    """Tell a new owner of an action item they were assigned (``action_item.assigned``)."""
    if item.owner_id is None or item.owner_id == stored_owner:
        return
    events.publish(
        events.Kind.ACTION_ITEM_ASSIGNED,
        item,
        actor=actor if getattr(actor, "pk", None) else None,
        recipients=[item.owner_id],
        project=item.record.project_id,
        data={"title": str(item), "record": item.record.subject},
    )


def _attach(
    record: CommRecord, files: Sequence[Any], user: User | None
) -> list[Document]:
    """Store ``files`` as documents of the record's project (its "Minutes" folder) and
    attach them. Raises ``CommsError`` (field ``attachment_files``) for a refused file;
    the documents service has then stored nothing."""
    if not files:
        return []
    try:
        attached = documents.attach_files(
            record.project,
            list(files),
            user=user if user is not None and user.pk else None,
            folder_name_en=ATTACHMENT_FOLDER,
            note=_("Attached to the communication record “%(subject)s”")
            % {"subject": record.subject},
        )
    except documents.DocumentError as error:
        raise CommsError(error.message, field="attachment_files") from error
    record.attachments.add(*attached)
    return attached


def create_record(
    record: CommRecord,
    *,
    user: User | None,
    participant_users: Iterable[User] = (),
    participant_contacts: Iterable[Contact] = (),
    items: Iterable[ItemChange] = (),
    files: Sequence[Any] = (),
) -> CommRecord:
    """Save a new record of ``record.project`` with its participants, action items and
    attached ``files`` (stored as documents of the project).

    All or nothing: raises ``CommsError`` (nothing saved, no file kept) for a
    participant or owner outside the project, a refused file, or the kind ``portal``
    (a client starts those: ``start_portal_thread``).
    """
    if record.kind == CommRecord.Kind.PORTAL:
        raise _portal_kind_refused()
    attached: list[Document] = []
    try:
        with transaction.atomic():
            record.created_by = user if user is not None and user.pk else None
            record.search_text = search_text(record)
            record.save()
            _set_participants(record, participant_users, participant_contacts)
            _apply_items(record, items, user)
            # Last, so that nothing refused after the files were written.
            attached = _attach(record, files, user)
    except BaseException:
        # The rows rolled back; their files must go too.
        documents.discard_files(attached)
        raise
    return record


def update_record(
    record: CommRecord,
    expected_version: int | None,
    *,
    participant_users: Iterable[User] | None = None,
    participant_contacts: Iterable[Contact] | None = None,
    items: Iterable[ItemChange] = (),
    files: Sequence[Any] = (),
    detach: Iterable[Document] = (),
    user: User | None = None,
) -> CommRecord:
    """Save edits if nobody saved the record since ``expected_version``; participants are
    replaced when given (those who stay keep their answers); ``files`` are attached as
    new documents (uploaded by ``user``) and ``detach`` documents are no longer attached
    (they stay in the project's documents). Raises ``StaleVersion`` or ``CommsError``;
    either way nothing is saved and no file kept."""
    attached: list[Document] = []
    try:
        with transaction.atomic():
            _update_record(
                record,
                expected_version,
                participant_users=participant_users,
                participant_contacts=participant_contacts,
                items=items,
                user=user,
            )
            detached = [d for d in detach if d is not None]
            if detached:
                record.attachments.remove(*detached)
            attached = _attach(record, files, user)
    except BaseException:
        documents.discard_files(attached)
        raise
    return record


def _update_record(
    record: CommRecord,
    expected_version: int | None,
    *,
    participant_users: Iterable[User] | None,
    participant_contacts: Iterable[Contact] | None,
    items: Iterable[ItemChange],
    user: User | None,
) -> None:
    stored = (
        CommRecord.objects.filter(pk=record.pk).values_list("project_id", "kind")
    ).first()
    if stored is not None and stored[0] != record.project_id:
        raise CommsError(_("A record cannot move to another project."), "project")
    # The client sees every portal thread they take part in (the permission layer):
    # a meeting turned into one would show its minutes, a thread turned into a meeting
    # would hide what the client wrote.
    if stored is not None and CommRecord.Kind.PORTAL in (stored[1], record.kind):
        if stored[1] != record.kind:
            raise _portal_kind_refused()
    record.search_text = search_text(record)
    save_versioned(record, expected_version, fields=[*RECORD_FIELDS, "search_text"])
    if participant_users is not None or participant_contacts is not None:
        current = list(record.participants.all())
        _set_participants(
            record,
            participant_users
            if participant_users is not None
            else [p.user for p in current if p.user is not None],
            participant_contacts
            if participant_contacts is not None
            else [p.contact for p in current if p.contact is not None],
        )
    _apply_items(record, items, user)
    # After both: an owner may be reassigned in the same edit that removes them.
    _check_contact_owners(record)


@transaction.atomic
def delete_record(record: CommRecord) -> None:
    """Delete a record with its participants and action items (history keeps them).
    Raises ``ProtectedError`` (nothing deleted) once a client contact has confirmed or
    disputed the minutes."""
    record.delete()


@transaction.atomic
def set_participants(
    record: CommRecord, users: Iterable[User], contacts: Iterable[Contact]
) -> list[Participant]:
    """Make exactly ``users`` and ``contacts`` the participants of ``record``.

    Staff must be on the project team and contacts must belong to the project's client,
    and a client contact who confirmed or disputed the minutes, or who owns one of its
    action items, cannot be removed; otherwise ``CommsError`` is raised and nothing
    changes. Participants who stay keep their confirmation. Returns the participants.
    """
    participants = _set_participants(record, users, contacts)
    _check_contact_owners(record)
    return participants


def _set_participants(
    record: CommRecord, users: Iterable[User], contacts: Iterable[Contact]
) -> list[Participant]:
    """``set_participants`` without the check of contact owners, for callers that
    change the action items too and check them after (``_check_contact_owners``)."""
    users = list(dict.fromkeys(u for u in users if u is not None))
    contacts = list(dict.fromkeys(c for c in contacts if c is not None))
    project = record.project
    team = _team_user_ids(project)
    outsiders = [u for u in users if u.pk not in team]
    if outsiders:
        raise CommsError(
            _("%(names)s is not on the project team.")
            % {"names": join_names(outsiders)},
            field="participant_users",
        )
    foreign = [c for c in contacts if c.client_id != project.client_id]
    if foreign:
        raise CommsError(
            _(
                "%(names)s is not a contact of %(client)s: only contacts of the "
                "project's client can take part."
            )
            % {
                "names": join_names(foreign),
                "client": project.client,
            },
            field="participant_contacts",
        )
    wanted_users = {u.pk for u in users}
    wanted_contacts = {c.pk for c in contacts}
    existing = list(record.participants.select_related("contact"))
    answered = [
        p.contact
        for p in existing
        if p.contact_id
        and p.contact_id not in wanted_contacts
        and p.state != Participant.State.PENDING
    ]
    if answered:
        # Their answer to the minutes is the client's word: it is never deleted.
        raise CommsError(
            _(
                "%(names)s already answered the minutes and stays among the "
                "participants."
            )
            % {"names": join_names(answered)},
            field="participant_contacts",
        )
    for participant in existing:
        if (participant.user_id and participant.user_id not in wanted_users) or (
            participant.contact_id and participant.contact_id not in wanted_contacts
        ):
            participant.delete()
    have_users = {p.user_id for p in existing if p.user_id}
    have_contacts = {p.contact_id for p in existing if p.contact_id}
    for user in users:
        if user.pk not in have_users:
            Participant.objects.create(record=record, user=user)
    for contact in contacts:
        if contact.pk not in have_contacts:
            Participant.objects.create(record=record, contact=contact)
    return list(record.participants.select_related("user", "contact"))


# --- action items --------------------------------------------------------------------


@transaction.atomic
def save_action_item(
    item: ActionItem, expected_version: int | None = None, *, actor: Any = None
) -> ActionItem:
    """Add (no pk) or update an action item. Its owner is a member of the project team
    or a client contact who took part in the record (``owner_contact``), not both;
    otherwise ``CommsError`` (field ``owner``). A new staff owner is told
    (``action_item.assigned``, by ``actor``)."""
    _check_owner(
        item.record,
        item,
        _team_user_ids(item.record.project),
        _participant_contact_ids(item.record),
    )
    stored_owner = None
    if item.pk:
        stored_owner = (
            ActionItem.objects.filter(pk=item.pk)
            .values_list("owner_id", flat=True)
            .first()
        )
        save_versioned(item, expected_version)
    else:
        item.save()
    _announce_owner(item, stored_owner, actor)
    return item


@transaction.atomic
def set_action_item_status(
    item: ActionItem,
    status: str,
    expected_version: int | None,
    *,
    contact: Contact | None = None,
) -> ActionItem:
    """Change an action item's status, by staff or (``contact``, from the client
    portal) by the client contact who owns it.

    A contact may move their own item between open, in progress and done, not cancel
    it; the item then records them (``status_set_by_contact``) so the history shows who
    did it; a change by staff clears that. Raises ``CommsError`` for an unknown status,
    an item the contact does not own or a cancellation by a contact, and
    ``StaleVersion`` when someone changed the item since ``expected_version``."""
    if status not in ActionItem.Status.values:
        raise CommsError(_("Choose a valid status."), field="status")
    if contact is not None:
        if item.owner_contact_id != contact.pk:
            raise CommsError(
                _("Only the owner of this action item can change its status here."),
                field="status",
            )
        if status == ActionItem.Status.CANCELLED:
            raise CommsError(
                _("Only the project team can cancel an action item."), field="status"
            )
    item.status = status
    item.status_set_by_contact = contact
    return save_versioned(
        item, expected_version, fields=["status", "status_set_by_contact"]
    )


# --- confirmation of minutes ---------------------------------------------------------


def confirmation_token(participant: Participant) -> str:
    """A signed, timestamped token naming the participant, the record and the content
    it was issued for; valid for ``confirmation_max_age()``."""
    return signing.dumps(
        {
            "p": participant.pk,
            "r": participant.record_id,
            "d": content_digest(participant.record)[:16],
        },
        salt=TOKEN_SALT,
    )


def read_token(token: str) -> Participant:
    """The participant a confirmation link was issued to. Raises ``LinkError`` for a
    tampered, expired or obsolete link; reads only."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=confirmation_max_age())
    except signing.SignatureExpired as error:
        raise LinkError(LinkError.EXPIRED) from error
    except signing.BadSignature as error:
        raise LinkError(LinkError.TAMPERED) from error
    if not isinstance(data, dict) or not all(k in data for k in ("p", "r", "d")):
        raise LinkError(LinkError.TAMPERED)
    participant = (
        Participant.objects.select_related(
            "record", "record__project", "record__project__client", "user", "contact"
        )
        .filter(pk=data["p"], record_id=data["r"])
        .first()
    )
    if participant is None:
        raise LinkError(LinkError.GONE)
    if content_digest(participant.record)[:16] != data["d"]:
        raise LinkError(LinkError.CHANGED)
    return participant


def confirmation_url(participant: Participant, base_url: str) -> str:
    path = reverse("comms:confirm", kwargs={"token": confirmation_token(participant)})
    return base_url.rstrip("/") + path


def _language_of(participant: Participant) -> str:
    if participant.user is not None and participant.user.language:
        return participant.user.language
    return settings.LANGUAGE_CODE


def _confirmation_email(
    participant: Participant, record: CommRecord, base_url: str, sender: Any
) -> EmailMultiAlternatives:
    with translation.override(_language_of(participant)):
        context = {
            "participant": participant,
            "record": record,
            "project": record.project,
            "url": confirmation_url(participant, base_url),
            "sender": sender,
            "valid_days": confirmation_max_age().days,
        }
        subject = _("Please confirm the minutes: %(subject)s") % {
            "subject": record.subject
        }
        text = render_to_string("comms/email/confirm_request.txt", context)
        html = render_to_string("comms/email/confirm_request.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[formataddr((str(participant), participant.email))],
    )
    message.attach_alternative(html, "text/html")
    return message


def send_minutes_for_confirmation(
    record: CommRecord, request_base_url: str, *, sender: Any = None
) -> SendResult:
    """Ask every participant who has not confirmed these minutes to confirm or dispute
    them: client contacts get an e-mail with a signed link (valid for 30 days); staff
    participants, who answer in the app, are told by a ``minutes.sent`` event (by
    ``sender``), which the notifications deliver in the app and by e-mail as each of
    them prefers, so nobody gets the same request twice.

    If the subject, minutes or decisions changed since they were last sent, every earlier
    answer is reset to pending and everyone is asked again. Records when the minutes
    were sent. Returns who was asked and which contacts have no address. Raises
    ``CommsError`` for a record without participants.

    The e-mails leave from a job once the transaction commits (``core.mail.send_later``,
    with retries): a slow or failing mail server never holds the row lock or fails the
    request, and the minutes stay sent. A client portal thread has no minutes to
    confirm (``CommsError``).
    """
    if record.kind == CommRecord.Kind.PORTAL:
        raise CommsError(_("A client portal conversation has no minutes to confirm."))
    if not record.participants.exists():
        raise CommsError(
            _("Add the participants before sending the minutes for confirmation.")
        )
    digest = content_digest(record)
    result = SendResult()
    with transaction.atomic():
        locked = CommRecord.objects.select_for_update().get(pk=record.pk)
        if locked.sent_digest and locked.sent_digest != digest:
            for participant in record.participants.exclude(
                state=Participant.State.PENDING
            ):
                participant.state = Participant.State.PENDING
                participant.comment = ""
                participant.responded_at = None
                participant.save()
            result.reset = True
        record.minutes_sent_at = timezone.now()
        record.sent_digest = digest
        record.save(update_fields=["minutes_sent_at", "sent_digest"])
        participants = list(
            record.participants.select_related("user", "contact").order_by("id")
        )
        messages = []
        confirmers = []
        for participant in participants:
            if participant.state == Participant.State.CONFIRMED:
                continue
            if participant.user_id is not None:
                confirmers.append(participant.user_id)
                result.sent.append(participant)
                continue
            if not participant.email:
                result.without_email.append(participant)
                continue
            participant.record = record
            messages.append(
                _confirmation_email(participant, record, request_base_url, sender)
            )
            result.sent.append(participant)
        for message in messages:
            send_later(message)
        if result.sent:
            logger.info(
                "Minutes of record %s sent for confirmation to %d participant(s)",
                record.pk,
                len(result.sent),
            )
        if confirmers:
            events.publish(
                events.Kind.MINUTES_SENT,
                record,
                actor=sender if getattr(sender, "pk", None) else None,
                recipients=confirmers,
                project=record.project_id,
                data={"title": record.subject},
            )
    return result


@transaction.atomic
def respond(participant: Participant, state: str, comment: str = "") -> Participant:
    """Record a participant's answer: confirmed, or disputed with a comment (required).
    Answers may be changed; the time of the latest is kept. A dispute tells the minutes'
    author (``minutes.disputed``; the project manager when nobody is recorded). Raises
    ``CommsError``."""
    comment = (comment or "").strip()
    if state not in (Participant.State.CONFIRMED, Participant.State.DISPUTED):
        raise CommsError(_("Choose to confirm or to dispute."), field="state")
    if state == Participant.State.DISPUTED and not comment:
        raise CommsError(
            _("Say what is wrong in the minutes, so it can be corrected."),
            field="comment",
        )
    if len(comment) > 5000:
        raise CommsError(
            _("The comment can have at most 5000 characters."), field="comment"
        )
    participant.state = state
    participant.comment = comment
    participant.responded_at = timezone.now()
    participant.save(update_fields=["state", "comment", "responded_at"])
    if state == Participant.State.DISPUTED:
        _announce_dispute(participant, comment)
    return participant


def _announce_dispute(participant: Participant, comment: str) -> None:
    record = participant.record
    author = record.created_by_id or record.project.manager_id
    events.publish(
        events.Kind.MINUTES_DISPUTED,
        record,
        actor=participant.user_id,
        recipients=[author],
        project=record.project_id,
        data={
            "title": record.subject,
            "participant": str(participant),
            "excerpt": comment[:200],
        },
    )


# --- e-mail import -------------------------------------------------------------------


def _eml_error(reason: str) -> CommsError:
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than %(size)s MB.")
        % {"size": eml.MAX_BYTES // (1024 * 1024)},
        "no_headers": _(
            "This file is not an e-mail message (.eml): it has no sender, subject or "
            "date. Save the e-mail from your mail program as .eml and upload that."
        ),
    }
    return CommsError(messages.get(reason, messages["no_headers"]), field="file")


def _matching_people(
    project: Project, addresses: Sequence[str]
) -> tuple[list[User], list[Contact]]:
    """Team members and contacts of the project's client with one of ``addresses``."""
    if not addresses:
        return [], []
    by_address = Q()
    for address in addresses[:200]:
        by_address |= Q(email__iexact=address)
    users = list(
        User.objects.filter(by_address, memberships__project=project)
        .distinct()
        .order_by("pk")
    )
    contacts = list(
        Contact.objects.filter(by_address, client_id=project.client_id).order_by("pk")
    )
    return users, contacts


def create_record_from_eml(project: Project, data: bytes, *, user: User) -> CommRecord:
    """An e-mail record in ``project`` from the bytes of an ``.eml`` file: subject, from,
    to, date and body, with senders and recipients who are team members or contacts of
    the client as participants, and the e-mail's attachments attached as documents.
    Attachments the documents' checks refuse (programs, unknown types) are left out;
    the reasons are in the returned record's ``skipped_attachments``. Raises
    ``CommsError`` (nothing saved) for a file that is not an e-mail."""
    try:
        parsed = eml.parse_eml(data)
    except eml.NotAnEmail as error:
        raise _eml_error(error.reason) from error
    occurred_at = parsed.date or timezone.now()
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    subject = parsed.subject or _("(no subject)")
    record = CommRecord(
        project=project,
        kind=CommRecord.Kind.EMAIL,
        occurred_at=occurred_at,
        subject=subject[:300],
        minutes=parsed.body[:100000],
        email_from=eml.display_address(*parsed.sender)[:500],
        email_to=", ".join(eml.display_address(*r) for r in parsed.recipients)[:5000],
    )
    users, contacts = _matching_people(project, parsed.addresses)
    files, skipped = _eml_files(parsed.attachments)
    record = create_record(
        record,
        user=user,
        participant_users=users,
        participant_contacts=contacts,
        files=files,
    )
    record.skipped_attachments = skipped  # type: ignore[attr-defined]
    return record


def _eml_files(attachments: list[tuple[str, bytes]]) -> tuple[list[Any], list[str]]:
    """The e-mail's attachments that pass the documents' checks, as files to attach, and
    the reasons the others were left out (a program, an unknown type…)."""
    files: list[Any] = []
    skipped: list[str] = []
    for name, data in attachments:
        upload = ContentFile(data, name=name)
        try:
            documents.inspect_upload(upload)
        except documents.DocumentError as error:
            skipped.append(error.message)
        else:
            files.append(upload)
    return files, skipped


# --- client portal threads ------------------------------------------------------------


def _message_text(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise CommsError(_("Write a message."), field="body")
    if len(text) > Message.MAX_LENGTH:
        raise CommsError(
            _("A message can have at most %(count)s characters.")
            % {"count": Message.MAX_LENGTH},
            field="body",
        )
    return text


def _check_client_contact(project: Project, contact: Contact | None) -> Contact:
    if contact is None or contact.client_id != project.client_id:
        raise CommsError(
            _("Only a contact of the project's client can write in its portal."),
            field="contact",
        )
    return contact


def _attach_to_message(
    message: Message, files: Sequence[Any], user: User | None
) -> list[Document]:
    """Store ``files`` as documents of the thread's project, shared with the client (in
    the "Minutes" folder), and attach them to ``message``. Raises ``CommsError`` (field
    ``files``) for a refused file; nothing is stored then."""
    if not files:
        return []
    project = message.record.project
    try:
        attached = documents.upload_documents(
            project,
            list(files),
            user=user if user is not None and user.pk else None,
            folder=documents.template_folder(project, ATTACHMENT_FOLDER),
            visibility=Document.Visibility.SHARED,
            note=_("Sent with a message of “%(subject)s”")
            % {"subject": message.record.subject},
        )
    except documents.DocumentError as error:
        raise CommsError(error.message, field="files") from error
    message.attachments.add(*attached)
    return attached


def _add_message(
    record: CommRecord,
    *,
    user: User | None,
    contact: Contact | None,
    body: str,
    files: Sequence[Any],
) -> tuple[Message, list[Document]]:
    """The message and its stored files; the record's search text and ``updated_at``
    follow (its version does not: a message is not an edit of the record)."""
    message = Message.objects.create(
        record=record, author_user=user, author_contact=contact, body=body
    )
    attached = _attach_to_message(message, files, user)
    CommRecord.objects.filter(pk=record.pk).update(
        search_text=search_text(record), updated_at=timezone.now()
    )
    return message, attached


def _announce_client_message(record: CommRecord, message: Message) -> None:
    """Tell the project manager and the staff who take part in the thread that the
    client wrote (``message.received``)."""
    assert message.author_contact is not None
    staff = Participant.objects.filter(record=record, user__isnull=False).values_list(
        "user_id", flat=True
    )
    events.publish(
        events.Kind.MESSAGE_RECEIVED,
        record,
        recipients=[record.project.manager_id, *staff],
        project=record.project_id,
        data={
            "title": record.subject,
            "contact": message.author_contact.name,
            "message_id": message.pk,
            "excerpt": message.body[:200],
        },
        key=f"message.received:{message.pk}",
    )


def start_portal_thread(
    project: Project,
    contact: Contact,
    subject: str,
    body: str,
    files: Sequence[Any] = (),
) -> CommRecord:
    """A new conversation of ``contact`` with the project team from the client portal:
    a record of kind ``portal`` (now, the contact as its participant, subject cut to
    one line) whose first message is ``body`` with ``files`` (documents of the project,
    shared with the client). The project manager is told (``message.received``).

    All or nothing: raises ``CommsError`` (nothing saved, no file kept) for an empty
    subject or message, a message over 10,000 characters, a contact of another client
    or a refused file. The caller (the portal) checks that the contact may see the
    project."""
    subject = " ".join((subject or "").split())
    if not subject:
        raise CommsError(_("Enter a subject."), field="subject")
    if len(subject) > 300:
        raise CommsError(
            _("The subject can have at most 300 characters."), field="subject"
        )
    text = _message_text(body)
    _check_client_contact(project, contact)
    attached: list[Document] = []
    try:
        with transaction.atomic():
            record = CommRecord(
                project=project,
                kind=CommRecord.Kind.PORTAL,
                occurred_at=timezone.now(),
                subject=subject,
            )
            record.search_text = search_text(record)
            record.save()
            _set_participants(record, [], [contact])
            message, attached = _add_message(
                record, user=None, contact=contact, body=text, files=files
            )
            _announce_client_message(record, message)
    except BaseException:
        documents.discard_files(attached)
        raise
    record.search_text = search_text(record)
    return record


def post_message(
    record: CommRecord,
    *,
    user: User | None = None,
    contact: Contact | None = None,
    body: str,
    files: Sequence[Any] = (),
) -> Message:
    """A reply in a portal thread: by a staff member (``user``, whom the caller allowed
    to change the record) or by a client contact (``contact``), exactly one of them.

    A contact of the project's client who is not yet a participant becomes one; so
    does a staff member on the project team. A client's reply tells the project manager
    and the staff taking part (``message.received``); a staff reply tells nobody (the
    portal shows it to the client). Raises ``CommsError`` (nothing saved, no file kept)
    for a record that is not a portal thread, an empty or too long message, a contact
    of another client or a refused file; ``ValueError`` unless exactly one author."""
    if (user is None) == (contact is None):
        raise ValueError("A message has exactly one author: a user or a contact.")
    if record.kind != CommRecord.Kind.PORTAL:
        raise CommsError(
            _("Only client portal conversations have messages."), field="body"
        )
    text = _message_text(body)
    project = record.project
    if contact is not None:
        _check_client_contact(project, contact)
    attached: list[Document] = []
    try:
        with transaction.atomic():
            _join_thread(record, user=user, contact=contact)
            message, attached = _add_message(
                record, user=user, contact=contact, body=text, files=files
            )
            if contact is not None:
                _announce_client_message(record, message)
    except BaseException:
        documents.discard_files(attached)
        raise
    return message


def _join_thread(
    record: CommRecord, *, user: User | None, contact: Contact | None
) -> None:
    """The author takes part in the thread: a contact always, staff if on the team."""
    if contact is not None:
        Participant.objects.get_or_create(record=record, contact=contact)
    elif user is not None and user.pk in _team_user_ids(record.project):
        Participant.objects.get_or_create(record=record, user=user)
