"""Helpers shared by the pages of communication records."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.comms.filters import CommRecordFilter
from clientfolio.comms.models import CommRecord
from clientfolio.core.permissions import scope
from clientfolio.projects.folder import FolderMixin

__all__ = [
    "RecordFolderMixin",
    "group_by_day",
    "participant_groups",
    "timeline_page",
]

PER_PAGE = 20


class RecordFolderMixin(FolderMixin):
    """Pages of one project's communication records."""

    folder_model = "comms.commrecord"

    def get_record(self, record_pk: int, queryset=None) -> CommRecord:
        base = queryset if queryset is not None else CommRecord.objects.for_detail()
        return get_object_or_404(
            scope(self.request.user, base.filter(project=self.project)), pk=record_pk
        )


def group_by_day(records) -> list[dict[str, Any]]:
    """Records (newest first) grouped under their local calendar day."""
    days: list[dict[str, Any]] = []
    for record in records:
        day = timezone.localtime(record.occurred_at).date()
        if not days or days[-1]["date"] != day:
            days.append({"date": day, "records": []})
        days[-1]["records"].append(record)
    return days


def participant_groups(users, contacts) -> list[tuple[str, list[tuple[str, str]]]]:
    """Options of the participant filter: team members, then client contacts."""
    return [
        (_("Team"), [(f"user-{u.pk}", str(u)) for u in users]),
        (_("Client contacts"), [(f"contact-{c.pk}", c.name) for c in contacts]),
    ]


def timeline_page(
    request: HttpRequest, queryset
) -> tuple[CommRecordFilter, Page, dict[str, Any]]:
    """The filtered, paginated timeline of ``queryset`` and the context it needs."""
    filterset = CommRecordFilter(
        request.GET or None, queryset=queryset.for_timeline(), request=request
    )
    page = Paginator(filterset.qs.order_by("-occurred_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    filters = {
        key: request.GET.get(key, "")
        for key in ("q", "kind", "participant", "date_from", "date_to", "project")
    }
    context = {
        "filter": filterset,
        "filters": filters,
        "filtering": any(filters.values()),
        "page": page,
        "days": group_by_day(page.object_list),
        "query": query.urlencode(),
        "kinds": CommRecord.Kind.choices,
        "filter_errors": filterset.form.errors if filterset.is_bound else {},
        "searching": bool(data.get("q")),
    }
    return filterset, page, context
