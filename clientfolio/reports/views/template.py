"""The firm's progress-report template (administrators): which sections reports have,
in which order, which a new draft shows the client, and the logo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can
from clientfolio.reports import services
from clientfolio.reports.models import ReportTemplate
from clientfolio.reports.progress_forms import TemplateForm
from clientfolio.reports.sections import SECTIONS

__all__ = ["ReportTemplateView"]


def _initial(template: ReportTemplate) -> dict:
    order = template.sections or list(SECTIONS)
    initial: dict = {"version": template.version if template.pk else None}
    for index, section in enumerate(SECTIONS, start=1):
        shown = section in order
        initial[f"{section}_shown"] = shown
        initial[f"{section}_order"] = order.index(section) + 1 if shown else index
        initial[f"{section}_client"] = section in template.client_sections
    return initial


class ReportTemplateView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, Action.CHANGE, ReportTemplate):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form, template, status=200) -> HttpResponse:
        context = {
            "form": form,
            "template": template,
            "logo_uri": services.template_logo_uri(),
        }
        return render(request, "reports/report_template.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        template = services.report_template()
        return self.render_page(
            request, TemplateForm(initial=_initial(template)), template
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        template = services.report_template()
        form = TemplateForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, form, template, status=400)
        sections, client_sections = form.chosen()
        try:
            services.save_template(
                sections=sections,
                client_sections=client_sections,
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleVersion:
            messages.error(request, str(StaleVersion.message))
            return self.render_page(request, form, template, status=409)
        except services.ReportError as error:
            field = error.field if error.field in ("logo",) else None
            form.add_error(field, error.message)
            return self.render_page(request, form, template, status=400)
        messages.success(
            request, _("Template saved: new drafts and their PDFs follow it.")
        )
        return redirect("reports:report_template")
