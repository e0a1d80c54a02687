"""The FilterSets behind the client list page, its export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Client, Contract
from clientfolio.core.filters import ScopedFilterSet, ScopedModelChoiceFilter
from clientfolio.core.models import Tag, User

__all__ = ["ClientFilter", "ContractFilter"]

ORDERINGS = {
    "name": ("name_sort", "id"),
    "-name": ("-name_sort", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "tier": ("effective_tier", "name_sort", "id"),
    "-tier": ("-effective_tier", "name_sort", "id"),
    "status": ("status", "name_sort", "id"),
    "-status": ("-status", "name_sort", "id"),
}


class ClientFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=Client.Status.choices, label=_("Status")
    )
    tier = django_filters.ChoiceFilter(
        choices=Client.Tier.choices, field_name="effective_tier", label=_("Tier")
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.internal(),
        label=_("Account manager"),
    )
    industry = django_filters.ChoiceFilter(
        choices=Client.Industry.choices, label=_("Industry")
    )
    tag = ScopedModelChoiceFilter(
        queryset=Tag.objects.all(),
        field_name="tags",
        to_field_name="name",
        label=_("Tag"),
    )
    archived = django_filters.BooleanFilter(
        method="filter_archived", label=_("Archived")
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS], method="filter_sort", label=_("Sort")
    )

    class Meta:
        model = Client
        fields = ["q", "status", "tier", "owner", "industry", "tag", "archived", "sort"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])

    @property
    def qs(self):
        queryset = super().qs
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        if data.get("archived") is None:
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    @staticmethod
    def base_condition() -> Q:
        return Q()


class ContractFilter(ScopedFilterSet):
    class Meta:
        model = Contract
        fields = ["client", "status", "currency", "number"]
