"""Optimistic locking: an update names the version it was based on, or it is refused."""

from collections.abc import Iterable
from typing import TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

__all__ = ["StaleVersion", "save_versioned"]

M = TypeVar("M", bound=models.Model)


class StaleVersion(Exception):
    """Someone saved the record after the editor loaded it; nothing was written."""

    message = _(
        "Someone else changed this record while you were editing it. "
        "Nothing was saved: review their changes and apply yours again."
    )

    def __init__(self, current: models.Model | None) -> None:
        super().__init__(str(self.message))
        self.current = current


def save_versioned(
    instance: M, expected_version: int | None, *, fields: Iterable[str] | None = None
) -> M:
    """Save ``instance`` if the stored row still has ``expected_version``.

    The version check and the bump are one conditional UPDATE, so two concurrent editors
    can never both succeed; the full save that follows (inside the same transaction) writes
    the fields and the history record. Returns the instance with its new version; raises
    ``StaleVersion`` (carrying the current row) and writes nothing when the row moved on.
    """
    # ``_meta.model`` rather than ``type()``: a lazily loaded ``request.user`` is a
    # SimpleLazyObject whose type is not the model.
    model = instance._meta.model
    if expected_version is None:
        expected_version = instance.version  # type: ignore[attr-defined]
    with transaction.atomic():
        bumped = model._default_manager.filter(
            pk=instance.pk, version=expected_version
        ).update(version=F("version") + 1)
        if not bumped:
            raise StaleVersion(model._default_manager.filter(pk=instance.pk).first())
        instance.version = expected_version + 1  # type: ignore[attr-defined]
        update_fields = None if fields is None else [*fields, "version"]
        instance.save(update_fields=update_fields)
    return instance
