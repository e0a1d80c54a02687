"""The portfolio risk matrix: open risks of every project the user may see, in one
GROUP BY, filtered by project status and category; a cell lists its risks."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils import timezone
from django.views import View

from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.rendering import render_list
from clientfolio.projects.models import Project
from clientfolio.risks import services
from clientfolio.risks.forms import RATING_CHOICES
from clientfolio.risks.models import Risk
from clientfolio.risks.views.common import matrix_context

__all__ = ["PortfolioView"]

PAGE_SIZE = 50


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


def _rating(value: str) -> int | None:
    return int(value) if value in {str(v) for v, _label in RATING_CHOICES} else None


class PortfolioView(LoginRequiredMixin, View):
    """Open risks across the portfolio on one 5 × 5 matrix."""

    def get(self, request):
        if not can(request.user, Action.VIEW, Risk):
            raise PermissionDenied
        return render_list(
            request,
            "risks/portfolio.html",
            "risks/partials/portfolio_cell.html",
            self.context(),
        )

    def context(self) -> dict[str, Any]:
        params = self.request.GET
        project_status = _choice(
            params.get("project_status", ""), Project.Status.values
        )
        category = _choice(params.get("category", ""), Risk.Category.values)
        probability = _rating(params.get("probability", ""))
        impact = _rating(params.get("impact", ""))
        risks = scope(self.request.user, Risk.objects.open())
        if project_status:
            risks = risks.filter(project__status=project_status)
        if category:
            risks = risks.filter(category=category)
        keep = params.copy()
        for key in ("probability", "impact", "page"):
            keep.pop(key, None)
        context: dict[str, Any] = {
            **matrix_context(
                risks.cell_counts(),
                services.default_thresholds(),
                base_query=keep.urlencode(),
                selected=(probability, impact),
            ),
            "project_status": project_status,
            "category": category,
            "project_statuses": Project.Status.choices,
            "categories": Risk.Category.choices,
            "cell": None,
            "today": timezone.localdate(),
        }
        if probability and impact:
            listed = (
                risks.filter(probability=probability, impact=impact)
                .select_related("project", "owner")
                .order_by("project__code", "-score", "id")
            )
            page = Paginator(listed, PAGE_SIZE).get_page(params.get("page"))
            paging = params.copy()
            paging.pop("page", None)
            context.update(
                {
                    "cell": (probability, impact),
                    "cell_score": probability * impact,
                    "page": page,
                    "risks": list(page.object_list),
                    "query": paging.urlencode(),
                }
            )
        return context
