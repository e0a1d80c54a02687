"""Pages of a project's deliverables: the list (the quality tab) with their status and
acceptance state, the detail with its criteria, reviews and the client's decisions, and
create, edit and delete."""

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from clientfolio.core import history
from clientfolio.core.permissions import Action, scope
from clientfolio.core.relations import hide_unseen
from clientfolio.quality import services
from clientfolio.quality.forms import DeliverableForm
from clientfolio.quality.models import Acceptance, Deliverable, QualityReview
from clientfolio.quality.views.common import (
    PER_PAGE,
    QualityFolderMixin,
    RecordDeleteView,
    RecordFormView,
)

__all__ = [
    "DeliverableDeleteView",
    "DeliverableDetailView",
    "DeliverableFormView",
    "DeliverableListView",
]


def with_states(queryset):
    """Deliverables with their latest client decision and latest review result."""
    latest = Acceptance.objects.filter(deliverable=OuterRef("pk")).order_by(
        "-decided_on", "-id"
    )
    review = QualityReview.objects.filter(deliverable=OuterRef("pk")).order_by(
        "-reviewed_on", "-id"
    )
    return queryset.select_related("milestone", "owner").annotate(
        last_decision=Subquery(latest.values("decision")[:1]),
        last_decided_on=Subquery(latest.values("decided_on")[:1]),
        last_review=Subquery(review.values("result")[:1]),
    )


class DeliverableListView(QualityFolderMixin, View):
    """The project's deliverables with status, milestone, latest review and the client's
    latest decision; filter by status."""

    def get(self, request, pk):
        deliverables = scope(
            request.user, Deliverable.objects.filter(project=self.project)
        )
        counts = dict(
            deliverables.order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        status = request.GET.get("status", "")
        rows = with_states(deliverables)
        if status in Deliverable.Status.values:
            rows = rows.filter(status=status)
        page = Paginator(rows.order_by("due_on", "name", "id"), PER_PAGE).get_page(
            request.GET.get("page")
        )
        page.object_list = hide_unseen(
            request.user, page.object_list, "milestone", project=self.project
        )
        context = {
            **self.quality_context(),
            "page": page,
            "status": status,
            "statuses": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in Deliverable.Status.choices
            ],
            "total": sum(counts.values()),
            "decisions": dict(Acceptance.Decision.choices),
            "results": dict(QualityReview.Result.choices),
            "can_add": self.may(Action.ADD, Deliverable),
            "can_accept": self.may(Action.ADD, Acceptance),
        }
        return render(request, "quality/deliverable_list.html", context)


class DeliverableDetailView(QualityFolderMixin, View):
    """A deliverable's facts and criteria, its reviews and the client's decisions."""

    def get(self, request, pk, deliverable_pk):
        deliverable = self.get_record(
            Deliverable,
            deliverable_pk,
            Deliverable.objects.select_related("milestone", "owner"),
        )
        hide_unseen(request.user, [deliverable], "milestone", project=self.project)
        reviews = list(
            deliverable.reviews.select_related("reviewer").annotate(
                failed=Count("items", filter=Q(items__result="fail"))
            )
        )
        acceptances = hide_unseen(
            request.user,
            deliverable.acceptances.select_related(
                "contact", "document", "recorded_by", "milestone"
            ),
            "document",
            "milestone",
            project=self.project,
        )
        context = {
            **self.quality_context(),
            "deliverable": deliverable,
            "reviews": reviews,
            "acceptances": acceptances,
            "history_entries": history.entries_for(
                [Deliverable.history.filter(id=deliverable.pk)]
            ),
            "can_change": self.may(Action.CHANGE, deliverable),
            "can_delete": self.may(Action.DELETE, deliverable),
            "can_review": self.may(Action.ADD, QualityReview),
            "can_accept": self.may(Action.ADD, Acceptance)
            and deliverable.status != Deliverable.Status.ACCEPTED,
        }
        return render(request, "quality/deliverable_detail.html", context)


class DeliverableFormView(RecordFormView):
    model = Deliverable
    form_class = DeliverableForm
    pk_kwarg = "deliverable_pk"
    list_url = "quality:deliverable_list"
    heading_new = _("New deliverable")
    heading_edit = _("Edit “%(name)s”")

    def initial(self, form) -> None:
        form.initial["owner"] = self.request.user.pk
        if milestone := self.request.GET.get("milestone"):
            form.initial["milestone"] = milestone

    def save(self, obj, form):
        return services.save_deliverable(obj, form.cleaned_data.get("version"))

    def success_url(self, obj) -> str:
        return reverse("quality:deliverable_detail", args=[self.project.pk, obj.pk])

    def cancel_url(self, obj) -> str:
        if obj.pk:
            return self.success_url(obj)
        return super().cancel_url(obj)


class DeliverableDeleteView(RecordDeleteView):
    model = Deliverable
    pk_kwarg = "deliverable_pk"
    list_url = "quality:deliverable_list"

    def remove(self, obj) -> None:
        services.delete_deliverable(obj)
