"""What Clientfolio holds about one client contact, handing it over, and erasing it
(China's PIPL, articles 45 and 47; GDPR articles 15, 17 and 20).

The subject is a client contact together with their portal login, if they have one.
What is held about them is found from the models themselves: every relation of every
installed model that points at the contact or at their login (``holdings``), so a model
added later is exported and counted without being listed here. Historical rows are the
exception: the contact's and the login's own change history are exported as such, the
history of other records is not (it repeats the records).

Erasure anonymises instead of deleting. Minutes the contact confirmed, acceptances they
signed, change requests they decided, feedback and survey scores are the firm's
business records and stay, pointing at the same contact row, which now carries a
pseudonym and ``erased_at`` (pages show it as erased). What only identifies or reaches
the person goes: name, title, phone, e-mail, WeChat and notes (also in the contact's
change history), the portal login's name, addresses and password (it can no longer sign
in), its API keys, calendar feeds, notifications and preferences, pending invitations
and sign-in links, the IP addresses of their downloads and their failed logins.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clientfolio.clients import services as client_services
from clientfolio.clients.models import Client, Contact
from clientfolio.core.models import User
from clientfolio.ops.models import PersonalDataRecord

__all__ = [
    "FORMAT",
    "AlreadyErased",
    "Holding",
    "apply_retention",
    "erase",
    "export",
    "export_bytes",
    "holdings",
    "pseudonym",
    "retention_days",
    "retention_due",
]

FORMAT = "clientfolio-personal-data/1"
# Fields never exported: what signs someone in or signs a link.
SECRET_FIELD = re.compile(r"password|digest|token|secret|fingerprint|(^|_)key$", re.I)
# What an erasure blanks on the contact and on its change history.
CONTACT_FIELDS = ("title", "phone", "email", "wechat", "notes")
# Models whose rows about the login exist only to reach or sign in the person: an
# erasure deletes them (label -> field naming the user or the contact).
DELETED_ON_ERASURE = {
    "core.apitoken": "user",
    "schedule.feedtoken": "user",
    "notifications.notification": "user",
    "notifications.preference": "user",
    "notifications.notificationsettings": "user",
    "notifications.follow": "user",
    "portal.invitation": "contact",
    "portal.signinlink": "contact",
}


class AlreadyErased(Exception):
    """The contact's data was erased before."""


@dataclass(frozen=True)
class Holding:
    """One relation that points at the subject: a model and the field that does."""

    model: type[Model]
    field: str
    many: bool
    subject: str  # "contact" or "user"

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> str:
        meta = self.model._meta
        field = meta.get_field(self.field)
        return (
            f"{meta.verbose_name_plural} ({getattr(field, 'verbose_name', self.field)})"
        )

    def rows(self, contact: Contact, user: User | None) -> QuerySet[Any]:
        target: Any = contact if self.subject == "contact" else user
        if target is None:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(**{self.field: target})


def _is_historical(model: type[Model]) -> bool:
    return hasattr(model, "instance_type")  # django-simple-history's HistoricalX


