"""The client timeline chart (客户时间节点图): the page (ECharts, with the data as a table)
and its exports as PNG, PDF and Excel."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.permissions import Action
from clientfolio.schedule import exports
from clientfolio.schedule.gantt import Timeline, chosen_baseline, timeline_data
from clientfolio.schedule.models import Baseline
from clientfolio.schedule.views.common import ScheduleMixin

__all__ = ["TimelinePdfView", "TimelinePngView", "TimelineView", "TimelineXlsxView"]


class TimelineMixin(ScheduleMixin):
    def timeline(self) -> Timeline:
        request = self.request
        return timeline_data(
            self.project,
            chosen_baseline(self.project, request.GET.get("baseline")),
            all_milestones=request.GET.get("milestones") == "all",
        )

    def query(self) -> str:
        keep = {
            key: str(self.request.GET.get(key, ""))
            for key in ("baseline", "milestones")
        }
        return "&".join(f"{k}={v}" for k, v in keep.items() if v.isalnum())


class TimelineView(TimelineMixin, View):
    """The timeline chart with status colours and buffer consumption, and its table."""

    def get(self, request, pk):
        timeline = self.timeline()
        query = self.query()
        suffix = f"?{query}" if query else ""
        context = {
            **self.folder_context(),
            "timeline": timeline,
            "chart": timeline.as_json(),
            "baselines": Baseline.objects.filter(project=self.project).values(
                "id", "name"
            ),
            "exports": [
                (label, reverse(name, kwargs={"pk": pk}) + suffix, icon)
                for name, label, icon in (
                    ("schedule:timeline_png", _("PNG image"), "photo"),
                    ("schedule:timeline_pdf", _("PDF"), "file-type-pdf"),
                    ("schedule:timeline_xlsx", _("Excel"), "file-spreadsheet"),
                )
            ],
        }
        return render(request, "schedule/timeline.html", context)


class TimelineExportView(TimelineMixin, View):
    folder_action = Action.EXPORT
    extension = ""
    content_type = ""
    renderer = staticmethod(exports.timeline_png)

    def get(self, request, pk):
        timeline = self.timeline()
        response = HttpResponse(self.renderer(timeline), content_type=self.content_type)
        name = f"{self.project.code or self.project.pk}-timeline-{timeline.today.isoformat()}"
        response["Content-Disposition"] = (
            f'attachment; filename="{name}.{self.extension}"'
        )
        response["Cache-Control"] = "no-store"
        return response


class TimelinePngView(TimelineExportView):
    extension = "png"
    content_type = "image/png"
    renderer = staticmethod(exports.timeline_png)


class TimelinePdfView(TimelineExportView):
    extension = "pdf"
    content_type = "application/pdf"
    renderer = staticmethod(exports.timeline_pdf)


class TimelineXlsxView(TimelineExportView):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    renderer = staticmethod(exports.timeline_xlsx)
