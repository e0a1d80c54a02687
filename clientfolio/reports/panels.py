"""What the reports app's satisfaction surveys add to lower apps' pages: a card on the
project's overview, a panel on the client's page, the closure evaluation's
satisfaction and the survey after closing (registered in ``ReportsConfig.ready()``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from clientfolio.core.jobs import enqueue_on_commit
from clientfolio.core.permissions import Action, can, scope
from clientfolio.reports import surveys
from clientfolio.reports.survey_models import Answer

__all__ = ["client_panel", "closed_listener", "closure_source", "overview_panel"]

# Answers listed on the client's page (newest first).
CLIENT_ANSWERS_SHOWN = 10


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


def closure_source(project: Any) -> int | None:
    return surveys.closure_satisfaction(project)


def closed_listener(project_id: int, key: str) -> None:
    """A project was closed: its closure survey goes out from a job."""
    from clientfolio.reports.tasks import survey_after_closure

    enqueue_on_commit(survey_after_closure, project_id, key)
