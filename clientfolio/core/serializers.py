"""Serializer fields every app's API shares: scoped foreign keys and tag names."""

from rest_framework import serializers

from clientfolio.core.permissions import scope

__all__ = ["ScopedRelatedField", "TagNamesField"]


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that only accepts rows the requesting user can see: a forged id is a
    plain 'does not exist'."""

    checks_scope = True  # the viewset's write check need not ask again

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        assert queryset is not None
        return scope(request.user if request else None, queryset)


class TagNamesField(serializers.ListField):
    """Tag names in and out; reads the record's (prefetched) tags, not a plain list."""

    def to_representation(self, data):
        return [tag.name for tag in data.all()]
