"""The reports app's event handler (``CLIENTFOLIO_EVENT_HANDLERS``): automatic
satisfaction surveys when a client accepts a milestone (or a deliverable of one). Safe
to run twice: a survey is made once per event. Closing a project is heard through the
closure app's registry (``closure.registry``), as closing publishes no event."""

from typing import Any

from clientfolio.core.events import Kind
from clientfolio.reports import surveys
from clientfolio.reports.survey_models import Survey

__all__ = ["handle_event"]


def handle_event(event: Any) -> None:
    if event.project_id is None:
        return
    if event.kind == Kind.DELIVERABLE_ACCEPTED and _is_milestone_acceptance(event):
        surveys.survey_for_event(
            event.project_id, Survey.Occasion.MILESTONE, f"event:{event.pk}"
        )


def _is_milestone_acceptance(event: Any) -> bool:
    """A milestone accepted directly, or a deliverable that belongs to a milestone."""
    if event.target_type == "schedule.task":
        return True
    if event.target_type != "quality.deliverable":
        return False
    from clientfolio.quality.models import Deliverable

    return Deliverable.objects.filter(
        pk=event.target_id, milestone__isnull=False
    ).exists()
