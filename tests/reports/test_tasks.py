"""The periodic job drafts the period's report of projects with a cadence, once."""

import pytest

from clientfolio.core.models import Event
from clientfolio.reports.models import ProgressReport, ReportSchedule
from clientfolio.reports.tasks import draft_scheduled_reports_on
from tests.reports.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_it_drafts_once_and_tells_the_manager(project, project_manager):
    from tests.projects.factories import ProjectFactory

    ReportSchedule.objects.create(project=project, cadence="weekly")
    ReportSchedule.objects.create(project=ProjectFactory(), cadence="")
    assert draft_scheduled_reports_on(TODAY) == 1
    assert draft_scheduled_reports_on(TODAY) == 0
    report = ProgressReport.objects.get()
    assert (report.project, report.period, str(report.period_start)) == (
        project,
        "weekly",
        "2026-11-09",
    )
    event = Event.objects.get(kind="report.drafted")
    assert event.recipient_ids == [project_manager.pk]
    assert event.target_id == report.pk


def test_the_job_is_scheduled():
    from clientfolio.core.jobs import PERIODIC

    assert "reports.tasks.draft_scheduled_reports" in PERIODIC


def test_the_notification_links_to_the_draft(project, project_manager):
    from clientfolio.notifications.targets import describe

    ReportSchedule.objects.create(project=project, cadence="monthly")
    draft_scheduled_reports_on(TODAY)
    event = Event.objects.get(kind="report.drafted")
    description = describe(event)
    assert description.url.endswith(f"/reports/{event.target_id}/")
    assert "is drafted" in description.title
