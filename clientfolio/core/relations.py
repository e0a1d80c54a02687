"""The read side of relations: a relation is only as visible as its least visible end.

Links between records are refused across projects when they are made, but an import, an
administrator, or a record moved to another project can still leave one whose other end is
in a project the reader is not on. Pages, the API and exports show such an end as absent:
neither its id, its name nor a link to it (the lesson of OpenProject's CVE-2026-44736, a
relations API that checked one end only). Administrators see every end.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from clientfolio.core.permissions import OWN_RECORDS, Action, can, governs, scope

__all__ = ["hide_unseen", "only_seen", "visible_ids"]


def visible_ids(user: Any, model: type[models.Model], ids: Iterable[Any]) -> set[Any]:
    """Those of ``ids`` (of ``model``'s rows) that ``user`` may see: one query, none for
    an administrator or a model the permission layer does not govern."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted or not governs(model):
        return wanted
    base = model._base_manager.all()
    visible = scope(user, base)
    if visible is base:  # everything: an administrator
        return wanted
    return set(visible.filter(pk__in=wanted).values_list("pk", flat=True))


def hide_unseen(
    user: Any, rows: Iterable[models.Model], *fields: str, project: Any = None
) -> list[Any]:
    """Clear, on the loaded ``rows`` (for display only: never save them after), every
    foreign key of ``fields`` whose record ``user`` may not see. Returns the rows as a list.

    With ``project`` (the project of the page, which the reader is on), a related record
    loaded with ``select_related`` that is in that project needs no query when the
    reader's role there lets them see its kind; the others take one query per field."""
    rows = list(rows)
    for name in fields:
        if not rows:
            break
        field = rows[0]._meta.get_field(name)
        related: Any = field.related_model
        attname = field.attname  # type: ignore[union-attr]
        here = (
            project is not None
            and related._meta.label_lower not in OWN_RECORDS
            and can(user, Action.VIEW, related, project=project)
        )
        unsure = set()
        for row in rows:
            pk = getattr(row, attname)
            if pk is None:
                continue
            loaded = field.get_cached_value(row, None)  # type: ignore[union-attr]
            if here and getattr(loaded, "project_id", None) == project.pk:
                continue
            unsure.add(pk)
        seen = visible_ids(user, related, unsure)
        for row in rows:
            if getattr(row, attname) in unsure - seen:
                setattr(row, name, None)
    return rows


def only_seen(user: Any, records: Iterable[Any], *, project: Any = None) -> list[Any]:
    """Those of the loaded ``records`` (one model, say a prefetched many-to-many) that
    ``user`` may see, in order; with ``project`` as in ``hide_unseen``, the ones in that
    project need no query."""
    records = list(records)
    if not records:
        return records
    model = type(records[0])
    here = (
        project is not None
        and model._meta.label_lower not in OWN_RECORDS
        and can(user, Action.VIEW, model, project=project)
    )
    unsure = {
        record.pk
        for record in records
        if not (here and getattr(record, "project_id", None) == project.pk)
    }
    hidden = unsure - visible_ids(user, model, unsure)
    return [record for record in records if record.pk not in hidden]
