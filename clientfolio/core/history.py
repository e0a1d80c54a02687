"""Readable change history from django-simple-history: who changed which fields, old → new.

Built with a fixed number of queries: one per history table, plus one per related model
whose ids appear in the changes (resolved in bulk), whatever the number of records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Change", "Entry", "display_value", "entries_for"]

SKIPPED = {
    "version",
    "updated_at",
    "created_at",
    "search_text",
    "sent_digest",
    "name_sort",
    "id",
}
KIND_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    kind: str
    subject: str
    subject_type: str
    changes: list[Change] = field(default_factory=list)
    # Made by a client contact (in the client portal), not by the firm's staff.
    by_client: bool = False

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def display_value(
    model_field: models.Field, value: Any, related: dict | None = None
) -> str:
    """A value as a person reads it: choice labels, names of related rows, dates."""
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        if related is not None:
            target = related.get((model_field.related_model, value))
            if target is not None:
                return str(target)
        return f"#{value}"
    if isinstance(model_field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return formats.number_format(
            value, decimal_pos=2, use_l10n=True, force_grouping=True
        )
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED and not f.name.startswith("history_")
    ]


def _subject(model: type[models.Model], record: Any) -> str:
    # Built from the record's own columns: ``record.instance`` would fetch the fields the
    # history excludes (search_text, …) with one query per record.
    values = {
        f.attname: getattr(record, f.attname)
        for f in model._meta.concrete_fields
        if hasattr(record, f.attname)
    }
    return str(model(**values))


def entries_for(
    history_querysets: list[models.QuerySet], limit: int = 30
) -> list[Entry]:
    """The newest ``limit`` entries from the given history querysets, newest first.

    Each queryset is a ``Model.history`` queryset already filtered to the records of
    interest; consecutive records of one object are compared field by field.
    """
    rows: list[tuple[type[models.Model], Any]] = []
    for queryset in history_querysets:
        model = queryset.model.instance_type
        records = list(
            queryset.select_related("history_user").order_by("-history_date")[
                : limit * 2
            ]
        )
        rows.extend((model, record) for record in records)

    # Collect foreign keys to resolve in bulk.
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for model, record in rows:
        for f in _tracked_fields(model):
            if isinstance(f, models.ForeignKey) and not isinstance(
                f.related_model, str
            ):
                value = getattr(record, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
    related: dict = {}
    for related_model, ids in wanted.items():
        for pk, obj in related_model._default_manager.in_bulk(list(ids)).items():
            related[(related_model, pk)] = obj

    by_object: dict[tuple[type[models.Model], Any], list[Any]] = defaultdict(list)
    for model, record in rows:
        by_object[(model, record.id)].append(record)

    entries = []
    for (model, _pk), records in by_object.items():
        records.sort(key=lambda r: r.history_date)
        fields = _tracked_fields(model)
        for index, record in enumerate(records):
            previous = records[index - 1] if index else None
            changes = []
            if record.history_type == "~" and previous is not None:
                for f in fields:
                    if not hasattr(record, f.attname):  # excluded from the history
                        continue
                    old, new = getattr(previous, f.attname), getattr(record, f.attname)
                    if old != new:
                        changes.append(
                            Change(
                                str(f.verbose_name),
                                display_value(f, old, related),
                                display_value(f, new, related),
                            )
                        )
                if not changes:
                    continue
            user = record.history_user
            entries.append(
                Entry(
                    when=record.history_date,
                    who=str(user) if user else str(_("system")),
                    kind=record.history_type,
                    subject=_subject(model, record),
                    subject_type=str(model._meta.verbose_name),
                    changes=changes,
                    by_client=getattr(user, "role", None) == "client",
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
