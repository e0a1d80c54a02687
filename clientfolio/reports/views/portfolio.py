"""The portfolio dashboard (management): every open project the reader may see, by
health and phase, the milestones that slipped most, receivables with their ageing,
revenue by client, the people loaded beyond their week across projects, the
satisfaction trend and the clients at risk."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from clientfolio.core.permissions import Action, can
from clientfolio.projects.models import Project
from clientfolio.reports.portfolio import AGEING, portfolio
from clientfolio.reports.views.clients import signal_text

__all__ = ["PortfolioView"]


def _chart_data(board: Any) -> dict[str, Any]:
    """What the charts draw (the tables below them show the same figures)."""
    return {
        "phases": board.by_phase,
        "ageing": {
            "labels": [str(label) for _key, label, *_rest in AGEING],
            "values": [str(value) for value in board.ageing_totals],
        },
        "milestones": [
            {"name": f"{m.project.code} {m.name}", "slip": m.slip}
            for m in reversed(board.milestones)
        ],
        "satisfaction": [
            {
                "month": row.period,
                "answers": row.figures.count,
                "csat": None
                if row.figures.csat is None
                else round(row.figures.csat, 2),
                "nps": None if row.figures.nps is None else round(row.figures.nps, 1),
            }
            for row in board.satisfaction
        ],
    }


class PortfolioView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, Action.VIEW, Project):
            raise PermissionDenied
        board = portfolio(request.user, timezone.localdate())
        context = {
            "board": board,
            "today": board.today,
            "ageing": [label for _key, label, *_rest in AGEING],
            "chart_data": _chart_data(board),
            "at_risk": [
                (insight, [signal_text(s) for s in insight.signals])
                for insight in board.at_risk
            ],
        }
        return render(request, "reports/portfolio.html", context)
