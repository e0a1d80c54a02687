"""The portal API's decisions: a client's integration reads the change requests and
deliverables of its projects, approves or rejects a change and accepts or rejects a
deliverable, with the same rules as the portal's pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.core.tokens import issue_token
from clientfolio.portal.models import ProjectSharing
from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest
from clientfolio.quality import services as quality
from clientfolio.quality.models import Acceptance, Deliverable
from tests.documents.factories import upload
from tests.projects.factories import ChangeRequestFactory
from tests.schedule.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _api(user):
    _token, key = issue_token(user)
    api = APIClient(headers={"accept-language": "en"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def api(portal_user):
    return _api(portal_user)


@pytest.fixture
def other_api(other_contact):
    return _api(other_contact.portal_user)


@pytest.fixture
def change(project, project_manager):
    change = ChangeRequestFactory(
        project=project,
        title="增加移动端审批",
        reason="业务部门需要在手机上审批",
        schedule_impact_days=5,
        cost_impact=Decimal("12000.00"),
    )
    change_control.transition(change, "evaluating", project_manager, "内部：按人天估算")
    change_control.transition(change, "awaiting_client", project_manager)
    change.refresh_from_db()
    return change


@pytest.fixture
def deliverable(project, member):
    milestone = TaskFactory(project=project, name="设计评审通过", milestone=True)
    return quality.save_deliverable(
        Deliverable(
            project=project,
            milestone=milestone,
            name="架构设计说明书",
            acceptance_criteria="包含部署架构图\n性能设计满足 P95 ≤ 300 ms",
            owner=member,
            due_on=datetime.date(2026, 6, 30),
            status=Deliverable.Status.SUBMITTED,
        )
    )


def _decide_url(change):
    return reverse("portal_api:change-request-decide", kwargs={"pk": change.pk})


def _accept_url(deliverable):
    return reverse("portal_api:deliverable-accept", kwargs={"pk": deliverable.pk})


# --- change requests ----------------------------------------------------------------------


def test_the_client_lists_the_changes_sent_to_it_and_not_the_teams_drafts(
    api, project, change
):
    ChangeRequestFactory(project=project, title="内部草稿变更")

    response = api.get(reverse("portal_api:change-request-list"))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["code"] == "CR-001"
    assert row["status"] == "awaiting_client"
    assert row["status_label"] == "Awaiting your decision"
    assert row["awaits_decision"] is True
    assert row["schedule_impact_days"] == 5
    assert (row["cost_impact"], row["currency"]) == ("12000.00", "CNY")
    assert [step["status"] for step in row["history"]] == [
        "submitted",
        "evaluating",
        "awaiting_client",
    ]
    assert "内部：按人天估算" not in str(row)
    assert "requested_by_user" not in row


@pytest.fixture
def session_api(portal_user):
    """张伟 signed in with a session: a token's first use of the day writes its
    ``last_used_at``, which would count as a query."""
    api = APIClient(headers={"accept-language": "en"})
    api.force_login(portal_user)
    return api


def test_the_list_costs_the_same_queries_for_one_change_as_for_five(
    session_api, project, change, django_assert_num_queries
):
    api = session_api
    url = reverse("portal_api:change-request-list")
    with django_assert_num_queries(6):
        assert api.get(url).status_code == 200
    for n in range(4):
        ChangeRequestFactory(project=project, title=f"变更{n}", status="approved")
    with django_assert_num_queries(6):
        assert len(api.get(url).json()["results"]) == 5


def test_the_client_approves_through_the_api(
    api, portal_contact, portal_user, project_manager, change
):
    response = api.post(
        _decide_url(change),
        {"decision": "approved", "comment": "同意", "version": change.version},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["decided_by"] == "张伟"
    assert body["history"][-1]["comment"] == "同意"
    stored = ChangeRequest.objects.get(pk=change.pk)
    assert stored.decided_by == portal_contact
    assert stored.transitions.last().user == portal_user


def test_a_rejection_needs_a_comment(api, change):
    response = api.post(
        _decide_url(change),
        {"decision": "rejected", "version": change.version},
        format="json",
    )

    assert response.status_code == 400
    assert "comment" in response.json()
    assert ChangeRequest.objects.get(pk=change.pk).status == "awaiting_client"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "implemented", "version": 1}, "decision"),
        ({"decision": "approved"}, "version"),
        ({"decision": "approved", "version": "x"}, "version"),
        ({"version": 1}, "decision"),
    ],
)
def test_bad_input_gets_field_errors(api, change, body, field):
    response = api.post(_decide_url(change), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert ChangeRequest.objects.get(pk=change.pk).status == "awaiting_client"


def test_a_change_already_decided_is_refused(api, change):
    api.post(
        _decide_url(change),
        {"decision": "approved", "version": change.version},
        format="json",
    )
    version = ChangeRequest.objects.get(pk=change.pk).version

    response = api.post(
        _decide_url(change),
        {"decision": "rejected", "comment": "改主意", "version": version},
        format="json",
    )

    assert response.status_code == 400
    assert "already decided" in response.json()["non_field_errors"][0]
    assert ChangeRequest.objects.get(pk=change.pk).status == "approved"


def test_a_stale_version_is_409(api, change):
    response = api.post(
        _decide_url(change),
        {"decision": "approved", "version": change.version - 1},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["current_version"] == change.version
    assert ChangeRequest.objects.get(pk=change.pk).status == "awaiting_client"


def test_a_change_of_another_client_does_not_exist(other_api, change):
    detail = reverse("portal_api:change-request-detail", kwargs={"pk": change.pk})
    assert other_api.get(detail).status_code == 404

    response = other_api.post(
        _decide_url(change),
        {"decision": "approved", "version": change.version},
        format="json",
    )

    assert response.status_code == 404
    assert ChangeRequest.objects.get(pk=change.pk).status == "awaiting_client"


def test_staff_get_404_from_the_decisions_api(staff_api, change, deliverable):
    assert staff_api.get(reverse("portal_api:change-request-list")).status_code == 404
    assert staff_api.get(reverse("portal_api:deliverable-list")).status_code == 404


def test_a_project_that_does_not_share_changes_has_none(api, project, change):
    ProjectSharing.objects.create(project=project, shows_change_requests=False)

    assert api.get(reverse("portal_api:change-request-list")).json()["results"] == []
    response = api.post(
        _decide_url(change),
        {"decision": "approved", "version": change.version},
        format="json",
    )
    assert response.status_code == 404


# --- deliverables -------------------------------------------------------------------------


def test_the_client_lists_deliverables_with_their_criteria(api, project, deliverable):
    internal = TaskFactory(
        project=project, name="内部评审", milestone=True, is_client_visible=False
    )
    quality.save_deliverable(
        Deliverable(project=project, milestone=internal, name="测试报告")
    )

    response = api.get(reverse("portal_api:deliverable-list"))

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    shown = rows["架构设计说明书"]
    assert shown["criteria"] == ["包含部署架构图", "性能设计满足 P95 ≤ 300 ms"]
    assert shown["milestone"]["name"] == "设计评审通过"
    assert shown["awaits_acceptance"] is True
    assert "owner" not in shown
    assert rows["测试报告"]["milestone"] is None
    assert "内部评审" not in response.content.decode()


def test_the_deliverable_list_costs_the_same_for_one_as_for_five(
    session_api, project, deliverable, django_assert_num_queries
):
    api = session_api
    url = reverse("portal_api:deliverable-list")
    with django_assert_num_queries(6):
        assert api.get(url).status_code == 200
    for n in range(4):
        milestone = TaskFactory(project=project, name=f"里程碑{n}", milestone=True)
        quality.save_deliverable(
            Deliverable(project=project, milestone=milestone, name=f"交付物{n}")
        )
    with django_assert_num_queries(6):
        assert len(api.get(url).json()["results"]) == 5


def test_the_client_accepts_with_a_signed_file_and_gets_the_record(
    api, portal_contact, deliverable
):
    response = api.post(
        _accept_url(deliverable),
        {
            "decision": "accepted",
            "comments": "符合要求",
            "file": upload("验收确认单.pdf"),
            "version": deliverable.version,
        },
        format="multipart",
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="YunfanERP/2.1",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["decision"] == "accepted"
    assert body["contact_name"] == "张伟"
    assert body["channel"] == "portal"
    assert body["ip_address"] == "198.51.100.4"
    assert body["user_agent"] == "YunfanERP/2.1"
    what = body["decided_on_what"]
    assert what["deliverable"]["criteria"][0] == "包含部署架构图"
    assert what["milestone"]["name"] == "设计评审通过"
    assert what["document"]["file_name"] == "验收确认单.pdf"
    acceptance = Acceptance.objects.get()
    assert acceptance.contact == portal_contact
    assert body["id"] == acceptance.pk
    assert Deliverable.objects.get(pk=deliverable.pk).status == "accepted"


def test_a_rejection_reopens_the_work(api, deliverable):
    response = api.post(
        _accept_url(deliverable),
        {"decision": "rejected", "comments": "缺少部署架构图"},
        format="multipart",
    )

    assert response.status_code == 201
    assert Deliverable.objects.get(pk=deliverable.pk).status == "in_progress"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "rejected", "comments": ""}, "comments"),
        ({"decision": "maybe"}, "decision"),
        ({"comments": "好"}, "decision"),
    ],
)
def test_bad_acceptance_input_gets_field_errors(api, deliverable, body, field):
    response = api.post(_accept_url(deliverable), body, format="multipart")

    assert response.status_code == 400
    assert field in response.json()
    assert not Acceptance.objects.exists()


def test_a_disguised_file_is_refused(api, deliverable):
    response = api.post(
        _accept_url(deliverable),
        {"decision": "accepted", "file": upload("验收确认单.pdf", b"MZ\x90\x00 exe")},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()
    assert not Acceptance.objects.exists()


def test_an_oversized_file_is_refused(api, deliverable, settings):
    settings.DOCUMENTS_MAX_BYTES = 64

    response = api.post(
        _accept_url(deliverable),
        {"decision": "accepted", "file": upload("验收确认单.pdf", b"%PDF-1.7" * 100)},
        format="multipart",
    )

    assert response.status_code == 400
    assert "larger than" in response.json()["file"][0]
    assert not Acceptance.objects.exists()


def test_a_deliverable_not_submitted_is_refused(api, deliverable):
    Deliverable.objects.filter(pk=deliverable.pk).update(status="in_progress")

    response = api.post(
        _accept_url(deliverable), {"decision": "accepted"}, format="multipart"
    )

    assert response.status_code == 400
    assert "does not await your acceptance" in str(response.json())
    assert not Acceptance.objects.exists()


def test_a_stale_deliverable_version_is_409(api, deliverable):
    response = api.post(
        _accept_url(deliverable),
        {"decision": "accepted", "version": deliverable.version + 5},
        format="multipart",
    )

    assert response.status_code == 409
    assert not Acceptance.objects.exists()


def test_a_deliverable_of_another_client_does_not_exist(other_api, deliverable):
    detail = reverse("portal_api:deliverable-detail", kwargs={"pk": deliverable.pk})
    assert other_api.get(detail).status_code == 404

    response = other_api.post(
        _accept_url(deliverable), {"decision": "accepted"}, format="multipart"
    )

    assert response.status_code == 404
    assert not Acceptance.objects.exists()


# --- milestones accepted directly -------------------------------------------------------


def _milestone(project, name, days_ago, **fields):
    """A client-visible milestone planned ``days_ago`` days ago (negative: ahead)."""
    from django.utils import timezone

    from clientfolio.schedule.models import Task

    task = TaskFactory(project=project, name=name, milestone=True, **fields)
    Task.objects.filter(pk=task.pk).update(
        finish=timezone.localdate() - datetime.timedelta(days=days_ago)
    )
    task.refresh_from_db()
    return task


def _milestone_accept_url(milestone):
    return reverse("portal_api:milestone-accept", args=[milestone.pk])


def test_the_client_lists_milestones_and_which_await_acceptance(api, project):
    from django.utils import timezone

    from clientfolio.schedule.models import Task

    # (dates set once all exist: adding a task reschedules the plan)
    ready = TaskFactory(
        project=project,
        name="上线验收",
        milestone=True,
        acceptance_criteria="- 系统稳定运行",
    )
    internal = TaskFactory(
        project=project, name="内部评审", milestone=True, is_client_visible=False
    )
    ahead = TaskFactory(project=project, name="二期上线", milestone=True)
    today = timezone.localdate()
    for task, days in ((ready, -2), (internal, -2), (ahead, 10)):
        Task.objects.filter(pk=task.pk).update(
            finish=today + datetime.timedelta(days=days)
        )

    response = api.get(reverse("portal_api:milestone-list"))

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {"上线验收", "二期上线"}
    assert rows["上线验收"]["awaits_acceptance"] is True
    assert rows["上线验收"]["criteria"] == ["系统稳定运行"]
    assert rows["上线验收"]["id"] == ready.pk
    assert rows["二期上线"]["awaits_acceptance"] is False
    assert "cost" not in str(rows)
    assert "buffer" not in str(rows)


def test_the_milestone_list_costs_the_same_for_one_as_for_five(
    session_api, project, django_assert_num_queries
):
    url = reverse("portal_api:milestone-list")
    _milestone(project, "上线验收", 2)
    with django_assert_num_queries(7):
        assert session_api.get(url).status_code == 200
    for n in range(4):
        _milestone(project, f"里程碑{n}", 1)
    with django_assert_num_queries(7):
        assert len(session_api.get(url).json()["results"]) == 5


def test_the_client_accepts_a_milestone_directly(api, portal_contact, project):
    milestone = _milestone(project, "上线验收", 2)

    response = api.post(
        _milestone_accept_url(milestone),
        {"decision": "accepted", "file": upload("上线确认.pdf")},
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["decision"] == "accepted"
    assert body["decided_on_what"]["milestone"]["name"] == "上线验收"
    acceptance = Acceptance.objects.get()
    assert (acceptance.milestone_id, acceptance.contact) == (
        milestone.pk,
        portal_contact,
    )
    milestone.refresh_from_db()
    assert milestone.status == "done"


@pytest.mark.parametrize(
    ("days_ago", "message"), [(-10, "does not await your acceptance")]
)
def test_a_milestone_not_due_is_refused(api, project, days_ago, message):
    milestone = _milestone(project, "二期上线", days_ago)

    response = api.post(_milestone_accept_url(milestone), {"decision": "accepted"})

    assert response.status_code == 400
    assert message in str(response.json())
    assert not Acceptance.objects.exists()


def test_a_milestone_rejection_needs_comments_and_a_stale_version_is_409(api, project):
    milestone = _milestone(project, "上线验收", 2)
    url = _milestone_accept_url(milestone)

    assert api.post(url, {"decision": "rejected"}).status_code == 400
    stale = api.post(url, {"decision": "accepted", "version": milestone.version - 1})
    assert stale.status_code == 409
    assert not Acceptance.objects.exists()


def test_a_milestone_of_another_client_does_not_exist(other_api, project):
    milestone = _milestone(project, "上线验收", 2)

    assert (
        other_api.get(
            reverse("portal_api:milestone-detail", args=[milestone.pk])
        ).status_code
        == 404
    )
    response = other_api.post(
        _milestone_accept_url(milestone), {"decision": "accepted"}
    )
    assert response.status_code == 404
    assert not Acceptance.objects.exists()


def test_a_project_that_does_not_share_acceptances_has_no_milestones(api, project):
    milestone = _milestone(project, "上线验收", 2)
    ProjectSharing.objects.create(project=project, shows_deliverables=False)

    assert api.get(reverse("portal_api:milestone-list")).json()["results"] == []
    response = api.post(_milestone_accept_url(milestone), {"decision": "accepted"})
    assert response.status_code == 404