def holdings() -> list[Holding]:
    """Every relation of every installed model to a contact or to a login, except the
    contact's own row and historical models; sorted by model label and field."""
    found = []
    for model in apps.get_models():
        if _is_historical(model) or model in (Contact, PersonalDataRecord):
            continue  # the row itself, and the log of requests (no personal data)
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete):
                continue
            if field.related_model is Contact:
                subject = "contact"
            elif field.related_model is User:
                subject = "user"
            else:
                continue
            found.append(Holding(model, field.name, bool(field.many_to_many), subject))
    return sorted(found, key=lambda h: (h.label, h.field))


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat()
            if timezone.is_aware(value)
            else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _row(obj: Model, skip: str | None = None) -> dict[str, Any]:
    """A row's fields as JSON values: relations as their id and their name, secrets
    left out, and the relation to the subject itself (``skip``) left out."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if SECRET_FIELD.search(field.name) or field.name == skip:
            continue
        if field.is_relation:
            pk = getattr(obj, field.attname)
            related = getattr(obj, field.name) if pk is not None else None
            data[field.name] = (
                None if related is None else {"id": pk, "name": str(related)}
            )
        else:
            data[field.name] = _value(getattr(obj, field.attname))
    return data


def _labels(model: type[Model]) -> dict[str, str]:
    return {
        f.name: str(getattr(f, "verbose_name", f.name))
        for f in model._meta.concrete_fields
        if not SECRET_FIELD.search(f.name)
    }


def _history(model: type[Model], pk: int) -> list[dict[str, Any]]:
    """The change history of one row: when, by whom, what kind of change, the fields."""
    history = getattr(model, "history", None)
    if history is None:
        return []
    rows = []
    for entry in history.model.objects.filter(id=pk).select_related("history_user"):
        row = {
            "history_date": _value(entry.history_date),
            "history_type": {"+": "created", "~": "changed", "-": "deleted"}.get(
                entry.history_type, entry.history_type
            ),
            "history_user": str(entry.history_user) if entry.history_user else None,
        }
        for field in model._meta.concrete_fields:
            if field.is_relation or SECRET_FIELD.search(field.name):
                continue
            if hasattr(entry, field.attname):
                row[field.name] = _value(getattr(entry, field.attname))
        rows.append(row)
    return rows


def _login_attempts(user: User) -> list[dict[str, Any]]:
    """django-axes' records of the login's sign-ins and failed attempts."""
    found = []
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for obj in model._default_manager.filter(username=user.username):
            found.append({"kind": model._meta.model_name, **_row(obj)})
    return found


def export(contact: Contact, *, now: datetime) -> dict[str, Any]:
    """Everything held about the contact (and their portal login), as JSON data in the
    active language's labels."""
    contact = Contact.objects.select_related("client", "portal_user").get(pk=contact.pk)
    user = contact.portal_user
    sections = []
    for holding in holdings():
        queryset = holding.rows(contact, user)
        if not holding.many:
            queryset = queryset.select_related(
                *[
                    f.name
                    for f in holding.model._meta.concrete_fields
                    if f.is_relation and f.name != holding.field
                ]
            )
        rows = [
            _row(obj, skip=None if holding.many else holding.field) for obj in queryset
        ]
        if rows:
            sections.append(
                {
                    "kind": holding.label,
                    "relation": holding.field,
                    "title": holding.title,
                    "fields": _labels(holding.model),
                    "rows": rows,
                }
            )
    events = [
        _row(obj)
        for obj in apps.get_model("core", "Event")
        .objects.filter(target_type="clients.contact", target_id=contact.pk)
        .select_related("actor")
    ]
    account = None
    if user is not None:
        account = {
            **_row(user),
            "change_history": _history(User, user.pk),
            "login_attempts": _login_attempts(user),
        }
    return {
        "format": FORMAT,
        "generated_at": _value(now),
        "language": translation.get_language(),
        "about": gettext(
            "Everything Clientfolio holds about this person: their contact record and "
            "its change history, their portal login, and every record that names them."
        ),
        "contact": {
            **_row(contact, skip="portal_user"),
            "change_history": _history(Contact, contact.pk),
            "events": events,
        },
        "contact_fields": _labels(Contact),
        "portal_account": account,
        "records": sections,
    }


def export_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def _summary(contact: Contact, user: User | None) -> dict[str, int]:
    counts = {}
    for holding in holdings():
        count = holding.rows(contact, user).count()
        if count:
            counts[f"{holding.label}.{holding.field}"] = count
    return counts


def record_export(
    contact: Contact, *, actor: User, reason: str, now: datetime
) -> tuple[bytes, PersonalDataRecord]:
    """The export as a file's bytes, and the record that it was handed over."""
    data = export(contact, now=now)
    payload = export_bytes(data)
    record = PersonalDataRecord.objects.create(
        kind=PersonalDataRecord.Kind.EXPORT,
        contact=contact,
        contact_ref=contact.pk,
        client_ref=contact.client_id,
        actor=actor,
        at=now,
        reason=reason[:300],
        summary={
            s["kind"] + "." + s["relation"]: len(s["rows"]) for s in data["records"]
        },
        sha256=hashlib.sha256(payload).hexdigest(),
    )
    return payload, record


