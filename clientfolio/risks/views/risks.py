"""The risk register with its matrix, adding, editing and reassessing a risk, the risk's
page with its score trend, deleting, and the project's level thresholds."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core import history
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action
from clientfolio.core.rendering import render_list
from clientfolio.core.views import conflict_response
from clientfolio.risks import services
from clientfolio.risks.forms import (
    ReassessForm,
    RiskFilterForm,
    RiskForm,
    ThresholdsForm,
)
from clientfolio.risks.models import Level, Risk, RiskSettings
from clientfolio.risks.views.common import (
    LEVEL_COLOURS,
    RiskFolderMixin,
    matrix_context,
)

__all__ = [
    "RiskCreateView",
    "RiskDeleteView",
    "RiskDetailView",
    "RiskEditView",
    "RiskListView",
    "RiskReassessView",
    "ThresholdsView",
]

PAGE_SIZE = 50
SORTS = {
    "score": ["score", "id"],
    "-score": ["-score", "id"],
    "review": ["review_on", "id"],
    "-review": ["-review_on", "id"],
    "title": ["title", "id"],
    "-title": ["-title", "id"],
}


def _place_error(form, error: services.RiskError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.text)


class RiskListView(RiskFolderMixin, View):
    """The register (filterable, sortable, paginated) beside the project's 5 × 5 matrix."""

    def get(self, request, pk):
        return render_list(
            request,
            "risks/risk_list.html",
            "risks/partials/risk_table.html",
            self.list_context(),
        )

    def list_context(self) -> dict[str, Any]:
        filters = RiskFilterForm(self.request.GET)
        data = filters.cleaned_data if filters.is_valid() else {}
        base = Risk.objects.filter(project=self.project)
        thresholds = services.thresholds_for(self.project)
        status = data.get("status") or ""
        if status == "":
            base = base.open()
        elif status != "all":
            base = base.filter(status=status)
        if data.get("category"):
            base = base.filter(category=data["category"])
        counts = base.cell_counts()
        risks = base
        if data.get("level"):
            risks = risks.filter(level=data["level"])
        probability, impact = data.get("probability"), data.get("impact")
        if probability:
            risks = risks.filter(probability=probability)
        if impact:
            risks = risks.filter(impact=impact)
        sort = self.request.GET.get("sort", "-score")
        risks = risks.select_related("owner").order_by(
            *SORTS.get(sort, SORTS["-score"])
        )
        page = Paginator(risks, PAGE_SIZE).get_page(self.request.GET.get("page"))
        keep = self.request.GET.copy()
        for key in ("probability", "impact", "page"):
            keep.pop(key, None)
        paging = self.request.GET.copy()
        paging.pop("page", None)
        sorting = paging.copy()
        sorting.pop("sort", None)
        return {
            **self.folder_context(),
            **matrix_context(
                counts,
                thresholds,
                base_query=keep.urlencode(),
                selected=(probability, impact),
            ),
            "filters": filters,
            "page": page,
            "risks": list(page.object_list),
            "sort": sort,
            "query": paging.urlencode(),
            "sort_base": f"{sorting.urlencode()}&" if sorting else "",
            "cell": (probability, impact) if probability and impact else None,
            "filtered": any(data.get(k) for k in ("status", "level", "category"))
            or bool(probability or impact),
            "overdue_count": Risk.objects.filter(project=self.project)
            .review_overdue(timezone.localdate())
            .count(),
        }


class RiskCreateView(RiskFolderMixin, View):
    """Register a new risk; its first rating becomes its first assessment."""

    folder_action = Action.ADD
    template_name = "risks/risk_form.html"

    def get(self, request, pk):
        form = RiskForm(project=self.project)
        return render(
            request, self.template_name, {**self.folder_context(), "form": form}
        )

    def post(self, request, pk):
        form = RiskForm(request.POST, project=self.project)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        risk = form.save(commit=False)
        risk.project = self.project
        try:
            services.create_risk(
                risk,
                user=request.user,
                tasks=form.cleaned_data.get("tasks") or [],
                note=form.cleaned_data.get("note", ""),
            )
        except services.RiskError as error:
            _place_error(form, error)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("%(name)s added.") % {"name": risk})
        return redirect("risks:risk_detail", pk=pk, risk_pk=risk.pk)


class RiskDetailView(RiskFolderMixin, View):
    """A risk's facts, its score over time, its plans, linked tasks and issues, history."""

    template_name = "risks/risk_detail.html"

    def get(self, request, pk, risk_pk):
        risk = self.get_risk(risk_pk)
        return render(request, self.template_name, self.detail_context(risk))

    def detail_context(self, risk: Risk, reassess_form=None) -> dict[str, Any]:
        context = self.folder_context()
        thresholds = services.thresholds_for(self.project)
        assessments = list(risk.assessments.select_related("assessed_by"))
        labels = dict(Level.choices)
        chart = {
            "points": [
                {
                    "at": a.assessed_at.isoformat(),
                    "score": a.score,
                    "probability": a.probability,
                    "impact": a.impact,
                    "note": a.note,
                }
                for a in assessments
            ],
            "thresholds": list(thresholds.as_tuple()),
            "colours": LEVEL_COLOURS,
            "levels": labels,
            "text": {
                "score": _("Score"),
                "probability": _("Probability"),
                "impact": _("Impact"),
            },
        }
        return {
            **context,
            "risk": risk,
            "overdue": risk.review_overdue(context["today"]),
            # Only the tasks the reader can see: a link left to another project's
            # task names nothing of it.
            "tasks": list(
                risk.tasks.visible_to(self.request.user).order_by("wbs_sort")
            ),
            "issues": list(risk.issues.select_related("owner")),
            "assessments": list(reversed(assessments)),
            "trend_chart": chart,
            "thresholds": thresholds,
            "reassess_form": reassess_form
            or ReassessForm(
                initial={
                    "probability": risk.probability,
                    "impact": risk.impact,
                    "version": risk.version,
                }
            ),
            "history_entries": history.entries_for(
                [Risk.history.filter(id=risk.pk)], limit=10
            ),
        }


