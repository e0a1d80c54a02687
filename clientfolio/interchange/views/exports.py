"""The plan as a file: Microsoft Project XML (MSPDI) and the Excel plan layout."""

from abc import ABCMeta, abstractmethod

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.permissions import Action
from clientfolio.interchange import mspdi, services, sheet
from clientfolio.interchange.messages import sheet_headers
from clientfolio.projects.folder import FolderMixin

__all__ = ["MspdiExportView", "XlsxExportView"]


class _ExportView(FolderMixin, View, metaclass=ABCMeta):
    folder_model = "schedule.task"
    folder_action = Action.EXPORT
    extension = ""
    content_type = ""

    @abstractmethod
    def render_plan(self, plan) -> bytes:
        """The plan in this view's file format."""

    def get(self, request, pk):
        plan = services.plan_from_project(self.project)
        response = HttpResponse(self.render_plan(plan), content_type=self.content_type)
        name = f"{self.project.code or self.project.pk}-plan.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class MspdiExportView(_ExportView):
    extension = "xml"
    content_type = "application/xml; charset=utf-8"

    def render_plan(self, plan) -> bytes:
        return mspdi.write(plan)


class XlsxExportView(_ExportView):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render_plan(self, plan) -> bytes:
        return sheet.write(plan, sheet_headers(), title=_("Plan"))
