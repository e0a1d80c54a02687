"""risks.services: registering and reassessing risks, thresholds, and the issue log."""

from datetime import date

import pytest

from clientfolio.core.locking import StaleVersion
from clientfolio.risks import services
from clientfolio.risks.models import Issue, Risk, RiskAssessment


def test_a_new_risk_is_scored_levelled_and_assessed(make_risk, project_manager):
    # when a risk is registered at 4 × 4
    risk = make_risk(probability=4, impact=4)

    # then its score and level are computed and its first assessment is kept
    assert (risk.score, risk.level) == (16, "high")
    (assessment,) = risk.assessments.all()
    assert (assessment.probability, assessment.impact, assessment.score) == (4, 4, 16)
    assert assessment.assessed_by == project_manager


def test_every_reassessment_is_kept_as_the_trend(make_risk, member):
    # given a risk rated 3 × 4
    risk = make_risk(probability=3, impact=4)

    # when it is reassessed twice, once with no change
    services.reassess(risk, 2, 4, user=member, note="缓解措施生效")
    services.reassess(risk, 2, 4, user=member)

    # then the risk carries the latest rating and each assessment is in the history
    risk.refresh_from_db()
    assert (risk.score, risk.level, risk.version) == (8, "medium", 3)
    scores = list(risk.assessments.values_list("score", flat=True))
    assert scores == [12, 8, 8]
    assert risk.assessments.last().assessed_by == member


def test_an_edit_that_changes_the_rating_adds_an_assessment(make_risk, member):
    # given a risk
    risk = make_risk(probability=2, impact=2)

    # when an edit changes only the title, then no assessment is added
    risk.title = "需求变更频繁（客户方）"
    services.update_risk(risk, risk.version, user=member)
    assert risk.assessments.count() == 1

    # when an edit changes the impact, then one is
    risk.impact = 5
    services.update_risk(risk, risk.version, user=member, note="影响扩大")
    assert list(risk.assessments.values_list("score", "note")) == [
        (4, ""),
        (10, "影响扩大"),
    ]


@pytest.mark.parametrize("value", [0, 6, "x"])
def test_a_rating_off_the_scale_saves_nothing(make_risk, project, member, value):
    # when a risk is registered or reassessed with a rating off the scale
    with pytest.raises(services.RiskError) as error:
        make_risk(probability=value)

    # then the message names the field and nothing is saved
    assert error.value.field == "probability"
    assert "from 1 to 5" in error.value.text
    assert not Risk.objects.exists()

    risk = make_risk(probability=3)
    with pytest.raises(services.RiskError):
        services.reassess(risk, 3, value, user=member)
    risk.refresh_from_db()
    assert (risk.impact, risk.version, risk.assessments.count()) == (3, 1, 1)


def test_the_owner_must_be_on_the_team(make_risk, staff):
    with pytest.raises(services.RiskError) as error:
        make_risk(owner=staff)
    assert error.value.field == "owner"
    assert error.value.text == "The owner must be on the project team."
    assert not Risk.objects.exists()


def test_linked_tasks_must_belong_to_the_project(
    project, project_manager, client_record, task
):
    # given a task of another project
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    other = project_services.create_project(
        Project(name="另一个项目", client=client_record, manager=project_manager),
        user=project_manager,
    )
    foreign = schedule_services.create_task(Task(project=other, name="别处的任务"))

    # when a risk links it, then it is refused and nothing is saved
    with pytest.raises(services.RiskError) as error:
        services.create_risk(
            Risk(project=project, title="风险", probability=2, impact=2),
            user=project_manager,
            tasks=[task, foreign],
        )
    assert error.value.field == "tasks"
    assert not Risk.objects.exists()


def test_a_stale_edit_is_refused(make_risk, member):
    # given two editors who loaded version 1
    risk = make_risk()
    mine, theirs = Risk.objects.get(pk=risk.pk), Risk.objects.get(pk=risk.pk)
    theirs.title = "他们的标题"
    services.update_risk(theirs, 1, user=member)

    # when the second saves on version 1, then nothing is written
    mine.probability = 5
    with pytest.raises(StaleVersion):
        services.update_risk(mine, 1, user=member)
    risk.refresh_from_db()
    assert (risk.title, risk.probability) == ("他们的标题", 3)
    assert RiskAssessment.objects.filter(risk=risk).count() == 1


