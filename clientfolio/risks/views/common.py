"""What the risk pages share: the folder frame with the Risks tab's sub-navigation, the
matrix as chart data, and the register's filters."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientfolio.core.permissions import Action, can, scope
from clientfolio.projects.folder import FolderMixin
from clientfolio.risks import scoring
from clientfolio.risks.models import Issue, Level, Risk

__all__ = ["RiskFolderMixin", "matrix_context"]

SECTIONS = [
    ("risks:risk_list", gettext_lazy("Risk register"), "alert-triangle", "risks.risk"),
    ("risks:issue_list", gettext_lazy("Issue log"), "bug", "risks.issue"),
]

LEVEL_COLOURS = {
    scoring.LOW: "#2fb344",
    scoring.MEDIUM: "#f59f00",
    scoring.HIGH: "#f76707",
    scoring.CRITICAL: "#d63939",
}


class RiskFolderMixin(FolderMixin):
    """Pages of one project's risks and issues."""

    folder_model = "risks.risk"

    def get_risk(self, risk_pk: int, queryset=None) -> Risk:
        base = (
            queryset if queryset is not None else Risk.objects.select_related("owner")
        )
        return get_object_or_404(
            scope(self.request.user, base.filter(project=self.project)), pk=risk_pk
        )

    def get_issue(self, issue_pk: int) -> Issue:
        base = Issue.objects.select_related("owner", "source_risk").filter(
            project=self.project
        )
        return get_object_or_404(scope(self.request.user, base), pk=issue_pk)

    def folder_context(self) -> dict[str, Any]:
        context = super().folder_context()
        user = self.request.user
        current = getattr(self.request.resolver_match, "url_name", "") or ""
        sections = []
        for name, label, icon, model in SECTIONS:
            if not can(user, Action.VIEW, model, project=self.project):
                continue
            prefix = name.split(":")[1].split("_")[0]
            sections.append(
                {
                    "url": reverse(name, kwargs={"pk": self.project.pk}),
                    "label": label,
                    "icon": icon,
                    "active": current.startswith(prefix),
                }
            )
        return {
            **context,
            "risk_sections": sections,
            "can_add_risk": can(user, Action.ADD, "risks.risk", project=self.project),
            "can_change_risk": can(
                user, Action.CHANGE, "risks.risk", project=self.project
            ),
            "can_delete_risk": can(
                user, Action.DELETE, "risks.risk", project=self.project
            ),
            "can_add_issue": can(user, Action.ADD, "risks.issue", project=self.project),
            "can_change_issue": can(
                user, Action.CHANGE, "risks.issue", project=self.project
            ),
            "can_edit_thresholds": can(
                user, Action.CHANGE, "risks.risksettings", project=self.project
            ),
            "today": timezone.localdate(),
        }


def matrix_context(
    counts: list[tuple[int, int, int]],
    thresholds: scoring.Thresholds,
    *,
    base_query: str = "",
    selected: tuple[int | None, int | None] = (None, None),
) -> dict[str, Any]:
    """The 5 × 5 matrix as rows for the HTML table (probability 5 at the top) and as the
    chart's data (``json_script``)."""
    cells = scoring.matrix(counts, thresholds)
    by_key = {(c.probability, c.impact): c for c in cells}
    labels = dict(Level.choices)
    prefix = f"{base_query}&" if base_query else ""
    rows = []
    for probability in reversed(scoring.SCALE):
        row = []
        for impact in scoring.SCALE:
            cell = by_key[(probability, impact)]
            row.append(
                {
                    "cell": cell,
                    "label": labels[cell.level],
                    "query": f"?{prefix}probability={probability}&impact={impact}",
                    "selected": selected == (probability, impact),
                }
            )
        rows.append({"probability": probability, "cells": row})
    total = sum(c.count for c in cells)
    level_totals: list[dict[str, Any]] = [
        {"level": level, "label": labels[level], "count": 0} for level in scoring.LEVELS
    ]
    index = {row["level"]: row for row in level_totals}
    for cell in cells:
        index[cell.level]["count"] += cell.count
    chart = {
        "cells": [
            [c.impact - 1, c.probability - 1, c.count, c.score, c.level] for c in cells
        ],
        "colours": LEVEL_COLOURS,
        "levels": labels,
        "base_query": prefix,
        "text": {
            "probability": _("Probability"),
            "impact": _("Impact"),
            "score": _("Score"),
            "level": _("Level"),
            "risks": _("Risks"),
        },
    }
    return {
        "matrix_rows": rows,
        "matrix_total": total,
        "level_totals": level_totals,
        "matrix_chart": chart,
        "thresholds": thresholds,
    }
