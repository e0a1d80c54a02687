"""Change requests in the portal: 张伟 reads the reason and the impact of a change the
team sent him, and approves or rejects it as his own decision; the workflow moves and
the project managers are told. Everything else is refused with a clear message and
changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clientfolio.core.models import Event
from clientfolio.portal.access import PREVIEW_SESSION_KEY
from clientfolio.portal.models import ProjectSharing
from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest, ChangeRequestTransition
from tests.core.factories import UserFactory
from tests.projects.factories import ChangeRequestFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _awaiting(project, manager, title="增加移动端审批", **fields):
    """A change the team assessed and sent to the client, through the workflow."""
    values = {
        "reason": "业务部门需要在手机上审批",
        "description": "在移动端增加审批页面",
        "scope_impact": "新增移动端审批模块",
        "schedule_impact_days": 5,
        "cost_impact": Decimal("12000.00"),
        "risk_notes": "第三方推送服务稳定性",
        **fields,
    }
    change = ChangeRequestFactory(project=project, title=title, **values)
    change_control.transition(change, "evaluating", manager, "内部：按人天估算")
    change_control.transition(change, "awaiting_client", manager, "内部：报价已核")
    change.refresh_from_db()
    return change


@pytest.fixture
def change(project, project_manager):
    return _awaiting(project, project_manager)


def _url(change):
    return reverse(
        "portal:change_request",
        kwargs={"pk": change.project_id, "number": change.number},
    )


def _list_url(project):
    return reverse("portal:change_requests", kwargs={"pk": project.pk})


def _decide(browser, change, decision, comment="", version=None):
    return browser.post(
        _url(change),
        {
            "decision": decision,
            "comment": comment,
            "version": change.version if version is None else version,
        },
    )


def _stored(change):
    return ChangeRequest.objects.get(pk=change.pk)


# --- reading -----------------------------------------------------------------------------


def test_the_detail_shows_reason_impact_and_what_waits_for_him(portal, change):
    response = portal.get(_url(change))

    body = response.content.decode()
    assert response.status_code == 200
    assert "业务部门需要在手机上审批" in body
    assert "新增移动端审批模块" in body
    assert "+5 days" in body
    assert "¥12,000.00" in body
    assert "第三方推送服务稳定性" in body
    assert "Awaiting your decision" in body
    assert "Sent to you for your decision" in body
    assert 'value="approved"' in body
    assert 'value="rejected"' in body


def test_the_teams_internal_comments_are_not_shown(portal, change):
    body = portal.get(_url(change)).content.decode()

    assert "内部：按人天估算" not in body
    assert "内部：报价已核" not in body


def test_a_shorter_schedule_is_said_plainly(portal, project, project_manager):
    change = _awaiting(project, project_manager, schedule_impact_days=-3)

    body = portal.get(_url(change)).content.decode()

    assert "-3 days" in body
    assert "the finish moves earlier" in body


def test_the_list_shows_what_awaits_him_first_and_not_the_teams_drafts(
    portal, project, project_manager, change
):
    # given a decided change and a draft the team has not sent yet
    decided = ChangeRequestFactory(project=project, title="调整报表", status="approved")
    ChangeRequestFactory(project=project, title="内部草稿变更")

    response = portal.get(_list_url(project))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(change.title) < body.index(decided.title)
    assert "内部草稿变更" not in body


def test_the_list_costs_the_same_queries_for_one_change_as_for_five(
    portal, project, project_manager, change, django_assert_num_queries
):
    with django_assert_num_queries(5):
        assert portal.get(_list_url(project)).status_code == 200

    for n in range(4):
        ChangeRequestFactory(project=project, title=f"变更{n}", status="approved")

    with django_assert_num_queries(5):
        response = portal.get(_list_url(project))
    assert response.content.decode().count("cf-change-row") == 5


def test_the_detail_costs_the_same_queries_whatever_its_history(
    portal, project, project_manager, change, django_assert_num_queries
):
    with django_assert_num_queries(6):
        assert portal.get(_url(change)).status_code == 200

    decided = _awaiting(project, project_manager, title="另一个变更")
    change_control.transition(
        decided, "approved", project_manager, decided_by=project.client.contacts.first()
    )
    change_control.transition(decided, "implemented", project_manager)

    with django_assert_num_queries(6):
        assert portal.get(_url(decided)).status_code == 200


def test_the_project_page_links_to_the_changes(portal, project, change):
    body = portal.get(reverse("portal:project", kwargs={"pk": project.pk})).content

    body = body.decode()
    assert 'id="changes"' in body
    assert _list_url(project) in body
    assert "1 change awaits your decision" in body


def test_a_project_that_does_not_share_its_changes_has_none(portal, project, change):
    ProjectSharing.objects.create(project=project, shows_change_requests=False)

    assert portal.get(_list_url(project)).status_code == 404
    assert portal.get(_url(change)).status_code == 404
    body = portal.get(reverse("portal:project", kwargs={"pk": project.pk})).content
    assert _list_url(project) not in body.decode()


def test_the_page_is_in_chinese_for_a_chinese_contact(portal_user, change):
    from django.test import Client as BrowserClient

    portal_user.language = "zh-hans"
    portal_user.save(update_fields=["language"])
    browser = BrowserClient()
    browser.force_login(portal_user)

    body = browser.get(_url(change)).content.decode()

    assert "待您确认" in body
    assert "+5 天" in body
    assert "批准" in body


# --- deciding -----------------------------------------------------------------------------


def test_he_approves_as_his_own_decision_and_the_managers_are_told(
    portal, portal_user, portal_contact, project_manager, change
):
    # when 张伟 approves the change
    response = _decide(portal, change, "approved", "同意，请尽快安排")

    # then it is approved in his name, today, and the workflow recorded his step
    assert response.status_code == 302
    assert response["Location"] == _url(change)
    stored = _stored(change)
    assert stored.status == "approved"
    assert stored.decided_by == portal_contact
    assert stored.decided_on == timezone.localdate()
    step = stored.transitions.last()
    assert (step.from_status, step.to_status) == ("awaiting_client", "approved")
    assert step.user == portal_user
    assert step.comment == "同意，请尽快安排"
    # and the project manager hears of it
    [told] = Event.objects.filter(kind="change_request.decided")
    assert project_manager.pk in told.recipient_ids
    assert told.actor_id == portal_user.pk

    # and the page says so, with the decision in the history
    body = portal.get(response["Location"]).content.decode()
    assert "You approved CR-001" in body
    assert "Approved by 张伟" in body
    assert "同意，请尽快安排" in body
    assert 'id="decision-form"' not in body


def test_a_deputy_manager_is_told_too(portal, project, change):
    from clientfolio.projects.models import Membership

    deputy = UserFactory(username="deputy.pm")
    Membership.objects.create(project=project, user=deputy, role="manager")

    _decide(portal, change, "approved")

    [told] = Event.objects.filter(kind="change_request.decided")
    assert deputy.pk in told.recipient_ids


def test_he_rejects_with_his_reason(portal, change):
    response = _decide(portal, change, "rejected", "预算不足，下期再议")

    assert response.status_code == 302
    stored = _stored(change)
    assert stored.status == "rejected"
    assert stored.transitions.last().comment == "预算不足，下期再议"
    body = portal.get(_url(change)).content.decode()
    assert "Rejected by 张伟" in body
    assert "预算不足，下期再议" in body


def test_a_rejection_without_a_reason_is_refused(portal, change):
    response = _decide(portal, change, "rejected", "   ")

    assert response.status_code == 400
    assert "a comment is required" in response.content.decode()
    assert _stored(change).status == "awaiting_client"
    assert not Event.objects.filter(kind="change_request.decided").exists()


def test_an_unknown_decision_is_refused(portal, change):
    response = _decide(portal, change, "implemented")

    assert response.status_code == 400
    assert _stored(change).status == "awaiting_client"


def test_a_change_already_decided_is_not_decided_again(portal, change):
    # given 张伟 approved the change (in another tab)
    _decide(portal, change, "approved")
    steps = ChangeRequestTransition.objects.count()

    # when he rejects it from the page he still had open
    response = _decide(portal, change, "rejected", "改主意了")

    # then he is told it was already decided, and nothing changed
    assert response.status_code == 400
    body = response.content.decode()
    assert "already decided (Approved)" in body
    assert "Nothing was changed" in body
    assert _stored(change).status == "approved"
    assert ChangeRequestTransition.objects.count() == steps


def test_a_change_revised_while_he_read_it_is_shown_again(
    portal, project_manager, change
):
    # given the team revised the cost after 张伟 opened the page
    opened = change.version
    revised = _stored(change)
    revised.cost_impact = Decimal("15000.00")
    change_control.update_change_request(revised, revised.version)

    # when he approves what he read
    response = _decide(portal, change, "approved", "同意", version=opened)

    # then nothing is saved and the page shows the revision, his comment kept
    assert response.status_code == 409
    body = response.content.decode()
    assert "The project team changed this request while you were reading it" in body
    assert "cost impact" in body
    assert "¥15,000.00" in body
    assert "同意" in body
    assert f'name="version" value="{_stored(change).version}"' in body
    assert _stored(change).status == "awaiting_client"


def test_a_change_of_another_client_does_not_exist(other_portal, change):
    assert other_portal.get(_url(change)).status_code == 404

    response = _decide(other_portal, change, "approved")

    assert response.status_code == 404
    assert change.title not in response.content.decode()
    assert _stored(change).status == "awaiting_client"


def test_a_change_of_his_other_project_is_not_found_under_this_one(
    portal, project, project_manager, client_record
):
    # given a second project of his client with a change numbered 1 as well
    other = ProjectFactory(client=client_record, name="二期", manager=project_manager)
    _awaiting(other, project_manager, title="二期的变更")
    own = _awaiting(project, project_manager)

    # then each number is found under its own project
    assert "二期的变更" not in portal.get(_url(own)).content.decode()


def test_in_a_preview_staff_see_the_change_but_cannot_decide(
    staff_browser, portal_contact, change
):
    # given a staff member previewing 张伟's portal
    session = staff_browser.session
    session[PREVIEW_SESSION_KEY] = portal_contact.pk
    session.save()

    # then the page shows the change without the decision
    body = staff_browser.get(_url(change)).content.decode()
    assert change.title in body
    assert "In the preview nothing can be decided" in body

    # and a decision posted anyway is refused
    assert _decide(staff_browser, change, "approved").status_code == 403
    assert _stored(change).status == "awaiting_client"


def test_staff_without_a_preview_find_nothing(staff_browser, change):
    assert staff_browser.get(_url(change)).status_code == 404


def test_on_a_completed_project_the_change_is_read_only(portal, project, change):
    from clientfolio.projects.models import Project

    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    body = portal.get(_url(change)).content.decode()
    assert change.title in body
    assert 'id="decision-form"' not in body
    response = _decide(portal, change, "approved")
    assert response.status_code == 403
    assert "This project is completed" in response.content.decode()
    assert _stored(change).status == "awaiting_client"
