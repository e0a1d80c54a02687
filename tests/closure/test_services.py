"""Closure services: the checklist from the data, closing (refused, overridden, clean),
reopening, lessons, handover and evaluation rules."""

import datetime

import pytest

from clientfolio.clients.models import FollowUp
from clientfolio.closure import checklist, services
from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson
from clientfolio.projects.models import Project, ProjectEvent
from clientfolio.risks.models import Issue, Risk
from tests.clients.factories import ClientFactory, ContactFactory
from tests.closure.factories import LessonFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _statuses(project):
    return {row.key: row.status for row in services.checklist_rows(project)}


def test_every_blocker_makes_its_item_not_met_with_a_link(project, blockers):
    # when the checklist is computed
    rows = services.checklist_rows(project)

    # then every item is not met, counts one record and links somewhere
    assert {row.key: (row.status, row.count) for row in rows} == dict.fromkeys(
        checklist.ITEM_KEYS, (checklist.NOT_MET, 1)
    )
    links = {row.key: row.url for row in rows}
    assert links["deliverables"].endswith("/quality/?status=submitted") or (
        "status=submitted" in links["deliverables"]
    )
    assert links["issues"].endswith("?status=open")
    assert links["documents"].endswith("/closure/handover/")
    assert all(links.values())


def test_settled_blockers_meet_every_item(project, blockers, settle):
    # given every blocker settled
    settle(blockers)

    # then every item is met
    assert set(_statuses(project).values()) == {checklist.MET}


def test_void_and_draft_invoices_are_ignored(project, blockers):
    from clientfolio.finance.models import Invoice

    # given the only invoice voided, and a draft
    Invoice.objects.filter(pk=blockers["invoice"].pk).update(status="void")
    Invoice.objects.create(
        number="INV-CL-002",
        project=project,
        client=project.client,
        contract=blockers["invoice"].contract,
        status="draft",
    )

    # then invoices are not applicable
    assert _statuses(project)["invoices"] == checklist.NOT_APPLICABLE


def test_an_occurred_risk_counts_as_settled_only_with_resolved_issues(
    project, blockers
):
    # given the open risk has occurred, without an issue
    Risk.objects.filter(pk=blockers["risk"].pk).update(status="occurred")
    Issue.objects.filter(pk=blockers["issue"].pk).update(status="resolved")
    assert _statuses(project)["risks"] == checklist.NOT_MET

    # when an open issue is logged from it, it is still not settled
    issue = Issue.objects.create(
        project=project, title="离职交接", status="open", source_risk=blockers["risk"]
    )
    assert _statuses(project)["risks"] == checklist.NOT_MET

    # when that issue is resolved, the risk is settled
    Issue.objects.filter(pk=issue.pk).update(status="resolved")
    assert _statuses(project)["risks"] == checklist.MET


def test_closing_with_unmet_items_without_override_is_refused(
    project, project_manager, blockers
):
    # when the manager closes without the override
    with pytest.raises(services.ClosureError, match="8 unmet item"):
        services.close_project(project, user=project_manager)

    # then nothing was saved
    project.refresh_from_db()
    assert project.status == Project.Status.PROPOSED
    assert not Closure.objects.exists()
    assert not FollowUp.objects.filter(purpose__contains=project.code).exists()


def test_an_override_needs_a_reason(project, project_manager, blockers):
    with pytest.raises(services.ClosureError, match="reason") as error:
        services.close_project(project, user=project_manager, override=True, reason=" ")
    assert error.value.field == "reason"
    assert not Closure.objects.exists()


def test_an_override_with_a_reason_closes_and_records_the_unmet_items(
    project, project_manager, blockers
):
    # when the manager closes anyway, with a reason
    today = datetime.date(2026, 7, 1)
    closure = services.close_project(
        project,
        user=project_manager,
        override=True,
        reason="客户要求提前结项，尾款另行跟进",
        follow_up_days=14,
        today=today,
    )

    # then the project is completed, in the closing phase, finished today
    project.refresh_from_db()
    assert (project.status, project.phase) == ("completed", "closing")
    assert project.actual_finish_on == today
    # and who, why and which items were unmet are recorded
    assert closure.closed_by == project_manager
    assert closure.overridden
    assert closure.override_reason == "客户要求提前结项，尾款另行跟进"
    assert [item["key"] for item in closure.unmet_items] == list(checklist.ITEM_KEYS)
    # and the status change is a project event with the reason
    event = ProjectEvent.objects.filter(project=project, kind="status").first()
    assert (event.new_value, event.user, event.comment) == (
        "completed",
        project_manager,
        "客户要求提前结项，尾款另行跟进",
    )
    # and a follow-up visit is planned for the manager 14 days later
    follow_up = closure.follow_up
    assert follow_up.client == project.client
    assert follow_up.owner == project_manager
    assert follow_up.planned_on == datetime.date(2026, 7, 15)
    assert project.code in follow_up.purpose


