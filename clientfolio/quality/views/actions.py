"""Pages of a project's improvement actions (PDCA): the list by status, the detail,
create, edit and delete."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from clientfolio.core import history
from clientfolio.core.permissions import Action, scope
from clientfolio.core.relations import hide_unseen
from clientfolio.quality import services
from clientfolio.quality.forms import ImprovementActionForm
from clientfolio.quality.models import ImprovementAction
from clientfolio.quality.views.common import (
    PER_PAGE,
    QualityFolderMixin,
    RecordDeleteView,
    RecordFormView,
)

__all__ = [
    "ActionDeleteView",
    "ActionDetailView",
    "ActionFormView",
    "ActionListView",
]


class ActionFolderMixin(QualityFolderMixin):
    folder_model = "quality.improvementaction"
    section = "actions"


class ActionListView(ActionFolderMixin, View):
    """The project's improvement actions; filter by PDCA status."""

    def get(self, request, pk):
        actions = scope(
            request.user, ImprovementAction.objects.filter(project=self.project)
        )
        counts = dict(
            actions.order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        status = request.GET.get("status", "")
        rows = actions.select_related("owner", "review")
        if status in ImprovementAction.Status.values:
            rows = rows.filter(status=status)
        page = Paginator(rows.order_by("planned_on", "id"), PER_PAGE).get_page(
            request.GET.get("page")
        )
        page.object_list = hide_unseen(
            request.user, page.object_list, "review", project=self.project
        )
        context = {
            **self.quality_context(),
            "page": page,
            "status": status,
            "statuses": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in ImprovementAction.Status.choices
            ],
            "total": sum(counts.values()),
            "can_add": self.may(Action.ADD, ImprovementAction),
        }
        return render(request, "quality/action_list.html", context)


class ActionDetailView(ActionFolderMixin, View):
    def get(self, request, pk, action_pk):
        action = self.get_record(
            ImprovementAction,
            action_pk,
            ImprovementAction.objects.select_related("owner", "review"),
        )
        hide_unseen(request.user, [action], "review", project=self.project)
        context = {
            **self.quality_context(),
            "action": action,
            "history_entries": history.entries_for(
                [ImprovementAction.history.filter(id=action.pk)]
            ),
            "can_change": self.may(Action.CHANGE, action),
            "can_delete": self.may(Action.DELETE, action),
        }
        return render(request, "quality/action_detail.html", context)


class ActionFormView(RecordFormView):
    model = ImprovementAction
    form_class = ImprovementActionForm
    pk_kwarg = "action_pk"
    section = "actions"
    list_url = "quality:action_list"
    heading_new = _("New improvement action")
    heading_edit = _("Edit “%(name)s”")

    def initial(self, form) -> None:
        form.initial["owner"] = self.request.user.pk
        if review := self.request.GET.get("review", ""):
            form.initial["review"] = review

    def save(self, obj, form):
        return services.save_action(obj, form.cleaned_data.get("version"))

    def success_url(self, obj) -> str:
        return reverse("quality:action_detail", args=[self.project.pk, obj.pk])

    def cancel_url(self, obj) -> str:
        return self.success_url(obj) if obj.pk else super().cancel_url(obj)


class ActionDeleteView(RecordDeleteView):
    model = ImprovementAction
    pk_kwarg = "action_pk"
    list_url = "quality:action_list"

    def remove(self, obj) -> None:
        services.delete_action(obj)
