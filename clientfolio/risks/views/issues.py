"""The issue log (问题日志): the list, opening an issue (also from an occurred risk), its
page and editing it."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core import history
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action
from clientfolio.core.views import conflict_response
from clientfolio.risks import services
from clientfolio.risks.forms import IssueForm
from clientfolio.risks.models import Issue, Risk
from clientfolio.risks.views.common import RiskFolderMixin

__all__ = ["IssueCreateView", "IssueDetailView", "IssueEditView", "IssueListView"]

PAGE_SIZE = 50


def _place_error(form, error: services.RiskError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.text)


class IssueFolderMixin(RiskFolderMixin):
    folder_model = "risks.issue"


class IssueListView(IssueFolderMixin, View):
    """The project's issues, open ones first, filtered by status."""

    def get(self, request, pk):
        status = request.GET.get("status", "")
        base = Issue.objects.filter(project=self.project)
        counts = dict(base.order_by().values_list("status").annotate(n=Count("id")))
        issues = base.select_related("owner", "source_risk")
        if status in Issue.Status.values:
            issues = issues.filter(status=status)
        page = Paginator(issues.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context: dict[str, Any] = {
            **self.folder_context(),
            "issues": list(page.object_list),
            "page": page,
            "status": status,
            "total": sum(counts.values()),
            "status_counts": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in Issue.Status.choices
            ],
        }
        return render(request, "risks/issue_list.html", context)


class IssueCreateView(IssueFolderMixin, View):
    """Open an issue; ``?risk=`` starts it from a risk that occurred."""

    folder_action = Action.ADD
    template_name = "risks/issue_form.html"

    def source(self, value) -> Risk | None:
        if value and str(value).isdigit():
            return self.get_risk(int(value))
        return None

    def get(self, request, pk):
        risk = self.source(request.GET.get("risk"))
        initial: dict[str, Any] = {}
        if risk is not None:
            initial = {
                "title": risk.title,
                "description": risk.description,
                "source_risk": risk.pk,
                "owner": risk.owner_id,
                "severity": risk.level
                if risk.level in Issue.Severity.values
                else Issue.Severity.MEDIUM,
            }
        form = IssueForm(project=self.project, initial=initial)
        return render(
            request,
            self.template_name,
            {**self.folder_context(), "form": form, "source": risk},
        )

    def post(self, request, pk):
        form = IssueForm(request.POST, project=self.project)
        context = {**self.folder_context(), "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        try:
            issue = services.open_issue(
                self.project,
                title=data["title"],
                description=data.get("description", ""),
                severity=data["severity"],
                owner=data.get("owner"),
                due_on=data.get("due_on"),
                user=request.user,
                source_risk=data.get("source_risk"),
            )
        except services.RiskError as error:
            _place_error(form, error)
            return render(request, self.template_name, context, status=400)
        if data.get("root_cause") or data.get("resolution") or data["status"] != "open":
            issue.root_cause = data.get("root_cause", "")
            issue.resolution = data.get("resolution", "")
            issue.status = data["status"]
            services.update_issue(issue, issue.version)
        messages.success(request, _("%(name)s added.") % {"name": issue})
        return redirect("risks:issue_detail", pk=pk, issue_pk=issue.pk)


class IssueDetailView(IssueFolderMixin, View):
    """An issue's facts, its source risk and its history."""

    def get(self, request, pk, issue_pk):
        issue = self.get_issue(issue_pk)
        context = {
            **self.folder_context(),
            "issue": issue,
            "history_entries": history.entries_for(
                [Issue.history.filter(id=issue.pk)], limit=10
            ),
        }
        return render(request, "risks/issue_detail.html", context)


class IssueEditView(IssueFolderMixin, View):
    """Edit an issue (409 on a stale save)."""

    folder_action = Action.CHANGE
    template_name = "risks/issue_form.html"

    def get(self, request, pk, issue_pk):
        issue = self.get_issue(issue_pk)
        form = IssueForm(instance=issue, project=self.project)
        return render(
            request,
            self.template_name,
            {**self.folder_context(), "form": form, "issue": issue},
        )

    def post(self, request, pk, issue_pk):
        issue = self.get_issue(issue_pk)
        form = IssueForm(request.POST, instance=issue, project=self.project)
        context = {**self.folder_context(), "form": form, "issue": issue}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.update_issue(
                form.save(commit=False), form.cleaned_data.get("version")
            )
        except StaleVersion as stale:
            fresh = self.get_issue(issue_pk)
            return conflict_response(
                request,
                self.template_name,
                {**self.folder_context(), "issue": fresh},
                form,
                stale.current,
            )
        except services.RiskError as error:
            _place_error(form, error)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Saved."))
        return redirect("risks:issue_detail", pk=pk, issue_pk=issue_pk)
