"""Quality services: deliverables tied to milestones, reviews with a computed result and
issues opened for failed items, client acceptance moving the deliverable and the
milestone, and improvement actions that need an evaluation to finish."""

import datetime

import pytest
from django.utils import timezone

from clientfolio.core.locking import StaleVersion
from clientfolio.documents.models import Document
from clientfolio.quality import services
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    ReviewItem,
)
from clientfolio.risks.models import Issue
from clientfolio.schedule.models import Task
from tests.documents.factories import upload

TODAY = timezone.localdate


# --- deliverables -----------------------------------------------------------------------


def test_a_deliverable_is_tied_to_a_milestone_of_its_project(deliverable, milestone):
    assert deliverable.milestone == milestone
    assert deliverable.criteria == ["包含部署架构图", "性能设计满足 P95 ≤ 300 ms"]


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("other_milestone", "Choose a milestone of this project."),
        ("plain_task", "“架构设计” is not a milestone."),
    ],
)
def test_a_milestone_of_another_project_or_a_plain_task_is_refused(
    project, task, message, request
):
    # given a task that is not a milestone of this project
    target = request.getfixturevalue(task)

    # when a deliverable is tied to it, then it is refused and nothing is saved
    with pytest.raises(services.QualityError, match=message) as refused:
        services.save_deliverable(
            Deliverable(project=project, name="交付物", milestone=target)
        )
    assert refused.value.field == "milestone"
    assert not Deliverable.objects.exists()


def test_accepted_is_never_set_by_hand(deliverable):
    deliverable.status = Deliverable.Status.ACCEPTED
    with pytest.raises(services.QualityError, match="client's acceptance"):
        services.save_deliverable(deliverable, deliverable.version)
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.SUBMITTED


def test_a_stale_edit_of_a_deliverable_is_refused(deliverable):
    # given someone saved the deliverable after we loaded it
    stale_version = deliverable.version
    other = Deliverable.objects.get(pk=deliverable.pk)
    other.name = "改名"
    services.save_deliverable(other, other.version)

    # when we save our edit based on the old version, then it is refused
    deliverable.name = "另一个名字"
    with pytest.raises(StaleVersion):
        services.save_deliverable(deliverable, stale_version)
    assert Deliverable.objects.get(pk=deliverable.pk).name == "改名"


# --- reviews ----------------------------------------------------------------------------


def _review(project, deliverable, results, reviewer=None):
    return services.save_review(
        QualityReview(
            project=project,
            deliverable=deliverable,
            title="设计评审",
            reviewed_on=datetime.date(2026, 10, 9),
            reviewer=reviewer,
        ),
        [
            ReviewItem(criterion=f"标准 {i}", result=result)
            for i, result in enumerate(results, start=1)
        ],
    )


def test_the_overall_result_is_computed_from_the_checklist(project, deliverable):
    assert _review(project, deliverable, ["pass", "na"]).result == "passed"
    failed = _review(project, deliverable, ["pass", "fail"])
    assert failed.result == "failed"
    assert list(failed.items.values_list("position", flat=True)) == [1, 2]
    assert _review(project, deliverable, ["na"]).result == "not_assessed"


def test_the_checklist_starts_with_the_deliverables_criteria_or_the_standards(
    project, deliverable, standard
):
    criteria = services.review_checklist(project, deliverable)
    assert [item.criterion for item in criteria] == deliverable.criteria
    standards = services.review_checklist(project, None)
    assert [item.standard for item in standards] == [standard]
    assert standards[0].criterion == "接口性能（P95 响应时间 ≤ 300 ms）"


def test_a_result_outside_the_choices_is_refused(project, deliverable):
    with pytest.raises(services.QualityError, match="is not a checklist result"):
        _review(project, deliverable, ["pass", "maybe"])
    assert not QualityReview.objects.exists()
    assert not ReviewItem.objects.exists()


def test_an_edit_removes_and_updates_items_and_recomputes(project, deliverable):
    # given a failed review with two items
    review = _review(project, deliverable, ["pass", "fail"])
    first, second = review.items.all()

    # when the failed item is removed and the first kept
    services.save_review(
        review, [first], expected_version=review.version, removed=[second]
    )

    # then the review passes with one item
    review.refresh_from_db()
    assert review.result == "passed"
    assert list(review.items.all()) == [first]


def test_a_failed_item_opens_an_issue_in_the_issue_log(
    project, deliverable, project_manager
):
    # given a review with a failed item
    review = _review(project, deliverable, ["pass", "fail"])
    failed = review.items.get(result="fail")
    failed.findings = "缺少网络拓扑图"
    failed.save()

    # when the manager opens an issue for it
    issue = services.open_issue_for_item(failed, user=project_manager, severity="high")

    # then the issue is in the project's log and linked to the item
    failed.refresh_from_db()
    assert failed.issue == issue
    assert issue.project == project
    assert issue.severity == "high"
    assert issue.title == "架构设计说明书：标准 2"
    assert "缺少网络拓扑图" in issue.description

    # and a second issue for the same item, or one for a passed item, is refused
    with pytest.raises(services.QualityError, match="already has its issue"):
        services.open_issue_for_item(failed, user=project_manager)
    passed = review.items.get(result="pass")
    with pytest.raises(services.QualityError, match="Only a failed"):
        services.open_issue_for_item(passed, user=project_manager)
    assert Issue.objects.count() == 1


# --- client acceptance --------------------------------------------------------------------


def _decide(project, user, **kwargs):
    defaults = {"decided_on": TODAY(), "comments": "", "user": user}
    return services.record_acceptance(project, **{**defaults, **kwargs})


