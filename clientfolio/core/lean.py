"""Lean reads: a serializer's JSON without DRF's field-by-field machinery on the hot
path (issue 15).

A ``ModelSerializer`` rebuilds its fields for every request (a deep copy of the
declared ones, a ``build_field`` per model field) and then, for every row and field,
goes through ``get_attribute``, ``PKOnlyObject`` and ``to_representation``; on a page
of 100 tasks that was more than half of the request's time. ``LeanRepresentation``
works that out once per serializer class: a plan of one small step per readable field
(an attribute read, an id, a date's ``isoformat``…), built from the serializer's own
fields, then applies it to each row. Writes, validation and the OpenAPI schema still
use the fields as before.

The output is the serializer's, key for key and value for value
(tests/core/test_lean.py compares the two on every serializer that uses it):

- ``ScopedRelatedField`` shows an id only when the reader may see the record, with
  one permission query per page and model, and shares its per-request cache;
- ``SerializerMethodField`` calls the serializer's method;
- other fields whose output does not depend on the request (choices, decimals,
  datetimes in the current time zone, lists such as tag names) keep one instance per
  class and call its ``to_representation``.

A field of any other kind (a nested serializer, a hyperlink) is refused when the plan
is built, so a serializer cannot silently drift from its lean output.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from clientfolio.core.relations import visible_ids
from clientfolio.core.serializers import ScopedRelatedField, TagNamesField

__all__ = ["LeanRepresentation"]

Step = Callable[[Any, Any], Any]
_SKIP = object()
_ISO_8601 = "iso-8601"  # rest_framework.ISO_8601
_BIG_INTEGER: Any = getattr(drf_fields, "BigIntegerField", None)  # DRF 3.16 and later

# Fields whose output depends on the value only (and the current time zone): one
# instance per serializer class can render every row of every request.
_STATELESS = (
    drf_fields.BooleanField,
    drf_fields.CharField,
    drf_fields.ChoiceField,
    drf_fields.DateField,
    drf_fields.DateTimeField,
    drf_fields.DecimalField,
    drf_fields.DurationField,
    drf_fields.FloatField,
    drf_fields.IntegerField,
    drf_fields.JSONField,
    drf_fields.ReadOnlyField,
    drf_fields.TimeField,
    drf_fields.UUIDField,
    TagNamesField,
)


def _plain_attribute(field: drf_fields.Field) -> str | None:
    """The attribute a field reads, when it is one plain name (not ``a.b``, not ``*``)."""
    source = field.source
    if not isinstance(source, str) or not source or source == "*" or "." in source:
        return None
    return source


def _general(field: drf_fields.Field) -> Step:
    """DRF's own steps for one field: ``get_attribute``, ``None`` stays ``None``,
    ``to_representation``."""

    def step(_serializer: Any, instance: Any) -> Any:
        try:
            value = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        if value is None:
            return None
        return field.to_representation(value)

    return step


def _step(serializer_class: type, name: str, field: drf_fields.Field) -> Step:
    attribute = _plain_attribute(field)
    if isinstance(field, serializers.SerializerMethodField):
        method_name = field.method_name or f"get_{name}"
        return lambda serializer, instance: getattr(serializer, method_name)(instance)
    if isinstance(field, ScopedRelatedField):
        if attribute is None or field.pk_field is not None:
            raise ImproperlyConfigured(f"{serializer_class.__name__}.{name}")
        model = field._model()
        attname = f"{attribute}_id"
        if name == "project" or model is None:
            return lambda _serializer, instance: getattr(instance, attname)

        def scoped(serializer: Any, instance: Any) -> Any:
            pk = getattr(instance, attname)
            if pk is None or serializer._lean_visible(model, attname, pk):
                return pk
            return None

        return scoped
    if type(field) is relations.PrimaryKeyRelatedField:
        if attribute is None or field.pk_field is not None:
            raise ImproperlyConfigured(f"{serializer_class.__name__}.{name}")
        attname = f"{attribute}_id"
        return lambda _serializer, instance: getattr(instance, attname)
    if not isinstance(field, _STATELESS) or (
        isinstance(field, drf_fields.ListField)
        and not isinstance(field.child, _STATELESS)
    ):
        raise ImproperlyConfigured(
            f"{serializer_class.__name__}.{name} ({type(field).__name__}) has no lean "
            "read; render it with DRF's fields instead"
        )
    if attribute is None:
        return _general(field)
    return _fast(field, attribute)


def _fast(field: drf_fields.Field, attribute: str) -> Step:
    """A plain attribute: the common types of its value without a call into DRF, any
    other value through the field (``None`` is ``None`` either way, as in DRF)."""
    render = field.to_representation
    kind = type(field)
    if kind is _BIG_INTEGER and not getattr(
        field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
    ):
        kind = drf_fields.IntegerField
    if kind is drf_fields.IntegerField:
        wanted: type | None = int
    elif kind is drf_fields.CharField:
        wanted = str
    elif kind is drf_fields.BooleanField:
        wanted = bool
    elif (
        kind is drf_fields.DateField
        and getattr(field, "format", api_settings.DATE_FORMAT) == _ISO_8601
    ):

        def day(_serializer: Any, instance: Any) -> Any:
            value = getattr(instance, attribute)
            if value is None:
                return None
            if type(value) is date:
                return value.isoformat()
            return render(value)

        return day
    elif (
        kind is drf_fields.DateTimeField
        and not hasattr(field, "timezone")
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == _ISO_8601
        and settings.USE_TZ
    ):

        def moment(serializer: Any, instance: Any) -> Any:
            value = getattr(instance, attribute)
            if value is None:
                return None
            if type(value) is not datetime or value.utcoffset() is None:
                return render(value)
            try:
                text = value.astimezone(serializer._lean_timezone()).isoformat()
            except OverflowError:
                return render(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return moment
    else:
        wanted = None
    if wanted is None:

        def other(_serializer: Any, instance: Any) -> Any:
            value = getattr(instance, attribute)
            return None if value is None else render(value)

        return other

    def plain(_serializer: Any, instance: Any) -> Any:
        value = getattr(instance, attribute)
        if value is None or type(value) is wanted:
            return value
        return render(value)

    return plain


class LeanRepresentation:
    # Mixin for a ``ModelSerializer`` (first among its bases) whose reads are hot: the
    # same output as DRF's ``to_representation`` from a plan built once per class. Set
    # ``lean = False`` on a subclass to render with DRF's fields (the tests compare).
    # No docstring on purpose: drf-spectacular describes a serializer by the first
    # docstring of its bases, which must stay the serializer's own.

    lean = True
    _lean_plan_cache: list[tuple[str, Step]]
    _lean_tz: Any

    @classmethod
    def _lean_plan(cls) -> list[tuple[str, Step]]:
        plan = cls.__dict__.get("_lean_plan_cache")
        if plan is None:
            template: Any = cls()
            plan = [
                (name, _step(cls, name, field))
                for name, field in template.fields.items()
                if not field.write_only
            ]
            cls._lean_plan_cache = plan
        return plan

    def to_representation(self, instance: Any) -> Any:
        if not self.lean:
            return super().to_representation(instance)  # type: ignore[misc]
        out = {}
        for name, step in self._lean_plan():
            value = step(self, instance)
            if value is not _SKIP:
                out[name] = value
        return out

    def _lean_timezone(self) -> Any:
        """The current time zone, asked once per serializer (that is, per request)."""
        try:
            return self._lean_tz
        except AttributeError:
            self._lean_tz = timezone.get_current_timezone()
            return self._lean_tz

    def _lean_visible(self, model: Any, attname: str, pk: Any) -> bool:
        """Whether the reader may see ``model``'s record ``pk``; asks the permission layer
        once for the ids of the whole page, in ``ScopedRelatedField``'s cache."""
        context: dict[str, Any] = self.context  # type: ignore[attr-defined]
        request = context.get("request")
        if request is None:
            return True
        cache: dict[Any, dict[Any, bool]] = request.__dict__.setdefault(
            "_cf_visible_related", {}
        )
        known = cache.setdefault(model, {})
        if pk not in known:
            lister = getattr(self, "parent", None)
            rows = (
                lister.instance
                if isinstance(lister, serializers.ListSerializer)
                else getattr(self, "instance", None)
            )
            if rows is None or isinstance(rows, dict):
                rows = []
            elif not isinstance(rows, list | tuple) and hasattr(rows, "_meta"):
                rows = [rows]
            page = {getattr(row, attname, None) for row in rows} - {None}
            wanted = {pk, *page} - known.keys()
            seen = visible_ids(request.user, model, wanted)
            known.update({each: each in seen for each in wanted})
        return known[pk]
