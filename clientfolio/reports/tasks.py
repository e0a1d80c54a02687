"""The reports app's jobs: e-mailing a sent survey and the daily survey reminders."""

from datetime import time

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from clientfolio.core.jobs import periodic
from clientfolio.reports import surveys

__all__ = ["email_survey", "remind_surveys", "survey_after_closure"]


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