def pseudonym(pk: int) -> str:
    """The name an erased contact keeps, in the firm's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Erased contact #%(number)s") % {"number": pk}


def _scrub_user(user: User) -> None:
    old_username = user.username
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = user.phone = ""
    user.is_active = False
    user.set_unusable_password()  # also ends every session (their hash changes)
    user.version += 1
    user.save()
    User.history.model.objects.filter(id=user.pk).update(
        username=user.username, first_name="", last_name="", email="", phone=""
    )
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        try:
            apps.get_model(label)._default_manager.filter(
                username=old_username
            ).delete()
        except LookupError:
            continue
    apps.get_model("documents", "DownloadLog").objects.filter(user=user).update(ip=None)


def erase(
    contact: Contact,
    *,
    actor: User | None,
    reason: str,
    now: datetime,
    kind: str = PersonalDataRecord.Kind.ERASURE,
) -> PersonalDataRecord:
    """Anonymise the contact and their login in one transaction (see the module's
    docstring for what goes and what stays); returns the record of it."""
    with transaction.atomic():
        # Locked alone: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join a select_related of the login would add.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.erased_at is not None:
            raise AlreadyErased
        user = contact.portal_user
        kept = _summary(contact, user)
        deleted: dict[str, int] = {}
        for label, field in DELETED_ON_ERASURE.items():
            target = contact if field == "contact" else user
            if target is None:
                continue
            count, _by_model = (
                apps.get_model(label)
                ._default_manager.filter(**{field: target})
                .delete()
            )
            if count:
                deleted[label] = count
        name = pseudonym(contact.pk)
        blank = dict.fromkeys(CONTACT_FIELDS, "")
        Contact.objects.filter(pk=contact.pk).update(
            name=name, erased_at=now, version=F("version") + 1, **blank
        )
        Contact.history.model.objects.filter(id=contact.pk).update(name=name, **blank)
        client_services.refresh_derived([contact.client_id])  # the search text
        if user is not None:
            _scrub_user(user)
        return PersonalDataRecord.objects.create(
            kind=kind,
            contact=contact,
            contact_ref=contact.pk,
            client_ref=contact.client_id,
            actor=actor,
            at=now,
            reason=reason[:300],
            summary={
                "deleted": deleted,
                "kept": kept,
                "login": user is not None,
            },
        )


def retention_days() -> int:
    """Days a lost client's contacts are kept after the client last changed; 0 keeps
    them until someone asks."""
    return max(0, int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 0) or 0))


def retention_due(now: datetime, days: int | None = None) -> QuerySet[Contact]:
    """Contacts of clients that are lost and unchanged for the retention period."""
    days = retention_days() if days is None else days
    if days <= 0:
        return Contact.objects.none()
    return Contact.objects.filter(
        erased_at__isnull=True,
        client__status=Client.Status.LOST,
        client__updated_at__lt=now - timedelta(days=days),
    ).order_by("pk")


def _due_ids(now: datetime) -> Iterator[int]:
    yield from retention_due(now).values_list("pk", flat=True).iterator()


RETENTION_REASON = _("The client has been lost for longer than the retention period.")


def apply_retention(now: datetime) -> int:
    """Erase the contacts the retention rule has come to; returns how many."""
    done = 0
    for pk in list(_due_ids(now)):
        with translation.override(settings.LANGUAGE_CODE):
            reason = str(RETENTION_REASON)
        try:
            erase(
                Contact.objects.get(pk=pk),
                actor=None,
                reason=reason,
                now=now,
                kind=PersonalDataRecord.Kind.RETENTION,
            )
        except (AlreadyErased, Contact.DoesNotExist):
            continue
        done += 1
    return done
