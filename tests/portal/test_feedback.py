"""Feedback and requests in the portal: 张伟 sends praise, a complaint or a new
requirement; it lands in the client library for the account manager, and he sees its
status and the answer afterwards."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clientfolio.clients.models import Feedback, Requirement
from clientfolio.core.models import Event
from clientfolio.notifications.targets import describe
from clientfolio.projects.models import Project


@pytest.fixture(autouse=True)
def _no_event_handlers(settings):
    settings.CLIENTFOLIO_EVENT_HANDLERS = []


NEW = reverse("portal:feedback_new")
LIST = reverse("portal:feedback_list")


def _complaint(**changes):
    return {
        "kind": "complaint",
        "subject": "测试环境经常无法访问",
        "detail": "本周三次打不开，影响验收进度。",
        "severity": "high",
        **changes,
    }


def test_the_form_offers_the_four_kinds(portal, project):
    response = portal.get(NEW)

    body = response.content.decode()
    assert response.status_code == 200
    for kind in ("praise", "suggestion", "complaint", "requirement"):
        assert f'value="{kind}"' in body
    assert project.name in body


def test_a_complaint_lands_in_the_client_library_and_tells_the_account_manager(
    portal, portal_user, portal_contact, client_record, staff
):
    response = portal.post(NEW, _complaint())

    assert response.status_code == 302
    assert response["Location"] == LIST
    complaint = Feedback.objects.get(subject="测试环境经常无法访问")
    assert complaint.client == client_record
    assert complaint.contact == portal_contact
    assert (complaint.kind, complaint.severity) == ("complaint", "high")
    assert complaint.channel == "portal"
    assert complaint.status == "open"
    assert complaint.history.first().history_user == portal_user
    event = Event.objects.get(kind="feedback.received")
    assert event.target_id == complaint.pk
    assert event.recipient_ids == [staff.pk]
    assert event.actor_id == portal_user.pk
    # and the notification leads to the feedback on the client's page
    assert describe(event).url == (
        reverse("clients:client_detail", args=[client_record.pk]) + "#feedback"
    )


def test_praise_has_no_severity(portal):
    portal.post(
        NEW, {"kind": "praise", "subject": "原型做得很好", "severity": "critical"}
    )

    praise = Feedback.objects.get(subject="原型做得很好")
    assert (praise.kind, praise.severity) == ("praise", "low")


def test_a_complaint_needs_a_severity(portal):
    response = portal.post(NEW, _complaint(severity=""))

    assert response.status_code == 400
    assert "Say how serious the complaint is." in response.content.decode()
    assert not Feedback.objects.filter(subject="测试环境经常无法访问").exists()


def test_a_new_requirement_lands_among_the_clients_requirements(
    portal, portal_user, portal_contact, client_record, staff
):
    response = portal.post(
        NEW,
        {
            "kind": "requirement",
            "subject": "导出 PDF 报表",
            "detail": "每月初自动生成",
            "wanted_by": "2026-09-30",
        },
    )

    assert response.status_code == 302
    requirement = Requirement.objects.get(title="导出 PDF 报表")
    assert requirement.client == client_record
    assert requirement.submitted_by == portal_contact
    assert requirement.description == "每月初自动生成"
    assert str(requirement.wanted_by) == "2026-09-30"
    assert requirement.status == "open"
    assert requirement.history.first().history_user == portal_user
    event = Event.objects.get(kind="requirement.submitted")
    assert event.recipient_ids == [staff.pk]
    assert describe(event).url == (
        reverse("clients:client_detail", args=[client_record.pk]) + "#requirements"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "rant"}, "kind", "Select a valid choice."),
        ({"subject": "   "}, "subject", "This field is required."),
        ({"subject": "长" * 201}, "subject", "at most 200 characters"),
        ({"severity": "apocalyptic"}, "severity", "Select a valid choice."),
        ({"wanted_by": "9999-12-31", "kind": "requirement"}, "wanted_by", "between"),
        ({"project": "999999"}, "project", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_inline_and_nothing_is_saved(
    portal, changes, field, message
):
    before = (Feedback.objects.count(), Requirement.objects.count())

    response = portal.post(NEW, _complaint(**changes))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert (Feedback.objects.count(), Requirement.objects.count()) == before


def test_attachments_need_a_project(portal):
    upload = SimpleUploadedFile("截图.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)

    response = portal.post(NEW, _complaint(attachment_files=upload))

    assert response.status_code == 400
    assert "Choose the project the attachments belong to." in (
        response.content.decode()
    )
    assert not Feedback.objects.filter(subject="测试环境经常无法访问").exists()


def test_the_list_shows_the_status_and_the_answer(portal, portal_contact):
    portal.post(NEW, _complaint())
    complaint = Feedback.objects.get(subject="测试环境经常无法访问")
    Feedback.objects.filter(pk=complaint.pk).update(
        status="resolved", resolution="已扩容测试服务器", resolved_on="2026-05-10"
    )

    body = portal.get(LIST).content.decode()

    assert "测试环境经常无法访问" in body
    assert f'data-feedback="{complaint.pk}" data-status="resolved"' in body
    assert "已扩容测试服务器" in body
    # feedback of the client that 张伟 did not send is not his
    assert "响应太慢" not in body


def test_the_other_clients_contact_sees_none_of_it(portal, other_portal):
    portal.post(NEW, _complaint())
    portal.post(NEW, {"kind": "requirement", "subject": "导出 PDF 报表"})

    body = other_portal.get(LIST).content.decode()

    assert "测试环境经常无法访问" not in body
    assert "导出 PDF 报表" not in body


def test_a_preview_shows_the_list_and_refuses_sending(staff_browser, portal_contact):
    staff_browser.post(
        reverse("portal:preview_start", kwargs={"contact_pk": portal_contact.pk})
    )

    assert staff_browser.get(LIST).status_code == 200
    response = staff_browser.post(NEW, _complaint())

    assert response.status_code == 403
    assert not Feedback.objects.filter(subject="测试环境经常无法访问").exists()


def test_staff_get_404_without_a_preview(staff_browser):
    assert staff_browser.get(LIST).status_code == 404
    assert staff_browser.post(NEW, _complaint()).status_code == 404


def test_completed_projects_are_not_offered(portal, project):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    response = portal.get(NEW)

    assert f'value="{project.pk}"' not in response.content.decode()


def test_the_account_manager_sees_it_on_the_clients_page_marked_as_the_clients(
    portal, staff_browser, client_record
):
    portal.post(NEW, _complaint())
    portal.post(NEW, {"kind": "requirement", "subject": "导出 PDF 报表"})

    response = staff_browser.get(
        reverse("clients:client_detail", kwargs={"pk": client_record.pk})
    )

    body = response.content.decode()
    assert "测试环境经常无法访问" in body
    assert "导出 PDF 报表" in body
    assert "Client portal" in body
    assert body.count("via the portal") >= 4  # two rows, two history entries


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_for_1_and_20(
    portal, portal_contact, django_assert_num_queries, count
):
    from clientfolio.clients import services

    for number in range(count):
        services.submit_feedback(portal_contact, kind="praise", subject=f"好评{number}")
        services.submit_requirement(portal_contact, title=f"需求{number}")
    portal.get(LIST)

    # session, user, contact, feedback, requirements
    with django_assert_num_queries(5):
        response = portal.get(LIST)

    assert response.status_code == 200
