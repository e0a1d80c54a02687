"""The project's finance overview (the folder's Finance tab): budget against actual cost by
category and by WBS branch, billing, earned value and three charts (``finance.report``)."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.permissions import Action, can
from clientfolio.finance import report
from clientfolio.projects.folder import FolderMixin

__all__ = ["AlertsView", "OverviewView"]


class OverviewView(FolderMixin, View):
    folder_model = "finance.budgetline"

    def get(self, request, pk):
        overview = report.build_overview(self.project)
        user = request.user
        context = {
            **self.folder_context(),
            "section": "overview",
            "overview": overview,
            "evm": overview.evm.indicators,
            "charts": overview.charts,
            "chart_text": {
                "actual": _("Actual cost"),
                "budget": _("Budget"),
                "pv": _("Planned value (PV)"),
                "ev": _("Earned value (EV)"),
                "ac": _("Actual cost (AC)"),
                # The curve's marker: the status date when the schedule sets one.
                "today": _("Today")
                if overview.evm.status_date == overview.today
                else _("Status date"),
            },
            "can_view_invoices": can(
                user, Action.VIEW, "finance.invoice", project=self.project
            ),
        }
        return render(request, "finance/overview.html", context)


class AlertsView(FolderMixin, View):
    """The finance alerts banner of the folder overview, loaded after the page: the
    alerts need the whole cost report, which takes a while on a large project, and the
    overview should not wait for it."""

    folder_model = "finance.budgetline"

    def get(self, request, pk):
        alerts = report.alerts(self.project)
        level = "danger" if any(a.level == "danger" for a in alerts) else "warning"
        return render(
            request,
            "finance/overview_alerts.html",
            {"alerts": alerts, "level": level, "project": self.project},
        )
