"""Quality pages: the deliverable list (the folder tab) with status and acceptance state,
deliverable, review and improvement forms refusing bad input with clear messages, the
review checklist as a formset with an htmx row, opening an issue for a failed item,
recording the client's decision, stale edits (409) and query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clientfolio.documents.models import Document
from clientfolio.quality import services
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    ReviewItem,
)
from clientfolio.schedule.models import Task
from tests.documents.factories import upload

# A client's decision is never dated in the future: relative to today, whatever it is.
DECIDED_ON = timezone.localdate() - datetime.timedelta(days=40)


def url(name, project, **kwargs):
    return reverse(f"quality:{name}", kwargs={"pk": project.pk, **kwargs})


def _review_data(deliverable, items, **extra):
    data = {
        "title": "设计评审",
        "deliverable": deliverable.pk,
        "reviewed_on": "2026-10-09",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        **extra,
    }
    for index, (criterion, result, findings) in enumerate(items):
        data[f"items-{index}-criterion"] = criterion
        data[f"items-{index}-result"] = result
        data[f"items-{index}-findings"] = findings
    return data


def test_the_quality_tab_lists_deliverables_with_their_state(
    as_persona, project, deliverable, contact, project_manager
):
    # given a deliverable accepted by the client
    services.record_acceptance(
        project,
        deliverable=deliverable,
        decision="accepted",
        contact=contact,
        decided_on=DECIDED_ON,
        user=project_manager,
    )

    # when a viewer opens the quality tab
    response = as_persona("viewer").get(url("deliverable_list", project))

    # then the deliverable shows its milestone, status and the client's decision
    body = response.content.decode()
    assert response.status_code == 200
    assert "架构设计说明书" in body
    assert "设计评审通过" in body
    assert DECIDED_ON.isoformat() in body
    assert body.count(">Accepted<") >= 2
    # and the tab and the sub-navigation are there, without the manager's buttons
    assert 'aria-current="page">Quality' in body
    assert url("standard_list", project) in body
    assert url("acceptance_create", project) not in body
    assert url("deliverable_create", project) not in body


def test_the_list_filters_by_status_and_has_an_empty_state(
    as_persona, project, deliverable
):
    browser = as_persona("member")
    body = browser.get(url("deliverable_list", project) + "?status=planned").content
    assert "No deliverable has this status." in body.decode()
    Deliverable.objects.all().delete()
    body = browser.get(url("deliverable_list", project)).content.decode()
    assert "No deliverables yet." in body
    assert url("deliverable_create", project) in body


def _deliverables(project, milestone, count):
    for n in range(count):
        services.save_deliverable(
            Deliverable(project=project, milestone=milestone, name=f"交付物{n}")
        )


@pytest.mark.parametrize(
    ("page", "limit"),
    [
        ("deliverable_list", 9),
        ("review_list", 8),
        ("action_list", 9),
        ("standard_list", 7),
        ("acceptance_list", 8),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(
    as_persona,
    project,
    milestone,
    member,
    contact,
    project_manager,
    django_assert_max_num_queries,
    page,
    limit,
):
    # given many records of every kind
    _deliverables(project, milestone, 8)
    for deliverable in Deliverable.objects.all():
        services.save_review(
            QualityReview(
                project=project,
                deliverable=deliverable,
                title="评审",
                reviewed_on=datetime.date(2026, 10, 9),
                reviewer=member,
            ),
            [ReviewItem(criterion="标准", result="fail")],
        )
        services.save_action(
            ImprovementAction(project=project, problem="问题", owner=member)
        )
        services.record_acceptance(
            project,
            deliverable=deliverable,
            decision="rejected",
            contact=contact,
            comments="不行",
            decided_on=DECIDED_ON,
            user=project_manager,
        )
    browser = as_persona("member")

    # when the list opens, then the number of queries does not grow with the rows
    # (the limits: what the page takes today, plus two for the shared frame)
    with django_assert_max_num_queries(limit):
        response = browser.get(url(page, project))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("page", "kwargs", "limit"),
    [
        ("deliverable_detail", "deliverable", 15),
        ("review_detail", "review", 14),
        ("action_detail", "action", 10),
    ],
)
def test_detail_pages_take_a_fixed_number_of_queries(
    as_persona,
    project,
    deliverable,
    member,
    django_assert_max_num_queries,
    page,
    kwargs,
    limit,
):
    review = services.save_review(
        QualityReview(
            project=project,
            deliverable=deliverable,
            title="评审",
            reviewed_on=datetime.date(2026, 10, 9),
        ),
        [ReviewItem(criterion=f"标准{n}", result="pass") for n in range(10)],
    )
    action = services.save_action(
        ImprovementAction(project=project, problem="问题", review=review)
    )
    records = {"deliverable": deliverable, "review": review, "action": action}
    address = url(page, project, **{f"{kwargs}_pk": records[kwargs].pk})
    browser = as_persona("viewer")
    with django_assert_max_num_queries(limit):
        response = browser.get(address)
    assert response.status_code == 200


def test_a_deliverable_is_added_on_a_milestone(as_persona, project, milestone, member):
    # when a member adds a deliverable on the milestone
    response = as_persona("member").post(
        url("deliverable_create", project),
        {
            "name": "数据库设计文档",
            "milestone": milestone.pk,
            "owner": member.pk,
            "status": "planned",
            "acceptance_criteria": "ER 图\n数据字典",
        },
    )

    # then it is saved and its page opens
    deliverable = Deliverable.objects.get(name="数据库设计文档")
    assert response.status_code == 302
    assert response["Location"] == url(
        "deliverable_detail", project, deliverable_pk=deliverable.pk
    )
    assert deliverable.milestone == milestone
    assert deliverable.criteria == ["ER 图", "数据字典"]


@pytest.mark.parametrize("task", ["other_milestone", "plain_task"])
def test_a_milestone_of_another_project_or_a_plain_task_is_refused(
    as_persona, project, task, request
):
    target = request.getfixturevalue(task)
    response = as_persona("member").post(
        url("deliverable_create", project),
        {"name": "交付物", "milestone": target.pk, "status": "planned"},
    )
    assert response.status_code == 400
    assert (
        "Choose a milestone of this project&#x27;s plan." in response.content.decode()
    )
    assert not Deliverable.objects.exists()


def test_a_stale_edit_answers_409_and_keeps_the_input(as_persona, project, deliverable):
    # given someone else renamed the deliverable after we loaded the form
    loaded = deliverable.version
    services.save_deliverable(deliverable, deliverable.version)

    # when we save our edit based on the old version
    response = as_persona("member").post(
        url("deliverable_edit", project, deliverable_pk=deliverable.pk),
        {"name": "我的改名", "status": "submitted", "version": loaded},
    )

    # then it is refused with 409, our input kept, nothing saved
    body = response.content.decode()
    assert response.status_code == 409
    assert "我的改名" in body
    assert 'id="conflict"' in body
    assert Deliverable.objects.get(pk=deliverable.pk).name == "架构设计说明书"


def test_a_new_review_starts_with_the_deliverables_criteria(
    as_persona, project, deliverable
):
    response = as_persona("member").get(
        url("review_create", project) + f"?deliverable={deliverable.pk}"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="包含部署架构图"' in body
    assert 'value="性能设计满足 P95 ≤ 300 ms"' in body
    assert 'name="items-TOTAL_FORMS" value="3"' in body


def test_a_review_with_a_failed_item_is_saved_as_failed(
    as_persona, project, deliverable, member
):
    response = as_persona("member").post(
        url("review_create", project),
        _review_data(
            deliverable,
            [
                ("包含部署架构图", "pass", ""),
                ("性能设计满足 P95 ≤ 300 ms", "fail", "压测 P95 为 450 ms"),
                ("", "pass", ""),  # an empty row is skipped
            ],
            reviewer=member.pk,
        ),
    )
    review = QualityReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("review_detail", project, review_pk=review.pk)
    assert review.result == "failed"
    assert review.items.count() == 2
    assert review.items.get(result="fail").findings == "压测 P95 为 450 ms"


def test_a_result_outside_the_choices_is_refused(as_persona, project, deliverable):
    response = as_persona("member").post(
        url("review_create", project),
        _review_data(deliverable, [("包含部署架构图", "maybe", "")]),
    )
    assert response.status_code == 400
    assert "Choose pass, fail or not applicable." in response.content.decode()
    assert not QualityReview.objects.exists()


def test_htmx_adds_a_numbered_checklist_row(as_persona, project):
    response = as_persona("member").get(url("review_item_row", project) + "?index=4")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="items-4-criterion"' in body
    assert 'name="items-4-result"' in body


def test_a_stale_review_edit_answers_409(as_persona, project, deliverable):
    review = services.save_review(
        QualityReview(
            project=project,
            deliverable=deliverable,
            title="评审",
            reviewed_on=datetime.date(2026, 10, 9),
        ),
        [ReviewItem(criterion="标准", result="pass")],
    )
    loaded = review.version
    services.save_review(review, list(review.items.all()), expected_version=loaded)
    item = review.items.get()
    data = _review_data(deliverable, [("标准", "fail", "")], version=loaded)
    data.update({"items-INITIAL_FORMS": "1", "items-0-id": item.pk})
    response = as_persona("member").post(
        url("review_edit", project, review_pk=review.pk), data
    )
    assert response.status_code == 409
    review.refresh_from_db()
    assert review.result == "passed"


def test_a_failed_item_opens_an_issue_from_the_review_page(
    as_persona, project, deliverable
):
    # given a review with a failed item
    review = services.save_review(
        QualityReview(
            project=project,
            deliverable=deliverable,
            title="评审",
            reviewed_on=datetime.date(2026, 10, 9),
        ),
        [ReviewItem(criterion="包含部署架构图", result="fail", findings="缺图")],
    )
    item = review.items.get()
    browser = as_persona("member")
    detail = url("review_detail", project, review_pk=review.pk)
    assert (
        url("review_item_issue", project, item_pk=item.pk)
        in browser.get(detail).content.decode()
    )

    # when the member opens an issue for it
    response = browser.post(url("review_item_issue", project, item_pk=item.pk))

    # then the item links to the new issue, shown on the review page
    item.refresh_from_db()
    assert response.status_code == 302
    assert item.issue is not None
    body = browser.get(detail).content.decode()
    assert "架构设计说明书：包含部署架构图" in body


def test_the_acceptance_form_offers_only_the_clients_contacts(
    as_persona, project, deliverable, stranger
):
    response = as_persona("project_manager").get(
        url("acceptance_create", project) + f"?deliverable={deliverable.pk}"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "张伟" in body
    assert "王芳" not in body
    assert 'enctype="multipart/form-data"' in body


def _acceptance_data(deliverable, contact, **extra):
    return {
        "deliverable": deliverable.pk,
        "decision": "accepted",
        "contact": contact.pk,
        "decided_on": timezone.localdate().isoformat(),
        "comments": "",
        **extra,
    }


def test_a_contact_of_another_client_is_refused(
    as_persona, project, deliverable, stranger
):
    response = as_persona("project_manager").post(
        url("acceptance_create", project),
        _acceptance_data(deliverable, stranger, document=upload("签字.pdf")),
    )
    assert response.status_code == 400
    assert "Choose a contact of 上海云帆信息科技有限公司" in response.content.decode()
    assert not Acceptance.objects.exists()
    assert not Document.objects.exists()


def test_a_rejection_without_comments_is_refused(
    as_persona, project, deliverable, contact
):
    response = as_persona("project_manager").post(
        url("acceptance_create", project),
        _acceptance_data(deliverable, contact, decision="rejected"),
    )
    assert response.status_code == 400
    assert "comments are required" in response.content.decode()
    assert not Acceptance.objects.exists()


def test_the_manager_records_a_rejection_then_an_acceptance(
    as_persona, project, deliverable, milestone, contact
):
    browser = as_persona("project_manager")

    # when the manager records the client's rejection
    response = browser.post(
        url("acceptance_create", project),
        _acceptance_data(
            deliverable, contact, decision="rejected", comments="缺少网络拓扑图"
        ),
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.IN_PROGRESS

    # and then the acceptance with the signed document
    response = browser.post(
        url("acceptance_create", project),
        _acceptance_data(deliverable, contact, document=upload("验收确认单.pdf")),
    )

    # then the deliverable is accepted, its milestone done, the document listed
    assert response.status_code == 302
    deliverable.refresh_from_db()
    milestone.refresh_from_db()
    assert deliverable.status == Deliverable.Status.ACCEPTED
    assert milestone.status == Task.Status.DONE
    body = browser.get(response["Location"]).content.decode()
    assert "验收确认单" in body
    assert "缺少网络拓扑图" in body


def test_members_do_not_record_acceptances(as_persona, project, deliverable, contact):
    response = as_persona("member").post(
        url("acceptance_create", project), _acceptance_data(deliverable, contact)
    )
    assert response.status_code == 403
    assert not Acceptance.objects.exists()


def test_finishing_an_action_without_evaluation_is_refused(as_persona, project):
    response = as_persona("member").post(
        url("action_create", project), {"problem": "评审漏项", "status": "act"}
    )
    assert response.status_code == 400
    assert "Evaluate the effect of the action" in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_a_standard_is_added_and_listed_by_category(as_persona, project):
    browser = as_persona("member")
    response = browser.post(
        url("standard_create", project),
        {"category": "service", "title": "问题响应", "target": "≤ 4 小时"},
    )
    assert response.status_code == 302
    body = browser.get(url("standard_list", project)).content.decode()
    assert "问题响应" in body
    assert "≤ 4 小时" in body