def test_a_clean_closure_needs_no_override(project, project_manager, blockers, settle):
    settle(blockers)
    closure = services.close_project(project, user=project_manager)
    assert not closure.overridden
    assert closure.unmet_items == []
    assert FollowUp.objects.filter(pk=closure.follow_up_id).exists()


def test_closing_twice_is_refused(project, project_manager):
    services.close_project(project, user=project_manager)
    with pytest.raises(services.ClosureError, match="already closed"):
        services.close_project(project, user=project_manager)
    assert FollowUp.objects.filter(purpose__contains=project.code).count() == 1


def test_a_follow_up_outside_a_year_is_refused(project, project_manager):
    with pytest.raises(services.ClosureError, match="1 to 365"):
        services.close_project(project, user=project_manager, follow_up_days=400)
    assert not Closure.objects.exists()


def test_reopening_is_recorded_and_allows_closing_again(project, project_manager):
    # given a closed project
    services.close_project(project, user=project_manager)

    # when the manager reopens it with a reason
    closure = services.reopen_project(project, user=project_manager, reason="补充验收")

    # then it is active again, and who and why are recorded
    project.refresh_from_db()
    assert project.status == "active"
    assert not closure.is_closed
    assert (closure.reopened_by, closure.reopen_reason) == (project_manager, "补充验收")
    assert ProjectEvent.objects.filter(
        project=project, kind="status", new_value="active", comment="补充验收"
    ).exists()
    # and it can be closed again
    assert services.close_project(project, user=project_manager).is_closed


def test_reopening_needs_a_closed_project_and_a_reason(project, project_manager):
    with pytest.raises(services.ClosureError, match="Only a closed project"):
        services.reopen_project(project, user=project_manager, reason="x")
    services.close_project(project, user=project_manager)
    with pytest.raises(services.ClosureError, match="reason"):
        services.reopen_project(project, user=project_manager, reason="")


def test_lesson_search_finds_chinese_substrings_in_title_text_and_tags(project):
    # given three lessons
    LessonFactory(
        project=project, title="接口联调提前", text="提前两周开始联调", tags=["集成"]
    )
    LessonFactory(project=project, title="需求冻结", text="签字确认", tags=["范围管理"])
    LessonFactory(project=project, title="Weekly demo", text="Show progress", tags=[])

    # then the search matches substrings, case-insensitively, across fields
    def titles(text):
        return sorted(Lesson.objects.search(text).values_list("title", flat=True))

    assert titles("联调") == ["接口联调提前"]
    assert titles("范围") == ["需求冻结"]
    assert titles("DEMO") == ["Weekly demo"]
    assert titles("提前 集成") == ["接口联调提前"]
    assert titles("不存在") == []


def test_editing_a_lesson_keeps_its_search_text_and_checks_the_version(project):
    from clientfolio.core.locking import StaleVersion

    lesson = LessonFactory(project=project, title="旧标题", tags=["甲"])
    lesson.title = "新标题"
    services.save_lesson(lesson, tags=["乙"], expected_version=1)
    lesson.refresh_from_db()
    assert "新标题" in lesson.search_text
    assert "乙" in lesson.search_text
    assert "甲" not in lesson.search_text
    with pytest.raises(StaleVersion):
        services.save_lesson(lesson, expected_version=1)


def test_lessons_for_a_project_come_from_the_same_client_or_shared_tags(
    project, project_manager, client_record
):
    from clientfolio.projects.services import _set_tags

    # given an earlier project of the same client, one of another client sharing a tag,
    # and one unrelated; the manager is on all of them
    same_client = ProjectFactory(client=client_record, manager=project_manager)
    tagged = ProjectFactory(client=ClientFactory(), manager=project_manager)
    unrelated = ProjectFactory(client=ClientFactory(), manager=project_manager)
    _set_tags(project, ["数据平台"])
    LessonFactory(project=same_client, title="同客户的教训")
    LessonFactory(project=tagged, title="同标签的教训", tags=["数据平台"])
    LessonFactory(project=unrelated, title="无关的教训", tags=["其他"])
    LessonFactory(project=project, title="本项目的教训")

    # then the new project is shown the first two
    titles = {
        lesson.title
        for lesson in services.lessons_for_project(project, project_manager)
    }
    assert titles == {"同客户的教训", "同标签的教训"}


