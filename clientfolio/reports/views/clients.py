"""Client analysis (客户分析) across the library: RFM segments and the clients at risk
with the signals that put them there, as of the last nightly computation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.views import View

from clientfolio.clients.models import Client, Contract
from clientfolio.core.permissions import Action, can, scope
from clientfolio.reports.models import ClientInsight

__all__ = ["ClientAnalysisView", "signal_text"]


def signal_text(signal: dict[str, Any]) -> str:
    code, value = signal.get("code"), int(signal.get("value", 0))
    if code == "revenue_decline":
        return gettext(
            "Revenue of the last 12 months is down %(percent)s%% on the 12 before."
        ) % {"percent": value}
    if code == "satisfaction":
        if "latest" in signal:
            return gettext(
                "Satisfaction fell by %(points)s points: the latest survey averages "
                "%(latest)s against %(earlier)s in the %(count)s earlier answers."
            ) % {
                "points": f"{value / 10:.1f}",
                "latest": signal["latest"],
                "earlier": signal["earlier"],
                "count": signal.get("earlier_answers", 0),
            }
        return gettext("Satisfaction fell by %(points)s points.") % {
            "points": f"{value / 10:.1f}"
        }
    if code == "complaints":
        return ngettext(
            "%(count)s open complaint.", "%(count)s open complaints.", value
        ) % {"count": value}
    if value < 0:
        return gettext("No contact on record.")
    return ngettext(
        "No contact for %(days)s day.", "No contact for %(days)s days.", value
    ) % {"days": value}


class ClientAnalysisView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not can(user, Action.VIEW, ClientInsight):
            raise PermissionDenied
        clients = scope(user, Client.objects.current())
        insights = ClientInsight.objects.filter(client__in=clients)
        segment = request.GET.get("segment", "")
        mine = request.GET.get("mine", "") == "1"
        counts = dict(
            insights.order_by()
            .values_list("segment")
            .annotate(n=Count("id"))
            .values_list("segment", "n")
        )
        listed = insights.select_related("client", "client__owner")
        if segment in ClientInsight.Segment.values:
            listed = listed.filter(segment=segment)
        else:
            segment = ""
            listed = listed.filter(at_risk=True)
        if mine:
            listed = listed.filter(client__owner_id=user.pk)
        page = Paginator(
            listed.order_by("-revenue_before", "-revenue", "client__name_sort", "pk"),
            25,
        ).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        paid_visible = set(
            scope(
                user, Contract.objects.filter(client_id__in=[r.client_id for r in rows])
            )
            .order_by()
            .values_list("client_id", flat=True)
            .distinct()
        )
        for row in rows:
            row.money_visible = row.client_id in paid_visible
            row.signal_texts = [signal_text(s) for s in row.signals]
        query = request.GET.copy()
        query.pop("page", None)
        segments = [
            {"value": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in ClientInsight.Segment.choices
        ]
        computed = insights.order_by("-computed_on").values_list(
            "computed_on", flat=True
        )[:1]
        context = {
            "segments": segments,
            "segment": segment,
            "segment_label": dict(ClientInsight.Segment.choices).get(segment, ""),
            "mine": mine,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "computed_on": computed[0] if computed else None,
            "at_risk_total": insights.filter(at_risk=True).count(),
            "chart_data": {"segments": segments},
        }
        return render(request, "reports/client_analysis.html", context)
