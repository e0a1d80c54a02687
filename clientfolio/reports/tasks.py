"""The reports app's jobs: each morning, draft the period's progress report of every
project with a reporting cadence and tell its manager a draft is ready; each night,
recompute the client analysis; e-mail sent surveys and remind of unanswered ones."""

from __future__ import annotations

import logging
from datetime import date, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core.events import Kind, publish
from clientfolio.core.jobs import periodic
from clientfolio.reports import services, surveys
from clientfolio.reports.insights import compute_insights
from clientfolio.reports.models import ReportSchedule

__all__ = [
    "draft_scheduled_reports",
    "draft_scheduled_reports_on",
    "email_survey",
    "recompute_insights",
    "remind_surveys",
    "survey_after_closure",
]

logger = logging.getLogger(__name__)

# Projects still being worked on: closed and cancelled ones get no more reports.
ACTIVE = ("proposed", "active", "on_hold")


def draft_scheduled_reports_on(today: date) -> int:
    """Draft the report of the period holding ``today`` for every project with a
    cadence that has none yet, and tell each manager (``report.drafted``, once per
    report). Returns how many drafts were made; a second run the same period makes none."""
    made = 0
    schedules = (
        ReportSchedule.objects.exclude(cadence="")
        .filter(project__status__in=ACTIVE)
        .select_related("project__client", "project__manager")
        .order_by("project_id")
    )
    for schedule in schedules:
        project = schedule.project
        report, created = services.draft_report(project, schedule.cadence, today=today)
        if not created:
            continue
        made += 1
        publish(
            Kind.REPORT_DRAFTED,
            report,
            recipients=[project.manager_id],
            project=project,
            data={"title": str(report)},
            key=f"report.drafted:{report.pk}",
        )
    logger.info("Drafted %d scheduled progress reports", made)
    return made


@periodic(
    at=time(7, 0),
    description=_("Draft the progress reports of projects with a reporting cadence"),
)
@task()
def draft_scheduled_reports() -> int:
    return draft_scheduled_reports_on(timezone.localdate())


@periodic(
    at=time(2, 30),
    description=_("Recompute the client analysis: RFM segments and clients at risk"),
)
@task()
def recompute_insights() -> int:
    return compute_insights(timezone.localdate())


# --- satisfaction surveys ------------------------------------------------------------


@task(queue_name="mail")
def email_survey(survey_id: int) -> int:
    """E-mail the contacts of a sent survey; safe to run twice."""
    return surveys.send_survey_emails(survey_id)


@periodic(
    at=time(9, 30),
    description=_(
        "Remind client contacts once of satisfaction surveys left unanswered"
    ),
)
@task()
def remind_surveys() -> int:
    """One reminder per unanswered invitation, after the project's reminder days."""
    return surveys.remind_unanswered()


@task()
def survey_after_closure(project_id: int, key: str) -> int | None:
    """The closure survey of a project just closed (when its settings ask for one);
    made once per closing."""
    from clientfolio.reports.survey_models import Survey

    survey = surveys.survey_for_event(project_id, Survey.Occasion.CLOSURE, key)
    return survey.pk if survey else None
