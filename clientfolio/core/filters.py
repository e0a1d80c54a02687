"""Filters whose choices go through the permission layer, shared by the pages and the API.

A filter that takes the id of a record (``?project=12``) accepts only the records the
requesting user can see. An id outside the user's scope is then refused exactly like an id
that does not exist (400, "Select a valid choice", in the user's language), so a filter
never tells an outsider that a project exists. Every FilterSet of the apps derives from
``ScopedFilterSet``; ``ScopedFilterBackend`` builds the API's FilterSets from it and refuses
one that does not.
"""

from copy import deepcopy
from typing import Any

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.fields.related import ManyToManyRel, ManyToOneRel, OneToOneRel
from django_filters import rest_framework as rest_filters

from clientfolio.core.permissions import governs, scope

__all__ = [
    "ScopedFilterBackend",
    "ScopedFilterSet",
    "ScopedModelChoiceFilter",
    "ScopedModelMultipleChoiceFilter",
]


def _scoped(request: Any, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not governs(queryset.model):
        return queryset
    return scope(getattr(request, "user", None), queryset)


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among the records the requesting user can see."""

    def get_queryset(self, request):
        return _scoped(request, super().get_queryset(request))


class ScopedModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Choices among the records the requesting user can see."""

    def get_queryset(self, request):
        return _scoped(request, super().get_queryset(request))


_FILTER_DEFAULTS = deepcopy(rest_filters.FilterSet.FILTER_DEFAULTS)
for _field, _filter in (
    (models.ForeignKey, ScopedModelChoiceFilter),
    (models.OneToOneField, ScopedModelChoiceFilter),
    (OneToOneRel, ScopedModelChoiceFilter),
    (models.ManyToManyField, ScopedModelMultipleChoiceFilter),
    (ManyToOneRel, ScopedModelMultipleChoiceFilter),
    (ManyToManyRel, ScopedModelMultipleChoiceFilter),
):
    _FILTER_DEFAULTS[_field] = {**_FILTER_DEFAULTS[_field], "filter_class": _filter}


class ScopedFilterSet(rest_filters.FilterSet):
    """A FilterSet whose generated relation filters offer only what the user can see.
    Pages pass ``request=`` so the user is known; without one nothing is a valid choice."""

    FILTER_DEFAULTS = _FILTER_DEFAULTS


_GENERATED: dict[tuple[Any, ...], Any] = {}


class ScopedFilterBackend(rest_filters.DjangoFilterBackend):
    """The API's filter backend: ``filterset_fields`` become a ``ScopedFilterSet``."""

    filterset_base = ScopedFilterSet

    def get_filterset_class(self, view, queryset=None):
        # django-filter builds a class from ``filterset_fields`` on every request (a
        # metaclass run, a deep copy of every filter): build it once per view and model.
        fields = getattr(view, "filterset_fields", None)
        if (
            fields
            and queryset is not None
            and not getattr(view, "filterset_class", None)
        ):
            key = (type(view), queryset.model, repr(fields))
            filterset_class = _GENERATED.get(key)
            if filterset_class is None:
                filterset_class = super().get_filterset_class(view, queryset)
                _GENERATED[key] = filterset_class
            return filterset_class
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is not None and not issubclass(
            filterset_class, ScopedFilterSet
        ):
            raise ImproperlyConfigured(
                f"{filterset_class.__name__} must derive from ScopedFilterSet."
            )
        return filterset_class
