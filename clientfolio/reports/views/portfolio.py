"""The portfolio dashboard (management): every open project the reader may see, by
health and phase, the milestones that slipped most, receivables with their ageing,
revenue by client and the people loaded beyond their week across projects."""

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
        }
        return render(request, "reports/portfolio.html", context)
