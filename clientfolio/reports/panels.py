"""What the reports app adds to lower apps' pages (registered in
``ReportsConfig.ready()``): each project's health, percent complete, next milestone and
budget burn on the project list and the health card of the folder overview; and from the
satisfaction surveys a card on the project's overview, a panel on the client's page, the
closure evaluation's satisfaction and the survey after closing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from clientfolio.core.jobs import enqueue_on_commit
from clientfolio.core.permissions import Action, can, scope
from clientfolio.projects.models import Project
from clientfolio.reports import surveys
from clientfolio.reports.dashboards import project_health
from clientfolio.reports.survey_models import Answer

__all__ = [
    "client_analysis_panel",
    "client_panel",
    "closed_listener",
    "closure_source",
    "health_panel",
    "overview_panel",
    "project_glances",
]

# Answers listed on the client's page (newest first).
CLIENT_ANSWERS_SHOWN = 10


def project_glances(request: HttpRequest, projects: list[Project]) -> dict[int, Any]:
    return project_health(projects, timezone.localdate(), request.user)


def health_panel(request: HttpRequest, project: Project) -> dict[str, Any]:
    entry = project_health([project], timezone.localdate(), request.user)[project.pk]
    return {"health": entry}


def overview_panel(request: HttpRequest, project: Any) -> dict[str, Any]:
    """The Satisfaction card of the project's overview: the figures and the link."""
    if not can(request.user, Action.VIEW, "reports.survey", project=project):
        return {"survey_card": None}
    return {"survey_card": surveys.project_figures(project, count_invited=False)}


def client_panel(request: HttpRequest, client: Any) -> dict[str, Any] | None:
    """The client's satisfaction over the projects the user sees: the figures and the
    latest answers (three queries)."""
    answers = scope(request.user, Answer.objects.filter(survey__project__client=client))
    rows = list(
        answers.select_related("contact", "survey__project").order_by(
            "-answered_at", "-id"
        )[:CLIENT_ANSWERS_SHOWN]
    )
    if not rows:
        return None
    return {
        "template": "reports/partials/survey_client_panel.html",
        "figures": surveys.client_figures(answers),
        "answers": rows,
    }


def client_analysis_panel(request: HttpRequest, client: Any) -> dict[str, Any]:
    """The client-analysis card of the client's page (客户分析): money per month, projects,
    satisfaction, complaints, the last contact and the RFM segment with its signals."""
    from clientfolio.reports.insights import client_analysis
    from clientfolio.reports.models import ClientInsight
    from clientfolio.reports.views.clients import signal_text

    analysis = client_analysis(request.user, client, timezone.localdate())
    insight = analysis["insight"]
    labels = dict(Project.Status.choices)
    return {
        "template": "reports/partials/client_analysis_panel.html",
        **analysis,
        "segment_label": dict(ClientInsight.Segment.choices).get(insight.segment)
        if insight
        else None,
        "signal_texts": [signal_text(s) for s in insight.signals] if insight else [],
        "project_rows": [
            (labels.get(status, status), n)
            for status, n in sorted(analysis["projects"].items())
        ],
        "chart": {"money": analysis["money"]},
    }


def closure_source(project: Any) -> int | None:
    return surveys.closure_satisfaction(project)


def closed_listener(project_id: int, key: str) -> None:
    """A project was closed: its closure survey goes out from a job."""
    from clientfolio.reports.tasks import survey_after_closure

    enqueue_on_commit(survey_after_closure, project_id, key)
