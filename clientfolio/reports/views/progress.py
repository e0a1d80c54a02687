"""Pages of the Reports tab of a project folder: the list of progress reports and the
reporting cadence, drafting this period's report, the draft with its narrative and the
sections the client sees, publishing, reopening and the PDFs of each version."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion, save_versioned
from clientfolio.core.permissions import Action, can, sees_finance
from clientfolio.projects.folder import FolderMixin
from clientfolio.reports import services
from clientfolio.reports.models import (
    ProgressReport,
    ProgressReportVersion,
    ReportSchedule,
    ReportTemplate,
)
from clientfolio.reports.progress_forms import (
    DraftForm,
    NarrativeForm,
    PublishForm,
    ScheduleForm,
    VersionForm,
)
from clientfolio.reports.sections import INTERNAL_SECTIONS, arrange

__all__ = [
    "ReportDetailView",
    "ReportDraftView",
    "ReportListView",
    "ReportPdfView",
    "ReportPublishView",
    "ReportRefreshView",
    "ReportReopenView",
    "ReportScheduleView",
]


def slip_chart(data: dict[str, Any]) -> dict[str, Any]:
    """The milestone slip chart's data (``static/reports/progress.js``)."""
    from clientfolio.reports.templatetags.progress_reports import slip_text

    progress = data.get("progress") or {}
    return {
        "title": _("Milestone slip against the first baseline, as of %(date)s")
        % {"date": data.get("as_of", "")},
        "text": {
            "baseline": _("Baseline"),
            "forecast": _("Forecast"),
            "days": _("working days"),
        },
        "rows": [
            {
                "name": m["name"],
                "baseline": m.get("baseline_finish"),
                "finish": m.get("finish"),
                "slip": m.get("slip_days") or 0,
                "slip_text": slip_text(m.get("slip_days")),
            }
            for m in progress.get("milestones", [])
        ],
    }


class ProgressFolderMixin(FolderMixin):
    """Pages of one project's progress reports."""

    folder_model = "reports.progressreport"

    def get_report(self, report_pk: int) -> ProgressReport:
        return get_object_or_404(
            ProgressReport.objects.select_related("created_by").filter(
                project=self.project
            ),
            pk=report_pk,
        )


def _schedule_of(project) -> ReportSchedule:
    return ReportSchedule.objects.filter(project=project).first() or ReportSchedule(
        project=project
    )


def render_list(view: ProgressFolderMixin, schedule_form=None, status=200):
    """The list page, with the cadence form as given (bound, with its errors) or new."""
    user = view.request.user
    schedule = _schedule_of(view.project)
    reports = ProgressReport.objects.for_list().filter(project=view.project)
    context = {
        **view.folder_context(),
        "reports": list(reports),
        "draft_form": DraftForm(),
        "schedule": schedule,
        "schedule_form": schedule_form
        or ScheduleForm(instance=schedule, initial={"version": schedule.version}),
        "can_add": can(user, Action.ADD, ProgressReport, project=view.project),
        "can_schedule": can(user, Action.CHANGE, ReportSchedule, project=view.project),
        "can_template": can(user, Action.CHANGE, ReportTemplate),
    }
    return render(view.request, "reports/progress_list.html", context, status=status)


class ReportListView(ProgressFolderMixin, View):
    def get(self, request, pk):
        return render_list(self)


class ReportDraftView(ProgressFolderMixin, View):
    """Draft the report of the period holding today (or open the one that exists)."""

    folder_action = Action.ADD

    def post(self, request, pk):
        form = DraftForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a reporting period."))
            return redirect("reports:report_list", pk=self.project.pk)
        report, created = services.draft_report(
            self.project, form.cleaned_data["period"], user=request.user
        )
        if created:
            messages.success(
                request, _("The report was drafted from the project's data.")
            )
        else:
            messages.info(
                request, _("This period's report exists already: here it is.")
            )
        return redirect(
            "reports:report_detail", pk=self.project.pk, report_pk=report.pk
        )


class ReportScheduleView(ProgressFolderMixin, View):
    folder_model = "reports.reportschedule"
    folder_action = Action.CHANGE

    def post(self, request, pk):
        schedule = _schedule_of(self.project)
        form = ScheduleForm(request.POST, instance=schedule)
        if not form.is_valid():
            return render_list(self, form, status=400)
        schedule = form.save(commit=False)
        try:
            if schedule.pk is None:
                schedule.save()
            else:
                save_versioned(schedule, form.cleaned_data.get("version"))
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return render_list(self, form, status=409)
        messages.success(request, _("Reporting cadence saved."))
        return redirect("reports:report_list", pk=self.project.pk)


