"""API building blocks: versioned serializers and viewsets scoped by the permission layer.

Object permissions of writes live in one place, ``ScopedGenericViewSet.perform_create``
and ``perform_update`` (as NetBox's ``BaseViewSet`` does): the record the request would write is
built from the validated body and checked with ``can(user, action, record)``, and every
record it points to must be in the user's scope, all inside the transaction of the write,
before anything is saved. Custom actions that write ask ``check_write`` of the same base.
Serializers check the shape of the input, no more.
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
    project_of,
    project_path,
    scope,
)

__all__ = [
    "ScopedGenericViewSet",
    "ScopedViewSet",
    "VersionedSerializer",
    "check_body",
    "check_record",
]


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


def _refused(record: models.Model, message: Any = None) -> exceptions.PermissionDenied:
    if message is None and is_project_record(record) and project_of(record):
        message = _("Your project role does not allow this change.")
    return exceptions.PermissionDenied(message)


def check_record(
    user: Any, action: Action, record: models.Model, message: Any = None
) -> None:
    """Refuse (403, with ``message`` if given) ``action`` on ``record``, saved or only
    built, unless the permission layer allows it."""
    if not can(user, action, record):
        raise _refused(record, message)


def _check_role_first(user: Any, action: Action, candidate, related: dict) -> None:
    """A write the user's project role refuses is 403 whatever records the body names,
    so the answer neither depends on nor reveals them. Only a project reached without
    those records is asked (the body's ``project`` is already limited to the scope)."""
    path = project_path(candidate)
    if path is None or path.split("__")[0] in related:
        return
    project = project_of(candidate)
    if project is not None and not can(user, action, type(candidate), project=project):
        raise _refused(candidate)


def check_body(user: Any, serializer: serializers.BaseSerializer, action: Action):
    """Refuse a create or update the permission layer does not allow: a write the user's
    role refuses is 403; a record named in the body that is outside the user's scope
    does not exist (400, as for an unknown id); then the record as it would be written
    must be allowed (403)."""
    candidate, related = _candidate(serializer)
    _check_role_first(user, action, candidate, related)
    for name, records in related.items():
        for record in records:
            if governs(record) and not (
                scope(user, type(record)._default_manager.filter(pk=record.pk)).exists()
            ):
                raise _does_not_exist(name, record.pk)
    check_record(user, action, candidate)


_ONE_RECORD = frozenset({"retrieve", "update", "partial_update", "destroy"})


class ScopedGenericViewSet(viewsets.GenericViewSet):
    """The base of every API viewset: rows come through the permission layer (404 outside
    scope), and creates and updates are checked against it inside the write's
    transaction, before anything is saved. Custom actions that write call
    ``check_write`` with the record they write.

    Put it first among the bases, before DRF's mixins, so that its ``perform_create``
    and ``perform_update`` are the ones that run (tests/core/test_api_base.py holds it).
    """

    def get_queryset(self):
        return scope(self.request.user, super().get_queryset())

    def filter_queryset(self, queryset):
        # One record by id with no query string: no filter could narrow it and the
        # ordering does not matter, so the filter backends' work (a FilterSet and its
        # form per request) is skipped. The permission layer's scope is in
        # ``get_queryset`` either way.
        if self.action in _ONE_RECORD and not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def check_write(
        self, action: Action, record: models.Model, message: Any = None
    ) -> None:
        """Refuse (403) ``action`` on ``record`` unless the permission layer allows it:
        the one check of a write that does not go through ``perform_create`` or
        ``perform_update`` (build the record first when it is new). ``message`` says
        who may, when the role's refusal would not."""
        check_record(self.request.user, action, record, message)

    def perform_create(self, serializer):
        with transaction.atomic():
            check_body(self.request.user, serializer, Action.ADD)
            serializer.save()

    def perform_update(self, serializer):
        with transaction.atomic():
            check_body(self.request.user, serializer, Action.CHANGE)
            serializer.save()


class ScopedViewSet(ScopedGenericViewSet, viewsets.ModelViewSet):
    """A model viewset (list, retrieve, create, update, destroy) on the scoped base."""
