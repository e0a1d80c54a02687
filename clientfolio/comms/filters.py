"""The one FilterSet behind the timelines and the API list of communication records."""

import django_filters
from django.utils.translation import gettext_lazy as _

from clientfolio.comms.models import CommRecord
from clientfolio.core.filters import ScopedFilterSet

__all__ = ["CommRecordFilter"]


class CommRecordFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=CommRecord.Kind.choices, label=_("Type"))
    participant = django_filters.CharFilter(
        method="filter_participant",
        label=_("Participant"),
        help_text="user-<id> or contact-<id>",
    )
    user = django_filters.NumberFilter(
        field_name="participants__user", label=_("Staff participant")
    )
    contact = django_filters.NumberFilter(
        field_name="participants__contact", label=_("Client participant")
    )
    date_from = django_filters.DateFilter(
        field_name="occurred_at__date", lookup_expr="gte", label=_("From date")
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at__date", lookup_expr="lte", label=_("To date")
    )

    class Meta:
        model = CommRecord
        fields = ["project", "kind"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_participant(self, queryset, name, value):
        kind, _sep, pk = value.partition("-")
        if not pk.isdigit():
            return queryset
        if kind == "user":
            return queryset.with_participant(user_id=int(pk))
        if kind == "contact":
            return queryset.with_participant(contact_id=int(pk))
        return queryset
