"""Pages of a project's quality standards: the list by category, create, edit, delete."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from clientfolio.core.permissions import Action, scope
from clientfolio.quality import services
from clientfolio.quality.forms import StandardForm
from clientfolio.quality.models import QualityStandard
from clientfolio.quality.views.common import (
    QualityFolderMixin,
    RecordDeleteView,
    RecordFormView,
)

__all__ = ["StandardDeleteView", "StandardFormView", "StandardListView"]


class StandardListView(QualityFolderMixin, View):
    """The project's quality standards grouped by category."""

    folder_model = "quality.qualitystandard"
    section = "standards"

    def get(self, request, pk):
        standards = list(
            scope(
                request.user, QualityStandard.objects.filter(project=self.project)
            ).order_by("category", "title", "id")
        )
        groups = [
            {
                "value": value,
                "label": label,
                "standards": [s for s in standards if s.category == value],
            }
            for value, label in QualityStandard.Category.choices
        ]
        context = {
            **self.quality_context(),
            "groups": [g for g in groups if g["standards"]],
            "total": len(standards),
            "can_add": self.may(Action.ADD, QualityStandard),
            "can_change": self.may(Action.CHANGE, QualityStandard),
            "can_delete": self.may(Action.DELETE, QualityStandard),
        }
        return render(request, "quality/standard_list.html", context)


class StandardFormView(RecordFormView):
    model = QualityStandard
    form_class = StandardForm
    pk_kwarg = "standard_pk"
    section = "standards"
    list_url = "quality:standard_list"
    heading_new = _("New quality standard")
    heading_edit = _("Edit “%(name)s”")

    def form(self, obj, data=None):
        return self.form_class(data, instance=obj)

    def save(self, obj, form):
        return services.save_standard(obj, form.cleaned_data.get("version"))


class StandardDeleteView(RecordDeleteView):
    model = QualityStandard
    pk_kwarg = "standard_pk"
    list_url = "quality:standard_list"

    def remove(self, obj) -> None:
        services.delete_standard(obj)
