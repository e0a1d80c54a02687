"""Serializer fields every app's API shares: scoped foreign keys and tag names."""

from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from clientfolio.core.permissions import scope
from clientfolio.core.relations import visible_ids

__all__ = ["ScopedRelatedField", "TagNamesField"]


class ScopedManyRelatedField(serializers.ManyRelatedField):
    """The list side of ``ScopedRelatedField``: rows the reader cannot see are left out."""

    def to_representation(self, iterable):
        shown = super().to_representation(iterable)
        return [pk for pk in shown if pk is not None]


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that only accepts rows the requesting user can see: a forged id is a
    plain 'does not exist'.

    It also only *shows* rows the reader can see. A relation whose other end is in a
    project the reader is not on (imported, made by an administrator, or left behind when
    a record moved) reads as ``null`` (left out of a list), so neither its id nor anything
    reached through it leaks; the check asks the permission layer once per request for all
    the ids of the page."""

    checks_scope = True  # the viewset's write check need not ask again

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> ScopedManyRelatedField:
        list_kwargs: dict[str, Any] = {"child_relation": cls(*args, **kwargs)}
        kwargs.pop("check_input", None)
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return ScopedManyRelatedField(**list_kwargs)

    def __init__(self, *, check_input: bool = True, **kwargs: Any) -> None:
        # ``check_input=False``: only the read side; the viewset's write check (after
        # the role check) decides whether an id of the body exists for the user.
        super().__init__(**kwargs)
        self.check_input = check_input
        self.checks_scope = check_input

    def to_internal_value(self, data):
        if self.check_input:
            return super().to_internal_value(data)
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if error.get_codes() != ["does_not_exist"]:
                raise
        # An id that does not exist goes to the viewset's write check like one outside
        # the user's scope (an unsaved row with that id is in no scope), so a foreign id
        # and a missing one get the same answer, and after the role check both.
        model = self.get_queryset().model
        return model(pk=data)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        assert queryset is not None
        if not self.check_input:
            return queryset
        return scope(request.user if request else None, queryset)

    def to_representation(self, value):
        if not self._visible(value.pk):
            return None
        return super().to_representation(value)

    # --- the read check -----------------------------------------------------------------

    def _model(self) -> Any:
        if self.queryset is not None:
            return self.queryset.model
        # A read-only field has no queryset: the model is the serializer's field's.
        owner = self.parent
        if isinstance(owner, serializers.ManyRelatedField):
            owner = owner.parent
            source = self.parent.source
        else:
            source = self.source
        model: Any = getattr(getattr(owner, "Meta", None), "model", None)
        try:
            return model._meta.get_field(source).related_model
        except (AttributeError, LookupError, ValueError):
            return None

    def _visible(self, pk: Any) -> bool:
        request = self.context.get("request")
        model = self._model()
        # Without a request nobody is reading (an internal render); the record's own
        # project is one the reader sees, or the record would not be in their scope.
        if request is None or model is None:
            return True
        many = isinstance(self.parent, serializers.ManyRelatedField)
        if self.field_name == "project" and not many:
            return True
        cache: dict[Any, dict[Any, bool]] = request.__dict__.setdefault(
            "_cf_visible_related", {}
        )
        known = cache.setdefault(model, {})
        if pk not in known:
            wanted = {pk, *self._page_ids()} - known.keys()
            seen = visible_ids(request.user, model, wanted)
            known.update({each: each in seen for each in wanted})
        return known[pk]

    def _page_ids(self) -> set[Any]:
        """The ids this field names on every record of the page being rendered, so one
        query answers for all of them."""
        field: Any = self
        if isinstance(self.parent, serializers.ManyRelatedField):
            field = self.parent
        owner = field.parent
        source = field.source
        if owner is None or not source or "." in source or source == "*":
            return set()
        lister = getattr(owner, "parent", None)
        rows = (
            lister.instance
            if isinstance(lister, serializers.ListSerializer)
            else getattr(owner, "instance", None)
        )
        if rows is None:
            return set()
        if isinstance(rows, models.Model):
            rows = [rows]
        ids: set[Any] = set()
        for row in rows:
            if field is not self:
                related = getattr(row, source, None)
                if related is not None and hasattr(related, "all"):
                    ids.update(each.pk for each in related.all())
            else:
                value = getattr(row, f"{source}_id", None)
                if value is not None:
                    ids.add(value)
        return ids


class TagNamesField(serializers.ListField):
    """Tag names in and out; reads the record's (prefetched) tags, not a plain list."""

    def to_representation(self, data):
        return [tag.name for tag in data.all()]