def test_project_thresholds_relevel_its_risks(make_risk, project):
    # given risks at 4, 9 and 16 under the defaults
    low, medium, high = (
        make_risk(probability=p, impact=i) for p, i in [(2, 2), (3, 3), (4, 4)]
    )
    assert [r.level for r in (low, medium, high)] == ["low", "medium", "high"]

    # when the manager tightens the thresholds to 3 / 8 / 15
    services.save_thresholds(project, 3, 8, 15)

    # then every risk of the project is re-levelled, and new risks use them
    levels = dict(Risk.objects.values_list("score", "level"))
    assert levels == {4: "medium", 9: "high", 16: "critical"}
    assert make_risk(probability=1, impact=3).level == "low"
    assert services.thresholds_for(project).as_tuple() == (3, 8, 15)


@pytest.mark.parametrize("limits", [(9, 4, 16), (4, 9, 30), (0, 9, 16)])
def test_thresholds_must_rise(project, make_risk, limits):
    risk = make_risk(probability=3, impact=3)
    with pytest.raises(services.RiskError):
        services.save_thresholds(project, *limits)
    risk.refresh_from_db()
    assert risk.level == "medium"
    assert services.thresholds_for(project).as_tuple() == (4, 9, 16)


def test_the_default_thresholds_come_from_settings(settings, make_risk):
    settings.CLIENTFOLIO_RISK_THRESHOLDS = (2, 6, 12)
    assert make_risk(probability=2, impact=2).level == "medium"


def test_open_issue_from_an_occurred_risk(make_risk, project, member, project_manager):
    # given a risk that occurred
    risk = make_risk(owner=member)
    risk.status = Risk.Status.OCCURRED
    services.update_risk(risk, risk.version, user=member)

    # when an issue is opened from it (the contract other apps call)
    issue = services.open_issue(
        project,
        title="供应商接口延期",
        severity="high",
        owner=member,
        due_on=date(2026, 12, 1),
        user=project_manager,
        source_risk=risk,
    )

    # then the issue is open, linked to the risk, and recorded who opened it
    assert isinstance(issue, Issue)
    assert (issue.status, issue.severity, issue.source_risk) == ("open", "high", risk)
    assert issue.created_by == project_manager
    assert list(risk.issues.all()) == [issue]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "问题", "severity": "urgent"}, "severity"),
        ({"title": "问题", "due_on": "明天"}, "due_on"),
    ],
)
def test_open_issue_refuses_bad_input(project, project_manager, kwargs, field):
    with pytest.raises(services.RiskError) as error:
        services.open_issue(project, user=project_manager, **kwargs)
    assert error.value.field == field
    assert error.value.message_dict == {field: [error.value.text]}
    assert not Issue.objects.exists()


def test_open_issue_refuses_an_outsider_owner_or_foreign_risk(
    project, project_manager, client_record, staff
):
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project

    other = project_services.create_project(
        Project(name="另一个项目", client=client_record, manager=project_manager),
        user=project_manager,
    )
    foreign = services.create_risk(
        Risk(project=other, title="别处的风险"), user=project_manager
    )
    with pytest.raises(services.RiskError) as error:
        services.open_issue(project, title="问题", owner=staff, user=project_manager)
    assert error.value.field == "owner"
    with pytest.raises(services.RiskError) as error:
        services.open_issue(
            project, title="问题", user=project_manager, source_risk=foreign
        )
    assert error.value.field == "source_risk"
    assert not Issue.objects.exists()


def test_overdue_reviews_are_the_owners_open_risks(make_risk, member, viewer):
    # given the member's risks: one overdue, one closed and overdue, one not due
    today = date(2026, 11, 25)
    overdue = make_risk("逾期", owner=member, review_on=date(2026, 11, 1))
    make_risk("已关闭", owner=member, review_on=date(2026, 11, 1), status="closed")
    make_risk("未到期", owner=member, review_on=date(2026, 12, 1))
    make_risk("别人的", owner=viewer, review_on=date(2026, 11, 1))

    # then only the open overdue one of theirs is listed
    assert list(services.overdue_reviews(member, today)) == [overdue]
