"""Every write to the client library. Pages, the API, imports and the demo data call these.

Each function runs in one transaction, checks ``version`` on updates (raising
``StaleVersion``), keeps the derived search and sort columns and the computed tier up to date,
and leaves history to django-simple-history.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from pypinyin import lazy_pinyin

from clientfolio.clients import segmentation
from clientfolio.clients.models import (
    Client,
    Contact,
    Feedback,
    ImportPreset,
    Payment,
    Requirement,
)
from clientfolio.clients.querysets import normalise_query
from clientfolio.core import events
from clientfolio.core.locking import save_versioned
from clientfolio.core.models import Tag
from clientfolio.core.money import MissingRate, Money

__all__ = [
    "archive_client",
    "create_client",
    "delete_record",
    "purge_client",
    "recompute_tiers",
    "refresh_derived",
    "restore_client",
    "save_record",
    "set_tags",
    "sort_key",
    "submit_feedback",
    "submit_requirement",
    "tier_thresholds",
    "update_client",
]


def sort_key(name: str) -> str:
    """A key that sorts Chinese names by pinyin among Latin ones (阿里 < Baidu < 腾讯)."""
    return " ".join(lazy_pinyin(name.strip().lower()))[:400]


def search_text(name: str, contacts: Iterable[tuple[str, str, str]]) -> str:
    parts = [name]
    for contact_name, phone, email in contacts:
        parts.extend((contact_name, phone, email))
        if phone:
            parts.append("".join(ch for ch in phone if ch.isdigit()))
    return normalise_query(" | ".join(p for p in parts if p))


def refresh_derived(client_ids: Iterable[int]) -> None:
    """Recompute the search text and sort key of the given clients in two queries."""
    ids = list(client_ids)
    if not ids:
        return
    contacts: dict[int, list[tuple[str, str, str]]] = {pk: [] for pk in ids}
    for row in Contact.objects.filter(client_id__in=ids).values_list(
        "client_id", "name", "phone", "email"
    ):
        contacts[row[0]].append(row[1:])
    clients = list(Client.objects.filter(pk__in=ids).only("id", "name"))
    for client in clients:
        client.search_text = search_text(client.name, contacts[client.pk])
        client.name_sort = sort_key(client.name)
    Client.objects.bulk_update(clients, ["search_text", "name_sort"], batch_size=500)


def set_tags(client: Client, names: Iterable[str]) -> None:
    """Give the client exactly these tags, creating unknown ones."""
    wanted = {n.strip()[:40] for n in names if n and n.strip()}
    existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    missing = [Tag(name=n) for n in wanted - existing.keys()]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    client.tags.set(existing.values())


@transaction.atomic
def create_client(
    client: Client, *, tags: Iterable[str] = (), contacts: Iterable[Contact] = ()
) -> Client:
    """Save a new client with its tags and contacts; the first contact becomes primary
    when none is marked."""
    client.save()
    set_tags(client, tags)
    contacts = list(contacts)
    if contacts and not any(c.is_primary for c in contacts):
        contacts[0].is_primary = True
    seen_primary = False
    for contact in contacts:
        contact.client = client
        contact.is_primary = contact.is_primary and not seen_primary
        seen_primary = seen_primary or contact.is_primary
        contact.save()
    refresh_derived([client.pk])
    client.refresh_from_db(fields=["search_text", "name_sort"])
    return client


@transaction.atomic
def update_client(client: Client, expected_version: int | None, tags=None) -> Client:
    """Save edits to a client if nobody saved it since ``expected_version``."""
    save_versioned(client, expected_version)
    if tags is not None:
        set_tags(client, tags)
    refresh_derived([client.pk])
    return client


@transaction.atomic
def archive_client(client: Client) -> Client:
    """Hide the client from lists; everything is kept and can be restored."""
    client.archived_at = timezone.now()
    return save_versioned(client, client.version)


@transaction.atomic
def restore_client(client: Client) -> Client:
    client.archived_at = None
    return save_versioned(client, client.version)


@transaction.atomic
def purge_client(client: Client) -> None:
    """Destroy an archived client and everything that belongs to it. Admins only."""
    if client.archived_at is None:
        raise ValueError("only archived clients can be purged")
    client.delete()


def _client_id_of(instance: models.Model) -> int | None:
    if isinstance(instance, Payment):
        return instance.contract.client_id
    return getattr(instance, "client_id", None)


@transaction.atomic
def save_record(
    instance: models.Model, expected_version: int | None = None
) -> models.Model:
    """Create or update a contact, requirement, contract, payment, feedback or follow-up.

    Keeps one primary contact per client, the client's search text (contacts) and its tier
    (payments). Raises ``StaleVersion`` when an update is based on an old version.
    """
    if isinstance(instance, Contact) and instance.is_primary:
        Contact.objects.filter(client_id=instance.client_id, is_primary=True).exclude(
            pk=instance.pk
        ).update(is_primary=False)
    if instance.pk is None:
        instance.save()
    else:
        save_versioned(instance, expected_version)
    _after_change(instance)
    return instance


@transaction.atomic
def delete_record(instance: models.Model) -> None:
    """Delete a record of a client (history keeps what it was)."""
    instance.delete()
    _after_change(instance)


# --- what a client contact sends from the portal ------------------------------------


def _tell_account_manager(kind: events.Kind, record: models.Model, contact) -> None:
    """Tell the client's account manager (``Client.owner``; nobody when the client has
    none) that ``contact`` sent ``record``."""
    owner_id = contact.client.owner_id
    events.publish(
        kind,
        record,
        actor=contact.portal_user_id,
        recipients=[owner_id] if owner_id else [],
        data={
            "title": str(record),
            "client": contact.client.name,
            "contact": contact.name,
        },
    )


@transaction.atomic
def submit_feedback(
    contact: Contact,
    *,
    kind: str,
    subject: str,
    detail: str = "",
    severity: str = Feedback.Severity.LOW,
    today: date | None = None,
) -> Feedback:
    """Record praise, a suggestion or a complaint that ``contact`` sent through the client
    portal (channel "portal", received ``today``); the severity counts for complaints only
    (others are "low"). The account manager is told (``feedback.received``). Raises
    ``ValidationError`` (by field) for a bad kind, severity or text; nothing is saved."""
    if kind != Feedback.Kind.COMPLAINT:
        severity = Feedback.Severity.LOW
    feedback = Feedback(
        client_id=contact.client_id,
        contact=contact,
        kind=kind,
        severity=severity,
        channel=Feedback.Channel.PORTAL,
        received_on=today or timezone.localdate(),
        subject=(subject or "").strip(),
        detail=(detail or "").strip(),
    )
    feedback.full_clean(exclude=["client", "contact"])
    feedback.save()
    _tell_account_manager(events.Kind.FEEDBACK_RECEIVED, feedback, contact)
    return feedback


@transaction.atomic
def submit_requirement(
    contact: Contact,
    *,
    title: str,
    description: str = "",
    wanted_by: date | None = None,
) -> Requirement:
    """Record a new requirement that ``contact`` asked for in the client portal: open,
    of medium priority until the team weighs it, ``submitted_by`` the contact. The
    account manager is told (``requirement.submitted``). Raises ``ValidationError`` (by
    field) for bad text or an absurd date; nothing is saved."""
    requirement = Requirement(
        client_id=contact.client_id,
        submitted_by=contact,
        title=(title or "").strip(),
        description=(description or "").strip(),
        wanted_by=wanted_by,
    )
    requirement.full_clean(exclude=["client", "submitted_by"])
    requirement.save()
    _tell_account_manager(events.Kind.REQUIREMENT_SUBMITTED, requirement, contact)
    return requirement


def finance_app() -> Any:
    """Finance's app config (``FinanceConfig``): finance builds on the client library,
    so the invoices and exchange rates a payment touches are reached at run time
    rather than imported."""
    return apps.get_app_config("finance")


def _after_change(instance: models.Model) -> None:
    client_id = _client_id_of(instance)
    if client_id is None:
        return
    if isinstance(instance, Contact):
        refresh_derived([client_id])
    if isinstance(instance, Payment):
        if instance.invoice_id is not None:
            # The invoice's received amount and status follow its payments.
            finance_app().sync_paid([instance.invoice_id])
        recompute_tiers([client_id])


def tier_thresholds() -> segmentation.TierThresholds:
    return segmentation.TierThresholds(
        a_min=Decimal(settings.CLIENT_TIER_A_MIN),
        b_min=Decimal(settings.CLIENT_TIER_B_MIN),
    )


def recompute_tiers(
    client_ids: Iterable[int] | None = None, today: date | None = None
) -> int:
    """Recompute the computed tier from payments of the trailing twelve months.

    Payments in other currencies are converted to the default currency through the
    finance exchange-rate table at ``today``; a currency without a rate is left out
    (and counts again once a rate is entered). ``client_ids=None`` recomputes every
    client. Returns how many tiers changed.
    """
    today = today or timezone.localdate()
    start = segmentation.trailing_window_start(today)
    clients = Client.objects.all()
    if client_ids is not None:
        clients = clients.filter(pk__in=list(client_ids))
    home = settings.DEFAULT_CURRENCY
    totals: dict[int, Decimal] = {}
    rates = None
    for row in (
        Payment.objects.filter(
            received_on__gte=start,
            received_on__lte=today,
            contract__client__in=clients,
        )
        .values("contract__client_id", "contract__currency")
        .annotate(total=models.Sum("amount"))
    ):
        amount, currency = row["total"], row["contract__currency"]
        if currency != home:
            rates = rates or finance_app().rate_table()
            try:
                amount = rates.convert(Money(amount, currency), home, today).amount
            except MissingRate:
                continue
        client_id = row["contract__client_id"]
        totals[client_id] = totals.get(client_id, Decimal(0)) + amount
    thresholds = tier_thresholds()
    changed = []
    for client in clients.only("id", "tier_computed").iterator(chunk_size=2000):
        tier = segmentation.tier_for(totals.get(client.pk, Decimal(0)), thresholds)
        if tier != client.tier_computed:
            client.tier_computed = tier
            changed.append(client)
    Client.objects.bulk_update(changed, ["tier_computed"], batch_size=500)
    return len(changed)


def save_import_preset(
    name: str, columns: dict[str, str | None], user: Any = None
) -> ImportPreset:
    """Save the column mapping ``columns`` (header → field key or ``None``) under
    ``name``: a new preset, or the one of that name replaced (its version bumped)."""
    with transaction.atomic():
        preset = ImportPreset.objects.select_for_update().filter(name=name).first()
        if preset is None:
            return ImportPreset.objects.create(
                name=name, columns=columns, created_by=user
            )
        preset.columns = columns
        return save_versioned(preset, preset.version)


def update_import_preset(
    preset: ImportPreset, expected_version: int | None
) -> ImportPreset:
    """Save the changes made to ``preset`` if nobody saved it since
    ``expected_version`` (else ``StaleVersion``)."""
    return save_versioned(preset, expected_version)
