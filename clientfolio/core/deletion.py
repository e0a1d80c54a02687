"""Deletion that never takes a signed record of the client with it.

A client's acceptance, a confirmation of minutes or a decision on a change request is
evidence: deleting something else (a deliverable, a milestone, a contact, a record) must
not delete it. The foreign keys that point from such records use ``PROTECT`` or
``ProtectSigned`` below, and a refused deletion is reported the same way on every path:
``refusal_message`` for pages, ``refusal_payload`` for the API (409).

The message names the *kinds* of records that hold the object, never the records
themselves: those may be outside the caller's scope.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.db.models.deletion import CASCADE, ProtectedError, RestrictedError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

__all__ = [
    "REFUSALS",
    "ProtectSigned",
    "blocking_kinds",
    "refusal_message",
    "refusal_payload",
]

Refusal = ProtectedError | RestrictedError
# What a deletion raises when records hold the object: ``except REFUSALS as error``.
REFUSALS = (ProtectedError, RestrictedError)


@deconstructible(path="clientfolio.core.deletion.ProtectSigned")
class ProtectSigned:
    """``on_delete`` that refuses the deletion while any related row matches the
    lookups (the signed ones, e.g. ``contact__isnull=False`` and a response), and
    cascades to the others, like ``CASCADE``."""

    def __init__(self, **lookups: object) -> None:
        self.lookups = lookups

    def __call__(self, collector, field, sub_objs, using) -> None:
        signed = set(sub_objs.filter(Q(**self.lookups))[:100])
        if signed:
            raise ProtectedError(
                f"Cannot delete some instances of model "
                f"{field.remote_field.model.__name__!r} because signed "
                f"{field.model.__name__!r} rows refer to them",
                signed,
            )
        CASCADE(collector, field, sub_objs, using)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProtectSigned) and other.lookups == self.lookups

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.lookups)))


def _blocking_objects(error: Refusal) -> Iterable[models.Model]:
    if isinstance(error, ProtectedError):
        return error.protected_objects
    return error.restricted_objects


def blocking_kinds(error: Refusal) -> list[tuple[str, str]]:
    """The kinds of records that hold the object: ``(app_label.model, plural name)``
    pairs, sorted, each once. Records are named by kind only (see the module)."""
    kinds: dict[str, str] = {}
    for obj in _blocking_objects(error):
        meta = obj._meta
        kinds.setdefault(meta.label_lower, str(meta.verbose_name_plural))
    return sorted(kinds.items(), key=lambda item: item[1])


def refusal_message(error: Refusal, obj: object | None = None) -> str:
    """ "… cannot be deleted: client acceptances refer to it.", in the user's language."""
    names = pgettext("list separator", ", ").join(
        name for _label, name in blocking_kinds(error)
    )
    if obj is None:
        return _("This record cannot be deleted: %(kinds)s refer to it.") % {
            "kinds": names
        }
    return _("“%(name)s” cannot be deleted: %(kinds)s refer to it.") % {
        "name": obj,
        "kinds": names,
    }


def refusal_payload(error: Refusal) -> dict[str, object]:
    """The body of the API's 409: a message and the kinds of blocking records."""
    return {
        "detail": refusal_message(error),
        "blocked_by": [
            {"kind": label, "name": name} for label, name in blocking_kinds(error)
        ],
    }
