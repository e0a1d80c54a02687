"""Pages of requirements and change requests: lists, forms, steps, conflicts, bad input."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest, ProjectRequirement
from tests.clients.factories import ContactFactory, RequirementFactory
from tests.projects.factories import (
    ChangeRequestFactory,
    ChangeRequestTransitionFactory,
    ProjectRequirementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(as_persona):
    return as_persona("project_manager")


@pytest.fixture
def zhang(project):
    return project.client.contacts.get(name="张伟")


def url(name, project, *args):
    return reverse(f"projects:{name}", args=[project.pk, *args])


def body(response):
    return response.content.decode()


# --- requirements ------------------------------------------------------------------------


def test_the_requirement_list_groups_by_status_with_counts(pm, project, zhang):
    # given two collected requirements and one confirmed
    ProjectRequirementFactory(project=project, title="单点登录")
    ProjectRequirementFactory(project=project, title="数据导出")
    confirmed = ProjectRequirementFactory(project=project, title="权限管理")
    change_control.move_requirement(confirmed, "confirmed", confirmed_by=zhang)

    # when the manager opens the list
    response = pm.get(url("requirement_list", project))

    # then every requirement is listed under its status, with counts per status
    assert response.status_code == 200
    html = body(response)
    for title in ("单点登录", "数据导出", "权限管理", "张伟"):
        assert title in html
    counts = {s["value"]: s["count"] for s in response.context["status_counts"]}
    assert (counts["collected"], counts["confirmed"], counts["delivered"]) == (2, 1, 0)
    assert [r.title for r in response.context["requirements"]] == [
        "单点登录",
        "数据导出",
        "权限管理",
    ]
    assert html.index("单点登录") < html.index("权限管理")


def test_the_requirement_list_filters_by_status(pm, project):
    ProjectRequirementFactory(project=project, title="单点登录")
    ProjectRequirementFactory(project=project, title="数据导出", status="in_scope")
    response = pm.get(url("requirement_list", project), {"status": "in_scope"})
    assert [r.title for r in response.context["requirements"]] == ["数据导出"]
    assert "单点登录" not in body(response)


def test_the_list_offers_the_clients_needs_not_yet_in_the_project(pm, project):
    # given the client's need 移动端审批 (from the fixture) already in the project, and
    # another need not yet
    taken = project.client.requirements.get(title="移动端审批")
    ProjectRequirementFactory(project=project, source=taken)
    RequirementFactory(client=project.client, title="对账单下载")
    RequirementFactory(title="别的客户的需求")

    # when the manager opens the list
    response = pm.get(url("requirement_list", project))

    # then only the untaken need of this client is offered
    assert [n.title for n in response.context["client_needs"]] == ["对账单下载"]
    assert "别的客户的需求" not in body(response)


def test_a_viewer_sees_the_requirements_without_actions(as_persona, project):
    ProjectRequirementFactory(project=project, title="单点登录")
    response = as_persona("viewer").get(url("requirement_list", project))
    assert response.status_code == 200
    html = body(response)
    assert "单点登录" in html
    assert url("requirement_create", project) not in html
    assert "Take into scope" not in html
    assert "Confirm…" not in html


def test_a_new_requirement_is_added(pm, project):
    response = pm.post(
        url("requirement_create", project),
        {"title": "单点登录", "description": "对接企业微信", "priority": "high"},
    )
    assert response.status_code == 302
    requirement = ProjectRequirement.objects.get()
    assert (requirement.title, requirement.priority, requirement.status) == (
        "单点登录",
        "high",
        "collected",
    )


def test_a_requirement_is_added_from_a_client_need_with_one_click(pm, project):
    need = project.client.requirements.get(title="移动端审批")
    response = pm.post(url("requirement_create", project), {"source": need.pk})
    assert response.status_code == 302
    requirement = ProjectRequirement.objects.get()
    assert (requirement.source, requirement.title) == (need, "移动端审批")


def test_a_requirement_without_title_or_need_is_refused_inline(pm, project):
    response = pm.post(url("requirement_create", project), {"description": "没有标题"})
    assert response.status_code == 400
    assert "Give the requirement a title or choose a client need." in body(response)
    assert "没有标题" in body(response)  # the input is kept
    assert not ProjectRequirement.objects.exists()


def test_a_need_of_another_client_is_refused_inline(pm, project):
    need = RequirementFactory(title="别的客户的需求")
    response = pm.post(url("requirement_create", project), {"source": need.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in body(response)
    assert not ProjectRequirement.objects.exists()


def test_a_requirement_is_edited(pm, project):
    requirement = ProjectRequirementFactory(project=project, title="单点登录")
    response = pm.post(
        url("requirement_edit", project, requirement.pk),
        {"title": "统一身份认证", "priority": "critical", "version": 1},
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.title, requirement.priority, requirement.version) == (
        "统一身份认证",
        "critical",
        2,
    )


def test_a_stale_requirement_edit_is_409_with_the_conflict_panel(pm, project):
    # given someone else saved the requirement after I loaded it
    requirement = ProjectRequirementFactory(project=project, title="单点登录")
    requirement.title = "别人的标题"
    change_control.update_requirement(requirement, 1)

    # when I save mine based on version 1
    response = pm.post(
        url("requirement_edit", project, requirement.pk),
        {"title": "我的标题", "priority": "high", "version": 1},
    )

    # then 409: both versions shown, mine kept, theirs saved
    assert response.status_code == 409
    html = body(response)
    assert 'id="conflict"' in html
    assert "别人的标题" in html
    assert "我的标题" in html
    requirement.refresh_from_db()
    assert requirement.title == "别人的标题"


def test_the_confirm_form_offers_only_contacts_of_the_client(pm, project):
    ContactFactory(name="外人")
    requirement = ProjectRequirementFactory(project=project)
    response = pm.get(
        url("requirement_transition", project, requirement.pk), {"to": "confirmed"}
    )
    assert response.status_code == 200
    html = body(response)
    assert "张伟" in html
    assert "李娜" in html
    assert "外人" not in html
    # only the allowed next statuses are offered
    choices = response.context["form"]["to_status"].field.widget.choices
    assert [value for value, _ in choices] == ["confirmed", "rejected"]


def test_confirming_a_requirement_records_who_and_when(pm, project, zhang):
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        url("requirement_transition", project, requirement.pk),
        {
            "to_status": "confirmed",
            "confirmed_by": zhang.pk,
            "confirmed_on": "2026-05-06",
            "version": 1,
        },
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.status, requirement.confirmed_by) == ("confirmed", zhang)
    assert requirement.confirmed_on == datetime.date(2026, 5, 6)


def test_confirming_by_a_contact_of_another_client_is_refused(pm, project):
    stranger = ContactFactory(name="外人")
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        url("requirement_transition", project, requirement.pk),
        {"to_status": "confirmed", "confirmed_by": stranger.pk, "version": 1},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in body(response)
    requirement.refresh_from_db()
    assert (requirement.status, requirement.confirmed_by) == ("collected", None)


def test_confirming_without_a_contact_is_refused_inline(pm, project):
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        url("requirement_transition", project, requirement.pk),
        {"to_status": "confirmed", "version": 1},
    )
    assert response.status_code == 400
    assert "Name the client contact who confirmed the requirement." in body(response)
    requirement.refresh_from_db()
    assert requirement.status == "collected"


def test_a_requirement_step_out_of_order_is_refused_inline(pm, project):
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        url("requirement_transition", project, requirement.pk),
        {"to_status": "delivered", "version": 1},
    )
    assert response.status_code == 400
    assert "cannot go from “Collected” to “Delivered”" in body(response)
    requirement.refresh_from_db()
    assert requirement.status == "collected"


def test_an_unknown_requirement_status_is_refused_inline(pm, project):
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        url("requirement_transition", project, requirement.pk),
        {"to_status": "teleported", "version": 1},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in body(response)


def test_a_requirement_step_from_a_stale_page_is_409(pm, project):
    requirement = ProjectRequirementFactory(project=project)
    change_control.move_requirement(requirement, "rejected")
    response = pm.post(
        url("requirement_transition", project, requirement.pk),
        {"to_status": "rejected", "version": 1},
    )
    assert response.status_code == 409
    assert 'id="conflict"' in body(response)


def test_a_requirement_of_another_project_is_404(pm, project):
    other = ProjectRequirementFactory()
    response = pm.get(url("requirement_edit", project, other.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_requirement_list_takes_the_same_queries_for_1_and_20_rows(
    pm, project, django_assert_num_queries, rows
):
    # given requirements in several statuses, some from client needs, some confirmed
    contact = project.client.contacts.first()
    for n in range(rows):
        need = RequirementFactory(client=project.client) if n % 2 else None
        requirement = ProjectRequirementFactory(project=project, source=need)
        if n % 3 == 0:
            change_control.move_requirement(
                requirement, "confirmed", confirmed_by=contact
            )

    # then the page takes a fixed number of queries
    with django_assert_num_queries(9):  # 2 of them the folder's tab counts
        response = pm.get(url("requirement_list", project))
    assert len(response.context["requirements"]) == rows


# --- change requests ---------------------------------------------------------------------


def change_data(**overrides):
    data = {
        "title": "增加报表模块",
        "requested_on": "2026-04-01",
        "description": "客户希望增加月度报表",
        "reason": "管理层需要",
        "scope_impact": "新增三张报表",
        "schedule_impact_days": "5",
        "cost_impact": "12000.00",
        "currency": "CNY",
        "risk_notes": "报表口径未定",
    }
    return {**data, **overrides}


def test_the_change_log_lists_requests_with_the_approved_totals(pm, project, zhang):
    # given an approved, an implemented and a pending change
    ChangeRequestFactory(
        project=project,
        title="增加报表模块",
        status="approved",
        schedule_impact_days=5,
        cost_impact=Decimal("12000"),
        requested_by_contact=zhang,
    )
    ChangeRequestFactory(
        project=project,
        title="取消打印功能",
        status="implemented",
        schedule_impact_days=-2,
        cost_impact=Decimal("-3000"),
    )
    ChangeRequestFactory(project=project, title="待定变更", schedule_impact_days=30)

    # when the manager opens the change log
    response = pm.get(url("change_list", project))

    # then every request is listed with its code and the totals count approved ones
    assert response.status_code == 200
    html = body(response)
    for text in ("CR-001", "CR-002", "CR-003", "增加报表模块", "取消打印功能", "张伟"):
        assert text in html
    totals = response.context["totals"]
    assert (totals.changes, totals.days) == (2, 3)
    assert totals.costs == (("CNY", Decimal("9000.00")),)
    assert "+3 days" in html
    assert "¥9,000.00" in html
    assert response.context["pending"] == 1


def test_the_change_log_filters_by_status(pm, project):
    ChangeRequestFactory(project=project, title="增加报表模块", status="approved")
    ChangeRequestFactory(project=project, title="待定变更")
    response = pm.get(url("change_list", project), {"status": "approved"})
    assert [c.title for c in response.context["changes"]] == ["增加报表模块"]


def test_a_change_request_is_submitted(pm, project, project_manager, zhang):
    # when the manager submits a change requested by 张伟
    response = pm.post(
        url("change_create", project),
        change_data(requested_by_contact=zhang.pk, comment="周会上提出"),
    )

    # then it is CR-001, submitted, and the submission is recorded
    change_request = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("change_detail", project, 1)
    assert (change_request.code, change_request.status) == ("CR-001", "submitted")
    assert change_request.requested_by_contact == zhang
    assert (change_request.schedule_impact_days, change_request.cost_impact) == (
        5,
        Decimal("12000.00"),
    )
    transition = change_request.transitions.get()
    assert (transition.user, transition.comment) == (project_manager, "周会上提出")


def test_a_change_that_shortens_the_schedule_is_accepted(pm, project):
    response = pm.post(
        url("change_create", project),
        change_data(schedule_impact_days="-10", cost_impact="-500"),
    )
    assert response.status_code == 302
    assert ChangeRequest.objects.get().schedule_impact_days == -10


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schedule_impact_days", "5000", "less than or equal to 3650"),
        ("schedule_impact_days", "-5000", "greater than or equal to -3650"),
        ("schedule_impact_days", "三天", "Enter a whole number"),
        ("cost_impact", "1e20", "no more than 14 digits"),
        ("cost_impact", "12.345", "no more than 2 decimal places"),
        ("currency", "XXX", "Select a valid choice"),
        ("title", "", "This field is required"),
        ("requested_on", "2026-02-30", "Enter a valid date"),
    ],
)
def test_bad_change_request_input_is_refused_inline(pm, project, field, value, message):
    response = pm.post(url("change_create", project), change_data(**{field: value}))
    assert response.status_code == 400
    assert message in body(response)
    assert not ChangeRequest.objects.exists()


def test_a_requester_of_another_client_is_refused_inline(pm, project):
    stranger = ContactFactory(name="外人")
    response = pm.post(
        url("change_create", project), change_data(requested_by_contact=stranger.pk)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in body(response)
    assert not ChangeRequest.objects.exists()


def test_a_change_requested_by_both_a_contact_and_staff_is_refused(
    pm, project, zhang, member
):
    response = pm.post(
        url("change_create", project),
        change_data(requested_by_contact=zhang.pk, requested_by_user=member.pk),
    )
    assert response.status_code == 400
    assert "not both" in body(response)


def test_the_change_request_page_shows_facts_impact_history_and_allowed_steps(
    pm, project, project_manager
):
    # given a submitted change request
    change_request = ChangeRequestFactory(
        project=project,
        title="增加报表模块",
        reason="管理层需要",
        scope_impact="新增三张报表",
        risk_notes="报表口径未定",
        schedule_impact_days=5,
        cost_impact=Decimal("12000"),
    )

    # when the manager opens it
    response = pm.get(url("change_detail", project, change_request.number))

    # then facts, impact and history are shown
    assert response.status_code == 200
    html = body(response)
    for text in (
        "CR-001",
        "增加报表模块",
        "管理层需要",
        "新增三张报表",
        "报表口径未定",
    ):
        assert text in html
    assert "+5 days" in html
    assert "¥12,000.00" in html
    assert [t.to_status for t in response.context["transitions"]] == ["submitted"]
    # and only the allowed next steps are offered
    assert [s["value"] for s in response.context["steps"]] == [
        "evaluating",
        "rejected",
    ]
    assert 'value="evaluating"' in html
    assert 'value="approved"' not in html
    assert 'name="decided_by"' not in html


def test_awaiting_the_client_the_page_asks_who_decided(pm, project):
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")
    response = pm.get(url("change_detail", project, change_request.number))
    html = body(response)
    assert 'name="decided_by"' in html
    assert "张伟" in html
    assert 'value="approved"' in html


def test_a_viewer_sees_the_change_request_but_no_steps(as_persona, project):
    change_request = ChangeRequestFactory(project=project, title="增加报表模块")
    response = as_persona("viewer").get(
        url("change_detail", project, change_request.number)
    )
    assert response.status_code == 200
    assert "增加报表模块" in body(response)
    assert response.context["form"] is None
    assert url("change_transition", project, 1) not in body(response)


def test_a_step_is_recorded_with_who_and_comment(pm, project, project_manager):
    change_request = ChangeRequestFactory(project=project)
    response = pm.post(
        url("change_transition", project, change_request.number),
        {"to_status": "evaluating", "comment": "开始评估", "version": 1},
    )
    assert response.status_code == 302
    change_request.refresh_from_db()
    assert change_request.status == "evaluating"
    last = change_request.transitions.last()
    assert (last.from_status, last.user, last.comment) == (
        "submitted",
        project_manager,
        "开始评估",
    )


def test_the_client_approval_records_the_contact_and_date(pm, project, zhang):
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")
    today = timezone.localdate()
    response = pm.post(
        url("change_transition", project, change_request.number),
        {
            "to_status": "approved",
            "decided_by": zhang.pk,
            "decided_on": today.isoformat(),
            "comment": "邮件确认",
            "version": change_request.version,
        },
    )
    assert response.status_code == 302
    change_request.refresh_from_db()
    assert change_request.status == "approved"
    assert (change_request.decided_by, change_request.decided_on) == (zhang, today)


def test_a_step_out_of_order_is_refused_with_a_message(pm, project):
    # given a submitted change request
    change_request = ChangeRequestFactory(project=project)

    # when someone posts "approved" (not offered on the page)
    response = pm.post(
        url("change_transition", project, change_request.number),
        {"to_status": "approved", "version": 1},
    )

    # then the page says why, and nothing changed
    assert response.status_code == 400
    assert "cannot go from “Submitted” to “Approved”" in body(response)
    change_request.refresh_from_db()
    assert change_request.status == "submitted"
    assert change_request.transitions.count() == 1


def test_an_unknown_step_is_refused_inline(pm, project):
    change_request = ChangeRequestFactory(project=project)
    response = pm.post(
        url("change_transition", project, change_request.number),
        {"to_status": "teleported", "version": 1},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in body(response)


def test_approving_without_the_deciding_contact_is_refused_inline(pm, project):
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")
    response = pm.post(
        url("change_transition", project, change_request.number),
        {"to_status": "approved", "version": change_request.version},
    )
    assert response.status_code == 400
    assert "Name the client contact who decided." in body(response)
    change_request.refresh_from_db()
    assert change_request.status == "awaiting_client"


def test_approving_by_a_contact_of_another_client_is_refused_inline(pm, project):
    stranger = ContactFactory(name="外人")
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")
    response = pm.post(
        url("change_transition", project, change_request.number),
        {
            "to_status": "approved",
            "decided_by": stranger.pk,
            "version": change_request.version,
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in body(response)
    change_request.refresh_from_db()
    assert (change_request.status, change_request.decided_by) == (
        "awaiting_client",
        None,
    )


def test_a_step_from_a_stale_page_is_409_with_the_conflict_panel(
    pm, project, project_manager
):
    # given someone moved the request on after I opened it
    change_request = ChangeRequestFactory(project=project)
    change_control.transition(change_request, "evaluating", project_manager)

    # when I post my step based on version 1
    response = pm.post(
        url("change_transition", project, change_request.number),
        {"to_status": "rejected", "comment": "不做了", "version": 1},
    )

    # then 409 with the panel, my comment kept, nothing changed
    assert response.status_code == 409
    html = body(response)
    assert 'id="conflict"' in html
    assert "不做了" in html
    change_request.refresh_from_db()
    assert change_request.status == "evaluating"


def test_a_pending_change_request_is_edited(pm, project):
    change_request = ChangeRequestFactory(project=project)
    response = pm.post(
        url("change_edit", project, 1),
        change_data(title="增加报表和看板", schedule_impact_days="8", version=1),
    )
    assert response.status_code == 302
    change_request.refresh_from_db()
    assert (change_request.title, change_request.schedule_impact_days) == (
        "增加报表和看板",
        8,
    )
    assert change_request.status == "submitted"


def test_a_stale_change_request_edit_is_409(pm, project, project_manager):
    change_request = ChangeRequestFactory(project=project, title="增加报表模块")
    change_control.transition(change_request, "evaluating", project_manager)
    response = pm.post(
        url("change_edit", project, 1), change_data(title="我的标题", version=1)
    )
    assert response.status_code == 409
    assert 'id="conflict"' in body(response)
    change_request.refresh_from_db()
    assert change_request.title == "增加报表模块"


def test_a_decided_change_request_is_not_edited(pm, project):
    change_request = ChangeRequestFactory(project=project, status="approved")
    response = pm.get(url("change_edit", project, 1))
    assert response.status_code == 302
    response = pm.post(
        url("change_edit", project, 1),
        change_data(title="改过的", version=change_request.version),
    )
    assert response.status_code == 400
    assert "A decided change request can no longer be edited." in body(response)
    change_request.refresh_from_db()
    assert change_request.title != "改过的"


def test_a_change_request_of_another_project_is_404(pm, project):
    ChangeRequestFactory(number=7)
    assert pm.get(url("change_detail", project, 1)).status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_change_log_takes_the_same_queries_for_1_and_20_rows(
    pm, project, zhang, member, django_assert_num_queries, rows
):
    for n in range(rows):
        ChangeRequestFactory(
            project=project,
            status=["approved", "submitted", "implemented"][n % 3],
            requested_by_contact=zhang if n % 2 else None,
            requested_by_user=None if n % 2 else member,
            currency="USD" if n % 4 == 0 else "CNY",
        )
    with django_assert_num_queries(9):  # 2 of them the folder's tab counts
        response = pm.get(url("change_list", project))
    assert len(response.context["changes"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_change_request_page_takes_the_same_queries_for_1_and_20_steps(
    pm, project, member, django_assert_num_queries, rows
):
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")
    for _ in range(rows):
        ChangeRequestTransitionFactory(change_request=change_request, user=member)
    # 14: the page's 10, the folder's tab counts (two), its comment thread (one query
    # while it has no comments) and the thread's follow button (one)
    with django_assert_num_queries(14):
        response = pm.get(url("change_detail", project, change_request.number))
    assert len(response.context["transitions"]) == rows + 1
