"""The portfolio dashboard: projects by health, slipped milestones, receivables with
ageing and people's load across projects, each through the reader's scope, in a
constant number of queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.reports.portfolio import portfolio
from clientfolio.schedule.models import Assignment, Baseline, BaselineTask, Task
from tests.projects.factories import ProjectFactory
from tests.reports.test_my_work import TODAY, make_task

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("reports:portfolio")
AT_TODAY = datetime.datetime(2026, 7, 1, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def board(project, member, project_manager):
    """The shared project active since June with a milestone 5 days behind its
    baseline, and the member on two projects for 30 hours each in the week of 6 July;
    another project nobody here is on."""
    project.__class__.objects.filter(pk=project.pk).update(
        status="active", starts_on=D(2026, 6, 1), planned_finish_on=D(2026, 7, 31)
    )
    milestone = Task.objects.create(
        project=project, name="验收", is_milestone=True, duration=0
    )
    Task.objects.filter(pk=milestone.pk).update(
        start=D(2026, 7, 20), finish=D(2026, 7, 20)
    )
    baseline = Baseline.objects.create(project=project, name="签约基线")
    BaselineTask.objects.create(
        baseline=baseline, task=milestone, start=D(2026, 7, 15), finish=D(2026, 7, 15)
    )
    other = ProjectFactory(client=project.client, status="active")
    other.memberships.create(user=member, role="member")
    for where in (project, other):
        task = make_task(where, "开发", D(2026, 7, 10), duration=4)
        Task.objects.filter(pk=task.pk).update(start=D(2026, 7, 6))
        Assignment.objects.create(task=task, user=member, hours=Decimal("30"))
    hidden = ProjectFactory(status="active")
    make_task(hidden, "保密任务", D(2026, 7, 8))
    return {"milestone": milestone, "other": other, "hidden": hidden}


def test_the_portfolio_of_a_member_holds_their_projects_only(board, project, member):
    view = portfolio(member, TODAY)

    assert {e.project.pk for e in view.projects} == {project.pk, board["other"].pk}
    assert sum(view.by_health.values()) == 2
    [slipped] = view.milestones
    assert (slipped.id, slipped.slip) == (board["milestone"].pk, 5)
    # the member has 60 hours in the week of 6 July from two projects
    [load] = view.people
    assert load.user == member
    assert view.weeks[1] == D(2026, 7, 6)
    assert load.weeks[1] == Decimal("60.0")
    assert load.across_projects
    assert load.peak_percent == 150
    # no money for a member
    assert view.receivables == []
    assert view.revenue == []


def test_an_administrator_sees_every_open_project(board, admin):
    view = portfolio(admin, TODAY)
    assert board["hidden"].pk in {e.project.pk for e in view.projects}


def test_the_page_draws_its_charts_and_tables_in_constant_queries(
    board, as_persona, member
):
    member.language = "en"
    member.save()
    browser = as_persona("member")
    with (
        time_machine.travel(AT_TODAY, tick=False),
        CaptureQueriesContext(connection) as first,
    ):
        html = browser.get(URL).content.decode()
    assert 'id="portfolio-charts"' in html
    assert "Open projects by phase and health" in html
    assert "Overloaded across projects" in html
    assert "保密任务" not in html
    for n in range(3):
        extra = ProjectFactory(client=board["other"].client, status="active")
        extra.memberships.create(user=member, role="member")
        make_task(extra, f"任务{n}", D(2026, 7, 8))
    with (
        time_machine.travel(AT_TODAY, tick=False),
        CaptureQueriesContext(connection) as second,
    ):
        browser.get(URL)
    assert len(first.captured_queries) == len(second.captured_queries) == 18


def test_the_satisfaction_trend_and_the_clients_at_risk(board, project, admin):
    from clientfolio.reports.models import ClientInsight
    from tests.reports.factories import AnswerFactory, InvitationFactory

    june = datetime.datetime(2026, 6, 10, 3, tzinfo=datetime.UTC)
    for answered_at, quality, nps in (
        (june, 5, 10),
        (june, 3, 5),
        (june + datetime.timedelta(days=20), 2, 3),
        (datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC), 1, 0),  # too old
    ):
        AnswerFactory(
            invitation=InvitationFactory(survey__project=project),
            answered_at=answered_at,
            quality=quality,
            schedule=quality,
            communication=quality,
            responsiveness=quality,
            value=quality,
            nps=nps,
        )
    hidden_client = board["hidden"].client
    for client, value in ((project.client, 14), (hidden_client, 30)):
        ClientInsight.objects.create(
            client=client,
            computed_on=TODAY,
            at_risk=True,
            signals=[{"code": "satisfaction", "value": value}],
        )
    mine = portfolio(admin, TODAY)
    assert [(r.period, r.figures.count) for r in mine.satisfaction] == [("2026-06", 3)]
    june_row = mine.satisfaction[0].figures
    assert june_row.csat == pytest.approx(10 / 3)
    assert june_row.nps == pytest.approx(-100 / 3)  # a promoter, two detractors
    assert {i.client_id for i in mine.at_risk} == {project.client_id, hidden_client.pk}
    assert mine.at_risk_total == 2

    with time_machine.travel(AT_TODAY, tick=False):
        from tests.conftest import BrowserClient, _signed_in

        admin.language = "en"
        admin.save()
        html = _signed_in(admin, BrowserClient).get(URL).content.decode()
    assert "Satisfaction per month, last twelve months · as of 2026-07-01" in html
    assert '"satisfaction": [{"month": "2026-06", "answers": 3, "csat": 3.33' in html
    assert "Satisfaction fell by 1.4 points." in html
    assert 'id="clients-at-risk"' in html