def render_detail(
    view: ProgressFolderMixin, report, *, form=None, publish_form=None, status=200
):
    """The report page, with the forms as given (bound, with their errors) or new."""
    user = view.request.user
    project = view.project
    can_change = can(user, Action.CHANGE, report) and report.is_draft
    contacts = services.recipients_for(project)
    shows_finance = sees_finance(user, project)
    sections = [
        s
        for s in arrange(report.data.get("layout"))
        if shows_finance or s not in INTERNAL_SECTIONS
    ]
    versions = list(report.versions.select_related("published_by").order_by("-number"))
    context = {
        **view.folder_context(),
        "report": report,
        "data": report.data,
        "logo_uri": services.template_logo_uri(),
        "slip_chart": slip_chart(report.data),
        "sections": sections,
        "client_sections": report.client_sections,
        "sees_finance": shows_finance,
        "versions": versions,
        "can_change": can_change,
        "can_publish": report.is_draft
        and can(user, Action.ADD, ProgressReportVersion, project=project),
        "can_reopen": not report.is_draft and can(user, Action.CHANGE, report),
        "form": form
        or NarrativeForm(
            initial={
                **services.narrative_of(report),
                "client_sections": report.client_sections,
                "version": report.version,
            }
        ),
        "publish_form": publish_form
        or PublishForm(
            contacts=contacts,
            initial={
                "version": report.version,
                "recipients": [c.pk for c in contacts if c.is_primary],
            },
        ),
    }
    return render(view.request, "reports/progress_detail.html", context, status=status)


class ReportDetailView(ProgressFolderMixin, View):
    """A report: its drafted sections and, while a draft, the narrative form (GET shows,
    POST saves) and the publish form."""

    def show(self, report, *, form=None, status=200):
        return render_detail(self, report, form=form, status=status)

    def get(self, request, pk, report_pk):
        return self.show(self.get_report(report_pk))

    def post(self, request, pk, report_pk):
        report = self.get_report(report_pk)
        if not can(request.user, Action.CHANGE, report):
            raise PermissionDenied
        form = NarrativeForm(request.POST)
        if not form.is_valid():
            return self.show(report, form=form, status=400)
        data = form.cleaned_data
        try:
            services.save_narrative(
                report,
                summary=data["summary"],
                next_steps=data["next_steps"],
                client_notes=data["client_notes"],
                internal_notes=data["internal_notes"],
                client_sections=data["client_sections"],
                expected_version=data["version"],
            )
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return self.show(self.get_report(report_pk), form=form, status=409)
        except services.ReportError as error:
            form.add_error(None, error.message)
            return self.show(self.get_report(report_pk), form=form, status=400)
        messages.success(request, _("Report saved."))
        return redirect("reports:report_detail", pk=pk, report_pk=report.pk)


class ReportRefreshView(ProgressFolderMixin, View):
    """Draft the figures again from today's data (the narrative stays)."""

    folder_action = Action.CHANGE

    def post(self, request, pk, report_pk):
        report = self.get_report(report_pk)
        form = VersionForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            services.refresh_report(
                report, expected_version=form.cleaned_data["version"]
            )
        except StaleVersion:
            messages.error(request, str(StaleVersion.message))
            return render_detail(self, report, status=409)
        except services.ReportError as error:
            messages.error(request, error.message)
            return render_detail(self, report, status=400)
        messages.success(
            request, _("The figures were drafted again from today's data.")
        )
        return redirect("reports:report_detail", pk=pk, report_pk=report.pk)


class ReportPublishView(ProgressFolderMixin, View):
    folder_model = "reports.progressreportversion"
    folder_action = Action.ADD

    def post(self, request, pk, report_pk):
        report = self.get_report(report_pk)
        form = PublishForm(request.POST, contacts=services.recipients_for(self.project))
        if not form.is_valid():
            return render_detail(self, report, publish_form=form, status=400)
        try:
            version = services.publish_report(
                report,
                user=request.user,
                recipients=form.cleaned_data["recipients"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return render_detail(
                self, self.get_report(report_pk), publish_form=form, status=409
            )
        except services.ReportError as error:
            form.add_error(None, error.message)
            return render_detail(
                self, self.get_report(report_pk), publish_form=form, status=400
            )
        messages.success(
            request,
            _("Version %(number)s was published: the e-mails are on their way.")
            % {"number": version.number},
        )
        return redirect("reports:report_detail", pk=pk, report_pk=report.pk)


class ReportReopenView(ProgressFolderMixin, View):
    folder_action = Action.CHANGE

    def post(self, request, pk, report_pk):
        report = self.get_report(report_pk)
        form = VersionForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            services.reopen_report(
                report, expected_version=form.cleaned_data["version"]
            )
        except StaleVersion:
            messages.error(request, str(StaleVersion.message))
            return render_detail(self, report, status=409)
        except services.ReportError as error:
            messages.error(request, error.message)
            return render_detail(self, report, status=400)
        messages.success(
            request, _("The report is a draft again; the published versions stay.")
        )
        return redirect("reports:report_detail", pk=pk, report_pk=report.pk)


def pdf_response(version: ProgressReportVersion, variant: str) -> FileResponse:
    """One of a version's PDFs as an attachment, in the reader's language."""
    data = services.pdf_of(version, variant, translation.get_language() or "")
    report = version.report
    name = f"{report.project.code}-{report.period_start.isoformat()}-v{version.number}"
    if variant == "internal":
        name += "-internal"
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{name}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ReportPdfView(ProgressFolderMixin, View):
    """A version's client or internal PDF; the internal one (hours, budget burn, CPI)
    only for those who read the project's finance figures."""

    folder_model = "reports.progressreportversion"
    folder_action = Action.EXPORT

    def get(self, request, pk, report_pk, number, variant):
        if variant not in ("client", "internal"):
            raise Http404
        version = get_object_or_404(
            ProgressReportVersion.objects.select_related("report__project").filter(
                report__project=self.project, report_id=report_pk
            ),
            number=number,
        )
        if variant == "internal" and not sees_finance(request.user, self.project):
            raise PermissionDenied
        return pdf_response(version, variant)