def test_lessons_of_projects_the_user_is_not_on_are_not_suggested(
    project, member, client_record
):
    other = ProjectFactory(client=client_record)
    LessonFactory(project=other, title="别人的教训")
    assert services.lessons_for_project(project, member) == []


def test_a_handover_to_another_clients_contact_is_refused(project, project_manager):
    # given a contact of another client
    stranger = ContactFactory(client=ClientFactory(name="另一家公司"), name="陌生人")

    # when the handover names them
    with pytest.raises(services.ClosureError, match="not a contact of this project"):
        services.save_handover(
            Handover(project=project, handed_over_on=datetime.date(2026, 6, 1)),
            recipients=[stranger],
        )

    # then nothing was saved
    assert not Handover.objects.exists()


def test_a_handover_lists_the_clients_contacts_documents_and_deliverables(
    project, project_manager, client_record, blockers
):
    contact = client_record.contacts.get(name="张伟")
    handover = services.save_handover(
        Handover(
            project=project,
            handed_over_on=datetime.date(2026, 6, 1),
            handed_over_by=project_manager,
            training="两次管理员培训",
        ),
        recipients=[contact],
        documents=[blockers["document"]],
        deliverables=[blockers["deliverable"]],
    )
    assert list(handover.recipients.all()) == [contact]
    assert _statuses(project)["documents"] == checklist.MET


def test_documents_of_another_project_cannot_be_handed_over(project, project_manager):
    from tests.documents.factories import DocumentFactory

    foreign = DocumentFactory(project=ProjectFactory(), title="别的项目的文档")
    with pytest.raises(services.ClosureError, match="documents of this project"):
        services.save_handover(
            Handover(project=project, handed_over_on=datetime.date(2026, 6, 1)),
            documents=[foreign],
        )
    assert not Handover.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_satisfaction_outside_1_to_5_is_refused(project, score):
    with pytest.raises(services.ClosureError, match="from 1"):
        services.save_evaluation(Evaluation(project=project, satisfaction=score))
    assert not Evaluation.objects.exists()


def test_evaluation_figures_say_no_data_without_data(project):
    figures = services.evaluation_figures(project)
    assert figures.spi is None
    assert figures.cpi is None
    assert figures.budget is None
    assert figures.actual_cost is None
    assert figures.slip_days is None
    assert not figures.has_quality_data
    assert figures.satisfaction is None


def test_evaluation_figures_from_the_projects_data(project, project_manager, member):
    from decimal import Decimal

    from clientfolio.finance.models import BudgetLine, Expense
    from clientfolio.quality.models import QualityReview
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    # given a project planned for March, finished 5 days late, half its work done
    Project.objects.filter(pk=project.pk).update(
        starts_on=datetime.date(2026, 3, 2),
        planned_finish_on=datetime.date(2026, 3, 31),
        actual_finish_on=datetime.date(2026, 4, 5),
    )
    project.refresh_from_db()
    task = schedule_services.create_task(
        Task(project=project, name="开发", duration=10)
    )
    Task.objects.filter(pk=task.pk).update(percent_complete=50)
    BudgetLine.objects.create(
        project=project, category="labor", amount=Decimal("10000")
    )
    Expense.objects.create(
        project=project,
        category="travel",
        spent_on=datetime.date(2026, 3, 10),
        amount=Decimal("4000"),
        description="差旅",
        status="approved",
        submitted_by=member,
    )
    QualityReview.objects.bulk_create(
        [
            QualityReview(
                project=project,
                title="评审一",
                reviewed_on="2026-03-20",
                result="passed",
            ),
            QualityReview(
                project=project,
                title="评审二",
                reviewed_on="2026-03-25",
                result="failed",
            ),
        ]
    )
    services.save_evaluation(Evaluation(project=project, satisfaction=4))

    # when the figures are computed
    figures = services.evaluation_figures(project)

    # then schedule, cost, quality and satisfaction are there
    assert figures.slip_days == 5
    assert figures.budget == Decimal("10000")
    assert figures.actual_cost == Decimal("4000")
    assert figures.cpi is not None
    assert figures.cpi > 1
    assert figures.spi is not None
    assert figures.spi < 1
    assert (figures.reviews_passed, figures.reviews_failed) == (1, 1)
    assert figures.satisfaction == 4


def test_gathering_facts_takes_a_fixed_number_of_queries(
    project, blockers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        services.gather_facts(project)