def test_a_rejection_reopens_the_work_and_an_acceptance_closes_it(
    project, deliverable, milestone, contact, project_manager
):
    # given the milestone reached and the deliverable submitted
    milestone.status = Task.Status.DONE
    from clientfolio.schedule import services as schedule

    schedule.update_task(milestone, milestone.version)

    # when the client rejects the deliverable with comments
    rejection = _decide(
        project,
        project_manager,
        deliverable=deliverable,
        decision="rejected",
        contact=contact,
        comments="缺少网络拓扑图",
    )

    # then the deliverable is in progress again and the milestone not done
    deliverable.refresh_from_db()
    milestone.refresh_from_db()
    assert rejection.milestone == milestone
    assert deliverable.status == Deliverable.Status.IN_PROGRESS
    assert milestone.status == Task.Status.TODO
    assert milestone.percent_complete == 0

    # when the client then accepts it with the signed document
    acceptance = _decide(
        project,
        project_manager,
        deliverable=deliverable,
        decision="accepted",
        contact=contact,
        files=[upload("验收确认单.pdf")],
    )

    # then the deliverable is accepted, the milestone done, the document filed
    deliverable.refresh_from_db()
    milestone.refresh_from_db()
    assert deliverable.status == Deliverable.Status.ACCEPTED
    assert milestone.status == Task.Status.DONE
    assert milestone.percent_complete == 100
    document = acceptance.document
    assert isinstance(document, Document)
    assert document.project == project
    assert document.folder is not None
    assert document.folder.template.name_en == "Acceptance"
    assert acceptance.recorded_by == project_manager
    assert acceptance.channel == Acceptance.Channel.STAFF


def test_a_milestone_waits_for_all_its_deliverables(
    project, deliverable, milestone, contact, project_manager
):
    # given a second deliverable on the milestone, not accepted
    services.save_deliverable(
        Deliverable(project=project, milestone=milestone, name="数据库设计")
    )

    # when the first is accepted, then the milestone is not done yet
    _decide(
        project,
        project_manager,
        deliverable=deliverable,
        decision="accepted",
        contact=contact,
    )
    milestone.refresh_from_db()
    assert milestone.status != Task.Status.DONE


def test_a_milestone_can_be_accepted_directly(
    project, milestone, contact, project_manager
):
    _decide(
        project,
        project_manager,
        milestone=milestone,
        decision="accepted",
        contact=contact,
    )
    milestone.refresh_from_db()
    assert milestone.status == Task.Status.DONE


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"contact": "stranger"}, "contact", "王芳 is not a contact of 上海云帆"),
        ({"decision": "rejected"}, "comments", "comments are required"),
        ({"milestone": "other_milestone"}, "milestone", "milestone is not the"),
        ({"decision": "maybe"}, "decision", "Choose accepted or rejected."),
        (
            {"decided_on": datetime.date(2999, 1, 1)},
            "decided_on",
            "in the future",
        ),
    ],
)
def test_bad_acceptances_are_refused_and_nothing_is_saved(
    project, deliverable, contact, project_manager, change, field, message, request
):
    # given a decision with one bad value
    values = {"deliverable": deliverable, "decision": "accepted", "contact": contact}
    for key, value in change.items():
        values[key] = (
            request.getfixturevalue(value)
            if key
            in (
                "contact",
                "milestone",
            )
            else value
        )

    # when it is recorded, then it is refused with a clear message
    with pytest.raises(services.QualityError, match=message) as refused:
        _decide(project, project_manager, files=[upload("签字.pdf")], **values)
    assert refused.value.field == field

    # and nothing is saved: no acceptance, no document, the deliverable unchanged
    assert not Acceptance.objects.exists()
    assert not Document.objects.filter(project=project).exists()
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.SUBMITTED


def test_an_accepted_milestone_is_done_on_the_day_the_client_decided(
    project, milestone, contact, project_manager
):
    # given the client's acceptance recorded three days after it was given
    decided = TODAY() - datetime.timedelta(days=3)
    _decide(
        project,
        project_manager,
        milestone=milestone,
        decision="accepted",
        contact=contact,
        decided_on=decided,
    )

    # then the milestone finished that day (its slip is measured from it)
    milestone.refresh_from_db()
    assert milestone.status == Task.Status.DONE
    assert (milestone.actual_start, milestone.actual_finish) == (decided, decided)


def test_a_plain_task_cannot_be_accepted_as_a_milestone(
    project, plain_task, contact, project_manager
):
    with pytest.raises(services.QualityError, match="is not a milestone"):
        _decide(
            project,
            project_manager,
            milestone=plain_task,
            decision="accepted",
            contact=contact,
        )
    assert not Acceptance.objects.exists()


# --- improvement actions ---------------------------------------------------------------------


def test_an_improvement_action_needs_an_evaluation_to_finish(project, member):
    # given an action being checked
    action = services.save_action(
        ImprovementAction(
            project=project, problem="评审漏项", owner=member, status="check"
        )
    )

    # when it is finished without an evaluation, then it is refused
    action.status = "act"
    with pytest.raises(services.QualityError, match="Evaluate the effect") as refused:
        services.save_action(action, action.version)
    assert refused.value.field == "evaluation"
    assert ImprovementAction.objects.get(pk=action.pk).status == "check"

    # when it is finished with an evaluation, then it is done today
    action.evaluation = "后续两次评审无漏项"
    services.save_action(action, action.version)
    action.refresh_from_db()
    assert action.status == "act"
    assert action.completed_on == TODAY()


def test_an_owner_off_the_team_is_refused(project, staff):
    with pytest.raises(services.QualityError, match="member of the project team"):
        services.save_action(
            ImprovementAction(project=project, problem="问题", owner=staff)
        )
