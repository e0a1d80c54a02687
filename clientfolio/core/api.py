"""API building blocks: versioned serializers and viewsets scoped by the permission layer.

Object permissions of writes live in one place, ``ScopedViewSet.perform_create`` and
``perform_update`` (as NetBox's ``BaseViewSet`` does): the record the request would write is
built from the validated body and checked with ``can(user, action, record)``, and every
record it points to must be in the user's scope, all inside the transaction of the write,
before anything is saved. Serializers check the shape of the input, no more.
"""

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, viewsets

from clientfolio.core.permissions import (
    Action,
    can,
    governs,
    is_project_record,
    scope,
)

__all__ = ["ScopedViewSet", "VersionedSerializer", "check_write"]


class VersionedSerializer(serializers.ModelSerializer):
    """Exposes ``version``; an update must send the version it was based on."""

    version = serializers.IntegerField(
        required=False,
        help_text="The version this update is based on; required for updates. "
        "A stale version is answered with 409.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": _("This field is required.")})
        return super().validate(attrs)


def _checks_scope(field: Any) -> bool:
    """Whether the serializer field already limits its ids to the user's scope."""
    field = getattr(field, "child_relation", field)
    return bool(getattr(field, "checks_scope", False))


def _does_not_exist(name: str, pk: Any) -> exceptions.ValidationError:
    message = serializers.PrimaryKeyRelatedField.default_error_messages[
        "does_not_exist"
    ]
    return exceptions.ValidationError({name: [str(message).format(pk_value=pk)]})


def _candidate(serializer: serializers.BaseSerializer) -> tuple[models.Model, dict]:
    """The record the serializer would write (not saved), and the records of the body
    it points to, by field name."""
    model = serializer.Meta.model  # type: ignore[attr-defined]
    instance = serializer.instance
    candidate = copy.copy(instance) if instance is not None else model()
    related: dict[str, list[models.Model]] = {}
    fields = getattr(serializer, "fields", {})
    for name, value in serializer.validated_data.items():  # type: ignore[union-attr]
        values = value if isinstance(value, (list, tuple)) else [value]
        records = [v for v in values if isinstance(v, models.Model)]
        if records and not _checks_scope(fields.get(name)):
            related[name] = records
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            setattr(candidate, field.name, value)
    return candidate, related


def check_write(user: Any, serializer: serializers.BaseSerializer, action: Action):
    """Refuse a write the permission layer does not allow: a record named in the body
    that is outside the user's scope does not exist (400, as for an unknown id); a write
    the user's role does not allow is 403."""
    candidate, related = _candidate(serializer)
    for name, records in related.items():
        for record in records:
            if governs(record) and not (
                scope(user, type(record)._default_manager.filter(pk=record.pk)).exists()
            ):
                raise _does_not_exist(name, record.pk)
    if not can(user, action, candidate):
        if is_project_record(candidate):
            raise exceptions.PermissionDenied(
                _("Your project role does not allow this change.")
            )
        raise exceptions.PermissionDenied


class ScopedViewSet(viewsets.ModelViewSet):
    """A model viewset whose rows come through the permission layer (404 outside scope)
    and whose writes are checked against it before anything is saved."""

    def get_queryset(self):
        return scope(self.request.user, super().get_queryset())

    def perform_create(self, serializer):
        with transaction.atomic():
            check_write(self.request.user, serializer, Action.ADD)
            serializer.save()

    def perform_update(self, serializer):
        with transaction.atomic():
            check_write(self.request.user, serializer, Action.CHANGE)
            serializer.save()