class RiskEditView(RiskFolderMixin, View):
    """Edit every field of a risk (409 on a stale save; a changed rating is assessed)."""

    folder_action = Action.CHANGE
    template_name = "risks/risk_form.html"

    def get(self, request, pk, risk_pk):
        risk = self.get_risk(risk_pk)
        form = RiskForm(instance=risk, project=self.project, user=request.user)
        return render(
            request,
            self.template_name,
            {**self.folder_context(), "form": form, "risk": risk},
        )

    def post(self, request, pk, risk_pk):
        risk = self.get_risk(risk_pk)
        was_occurred = risk.status == Risk.Status.OCCURRED
        form = RiskForm(
            request.POST, instance=risk, project=self.project, user=request.user
        )
        context = {**self.folder_context(), "form": form, "risk": risk}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.update_risk(
                form.save(commit=False),
                form.cleaned_data.get("version"),
                user=request.user,
                tasks=form.cleaned_data.get("tasks") or [],
                note=form.cleaned_data.get("note", ""),
            )
        except StaleVersion as stale:
            fresh = self.get_risk(risk_pk)
            return conflict_response(
                request,
                self.template_name,
                {**self.folder_context(), "risk": fresh},
                form,
                stale.current,
            )
        except services.RiskError as error:
            _place_error(form, error)
            return render(request, self.template_name, context, status=400)
        if risk.status == Risk.Status.OCCURRED and not was_occurred:
            messages.warning(
                request,
                _("The risk has occurred: open an issue in the issue log to track it."),
            )
            if self.folder_context()["can_add_issue"]:
                return redirect(
                    reverse("risks:issue_create", kwargs={"pk": pk})
                    + f"?risk={risk.pk}"
                )
        else:
            messages.success(request, _("Saved."))
        return redirect("risks:risk_detail", pk=pk, risk_pk=risk_pk)


class RiskReassessView(RiskFolderMixin, View):
    """Rate a risk again (POST): kept as a new point of its trend."""

    folder_action = Action.CHANGE

    def post(self, request, pk, risk_pk):
        risk = self.get_risk(risk_pk)
        form = ReassessForm(request.POST)
        detail = RiskDetailView()
        detail.request, detail.kwargs, detail.project = (
            request,
            self.kwargs,
            self.project,
        )
        if not form.is_valid():
            return render(
                request,
                RiskDetailView.template_name,
                detail.detail_context(risk, form),
                status=400,
            )
        try:
            services.reassess(
                risk,
                form.cleaned_data["probability"],
                form.cleaned_data["impact"],
                user=request.user,
                note=form.cleaned_data.get("note", ""),
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleVersion:
            fresh = self.get_risk(risk_pk)
            form.add_error(
                None,
                _(
                    "Someone else changed this risk while you were rating it. Nothing "
                    "was saved: check the current rating and submit again."
                ),
            )
            data = request.POST.copy()
            data["version"] = fresh.version
            form.data = data
            return render(
                request,
                RiskDetailView.template_name,
                {**detail.detail_context(fresh, form), "conflict": True},
                status=409,
            )
        except services.RiskError as error:
            _place_error(form, error)
            return render(
                request,
                RiskDetailView.template_name,
                detail.detail_context(risk, form),
                status=400,
            )
        messages.success(
            request, _("Reassessed: score %(score)s.") % {"score": risk.score}
        )
        return redirect("risks:risk_detail", pk=pk, risk_pk=risk_pk)


class RiskDeleteView(RiskFolderMixin, View):
    """Confirm (GET) and delete (POST) a risk with its assessments."""

    folder_action = Action.DELETE

    def get(self, request, pk, risk_pk):
        risk = self.get_risk(risk_pk)
        context = {
            **self.folder_context(),
            "risk": risk,
            "assessment_count": risk.assessments.count(),
        }
        return render(request, "risks/risk_confirm_delete.html", context)

    def post(self, request, pk, risk_pk):
        risk = self.get_risk(risk_pk)
        name = str(risk)
        services.delete_risk(risk)
        messages.success(request, _("%(name)s deleted.") % {"name": name})
        return redirect("risks:risk_list", pk=pk)


class ThresholdsView(RiskFolderMixin, View):
    """The project's level thresholds (the project manager sets them)."""

    folder_model = "risks.risksettings"
    folder_action = Action.CHANGE
    template_name = "risks/settings_form.html"

    def instance(self) -> RiskSettings:
        row = RiskSettings.objects.filter(project=self.project).first()
        if row is None:
            low, medium, high = services.default_thresholds().as_tuple()
            row = RiskSettings(
                project=self.project, low_max=low, medium_max=medium, high_max=high
            )
        return row

    def get(self, request, pk):
        form = ThresholdsForm(instance=self.instance())
        return render(
            request, self.template_name, {**self.folder_context(), "form": form}
        )

    def post(self, request, pk):
        row = self.instance()
        form = ThresholdsForm(request.POST, instance=row)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.save_thresholds(
                self.project,
                form.cleaned_data["low_max"],
                form.cleaned_data["medium_max"],
                form.cleaned_data["high_max"],
                form.cleaned_data.get("version") if row.pk else None,
            )
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, self.folder_context(), form, stale.current
            )
        except services.RiskError as error:
            _place_error(form, error)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Thresholds saved; risk levels updated."))
        return redirect("risks:risk_list", pk=pk)
