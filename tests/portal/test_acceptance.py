"""Deliverables and milestones in the portal: 张伟 checks a submitted deliverable
against its acceptance criteria and accepts or rejects it, with an optional signed
file; the acceptance is an immutable record of who, when, from which address and what
exactly. A milestone without deliverables is accepted directly once it is ready."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clientfolio.core.models import Event
from clientfolio.documents.models import Document
from clientfolio.portal.access import PREVIEW_SESSION_KEY
from clientfolio.portal.decisions import milestone_is_ready
from clientfolio.portal.models import ProjectSharing
from clientfolio.quality import services as quality
from clientfolio.quality.models import Acceptance, Deliverable
from clientfolio.schedule.models import Task
from tests.documents.factories import PDF, upload
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0.47"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def milestone(project):
    return TaskFactory(
        project=project,
        name="设计评审通过",
        milestone=True,
        acceptance_criteria="客户签字确认",
    )


@pytest.fixture
def deliverable(project, milestone, member):
    """架构设计说明书, submitted, on the milestone, with two criteria."""
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


def _url(deliverable):
    return reverse(
        "portal:deliverable",
        kwargs={"pk": deliverable.project_id, "deliverable_pk": deliverable.pk},
    )


def _milestone_url(milestone):
    return reverse(
        "portal:milestone",
        kwargs={"pk": milestone.project_id, "milestone_pk": milestone.pk},
    )


def _post(browser, url, decision, comments="", file=None, version=None):
    data = {"decision": decision, "comments": comments}
    if version is not None:
        data["version"] = version
    if file is not None:
        data["file"] = file
    return browser.post(url, data, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=PHONE)


def _ready_milestone(project, name="上线验收", **fields):
    """A milestone without deliverables whose planned date has passed."""
    task = TaskFactory(project=project, name=name, milestone=True, **fields)
    Task.objects.filter(pk=task.pk).update(
        finish=timezone.localdate() - datetime.timedelta(days=2)
    )
    task.refresh_from_db()
    return task


# --- reading -----------------------------------------------------------------------------


def test_the_page_shows_the_criteria_and_the_decision(portal, deliverable):
    response = portal.get(_url(deliverable))

    body = response.content.decode()
    assert response.status_code == 200
    assert "包含部署架构图" in body
    assert "性能设计满足 P95 ≤ 300 ms" in body
    assert "设计评审通过" in body
    assert "2026-06-30" in body
    assert "Awaiting your acceptance" in body
    assert 'enctype="multipart/form-data"' in body


def test_the_project_page_lists_deliverables_and_milestones(
    portal, project, deliverable, milestone
):
    TaskFactory(
        project=project, name="内部评审", milestone=True, is_client_visible=False
    )

    body = portal.get(reverse("portal:project", kwargs={"pk": project.pk})).content
    body = body.decode()

    assert 'id="deliverables"' in body
    assert _url(deliverable) in body
    assert _milestone_url(milestone) in body
    assert "内部评审" not in body


def test_an_internal_milestone_is_never_named(portal, project, member):
    internal = TaskFactory(
        project=project, name="内部评审", milestone=True, is_client_visible=False
    )
    deliverable = quality.save_deliverable(
        Deliverable(
            project=project,
            milestone=internal,
            name="测试报告",
            status=Deliverable.Status.SUBMITTED,
        )
    )
    portal_post = _post(portal, _url(deliverable), "accepted")
    assert portal_post.status_code == 302

    body = portal.get(_url(deliverable)).content.decode()
    assert "测试报告" in body
    assert "内部评审" not in body
    body = portal.get(reverse("portal:project", kwargs={"pk": project.pk})).content
    assert "内部评审" not in body.decode()


def test_the_page_costs_the_same_queries_whatever_its_decisions(
    portal, project, deliverable, portal_contact, django_assert_num_queries
):
    with django_assert_num_queries(7):
        assert portal.get(_url(deliverable)).status_code == 200

    # given two rejections and an acceptance with signed files
    for n in range(2):
        quality.record_acceptance(
            project,
            decision="rejected",
            contact=portal_contact,
            decided_on=timezone.localdate(),
            comments=f"第{n}次意见",
            deliverable=deliverable,
            files=[upload(f"意见{n}.pdf")],
            user=None,
        )
        Deliverable.objects.filter(pk=deliverable.pk).update(status="submitted")

    with django_assert_num_queries(9):
        response = portal.get(_url(deliverable))
    assert response.content.decode().count("cf-acceptance") == 2


def test_the_project_card_costs_the_same_for_one_deliverable_as_for_five(
    portal, project, milestone, deliverable, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("portal:project", kwargs={"pk": project.pk})
    with CaptureQueriesContext(connection) as one:
        assert portal.get(url).status_code == 200

    for n in range(4):
        quality.save_deliverable(
            Deliverable(project=project, milestone=milestone, name=f"交付物{n}")
        )
        _ready_milestone(project, name=f"里程碑{n}")

    with django_assert_num_queries(len(one.captured_queries)):
        response = portal.get(url)
    assert response.content.decode().count("cf-deliverable-row") == 5


def test_a_project_that_does_not_share_deliverables_has_none(
    portal, project, deliverable, milestone
):
    ProjectSharing.objects.create(project=project, shows_deliverables=False)

    assert portal.get(_url(deliverable)).status_code == 404
    assert portal.get(_milestone_url(milestone)).status_code == 404
    assert _post(portal, _url(deliverable), "accepted").status_code == 404
    assert Deliverable.objects.get(pk=deliverable.pk).status == "submitted"


# --- accepting a deliverable --------------------------------------------------------------


def test_he_accepts_with_a_signed_pdf_and_sees_the_record(
    portal, portal_user, portal_contact, project_manager, deliverable, milestone
):
    # when 张伟 accepts the deliverable with the signed form, from his phone
    response = _post(
        portal,
        _url(deliverable),
        "accepted",
        "符合要求",
        file=upload("验收确认单.pdf"),
        version=deliverable.version,
    )

    # then the acceptance is his, through the portal, from his address and browser
    assert response.status_code == 302
    [acceptance] = Acceptance.objects.all()
    assert acceptance.contact == portal_contact
    assert acceptance.channel == "portal"
    assert acceptance.recorded_by == portal_user
    assert acceptance.decided_on == timezone.localdate()
    assert acceptance.ip_address == "203.0.113.7"
    assert acceptance.user_agent == PHONE
    assert acceptance.accepted_snapshot["deliverable"]["criteria"] == [
        "包含部署架构图",
        "性能设计满足 P95 ≤ 300 ms",
    ]
    # and the deliverable is accepted, its only one reaching the milestone
    assert Deliverable.objects.get(pk=deliverable.pk).status == "accepted"
    assert Task.objects.get(pk=milestone.pk).status == "done"
    # and the team hears of it
    told = Event.objects.get(kind="deliverable.accepted")
    assert project_manager.pk in told.recipient_ids
    # and the signed file is his to download again
    document = acceptance.document
    assert document.visibility == Document.Visibility.SHARED

    # and the page shows the immutable record
    body = portal.get(response["Location"]).content.decode()
    assert "You accepted 架构设计说明书" in body
    assert "203.0.113.7" in body
    assert "MicroMessenger" in body
    assert "验收确认单.pdf" in body
    assert document.current_version.sha256 in body
    download = reverse(
        "portal:document_download",
        kwargs={
            "pk": deliverable.project_id,
            "version_pk": document.current_version_id,
        },
    )
    assert download in body
    assert portal.get(download).status_code == 200
    assert 'id="decision-form"' not in body


def test_a_rejection_reopens_the_work(portal, deliverable, milestone):
    response = _post(portal, _url(deliverable), "rejected", "缺少部署架构图")

    assert response.status_code == 302
    assert Deliverable.objects.get(pk=deliverable.pk).status == "in_progress"
    assert Task.objects.get(pk=milestone.pk).status != "done"
    assert Event.objects.filter(kind="deliverable.rejected").exists()
    body = portal.get(_url(deliverable)).content.decode()
    assert "缺少部署架构图" in body
    assert 'id="decision-form"' not in body


def test_a_rejection_without_comments_is_refused(portal, deliverable):
    response = _post(portal, _url(deliverable), "rejected", "")

    assert response.status_code == 400
    assert "a comment is required" in response.content.decode()
    assert not Acceptance.objects.exists()
    assert Deliverable.objects.get(pk=deliverable.pk).status == "submitted"


def test_an_oversized_file_is_refused_inline_and_nothing_is_saved(
    portal, deliverable, settings, media_root
):
    settings.DOCUMENTS_MAX_BYTES = 1024

    response = _post(
        portal,
        _url(deliverable),
        "accepted",
        file=upload("验收确认单.pdf", PDF + b"0" * 2048),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "larger than" in body
    assert 'id="decision-form"' in body
    assert not Acceptance.objects.exists()
    assert not Document.objects.filter(project=deliverable.project).exists()
    assert Deliverable.objects.get(pk=deliverable.pk).status == "submitted"


def test_a_file_larger_than_a_signed_form_is_refused_by_the_form(
    portal, deliverable, monkeypatch
):
    from clientfolio.portal import decision_forms

    monkeypatch.setattr(decision_forms, "MAX_SIGNED_BYTES", 1024)

    response = _post(
        portal, _url(deliverable), "accepted", file=upload("签字.pdf", PDF * 100)
    )

    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not Acceptance.objects.exists()


def test_a_disguised_file_is_refused_inline_and_nothing_is_saved(portal, deliverable):
    response = _post(
        portal,
        _url(deliverable),
        "accepted",
        file=upload("验收确认单.pdf", b"MZ\x90\x00 not a pdf at all"),
    )

    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode().lower()
    assert not Acceptance.objects.exists()
    assert not Document.objects.filter(project=deliverable.project).exists()


def test_the_refusal_is_in_his_language(portal_user, deliverable):
    from django.test import Client as BrowserClient

    portal_user.language = "zh-hans"
    portal_user.save(update_fields=["language"])
    browser = BrowserClient()
    browser.force_login(portal_user)

    response = _post(browser, _url(deliverable), "rejected", "")

    assert response.status_code == 400
    body = response.content.decode()
    assert "请说明" in body
    assert "验收标准" in body


def test_a_deliverable_already_decided_is_not_decided_again(portal, deliverable):
    _post(portal, _url(deliverable), "accepted")

    response = _post(portal, _url(deliverable), "rejected", "改主意了")

    assert response.status_code == 400
    body = response.content.decode()
    assert "does not await your acceptance" in body
    assert Acceptance.objects.count() == 1
    assert Deliverable.objects.get(pk=deliverable.pk).status == "accepted"


def test_a_deliverable_changed_while_he_read_it_is_shown_again(portal, deliverable):
    opened = deliverable.version
    quality.save_deliverable(deliverable, opened)  # the team saved it meanwhile

    response = _post(portal, _url(deliverable), "accepted", "好", version=opened)

    assert response.status_code == 409
    body = response.content.decode()
    assert "The project team changed this while you were reading it" in body
    assert not Acceptance.objects.exists()


def test_a_deliverable_of_another_client_does_not_exist(other_portal, deliverable):
    assert other_portal.get(_url(deliverable)).status_code == 404

    response = _post(other_portal, _url(deliverable), "accepted")

    assert response.status_code == 404
    assert "架构设计说明书" not in response.content.decode()
    assert not Acceptance.objects.exists()


def test_a_deliverable_is_found_only_under_its_project(
    portal, client_record, deliverable, project_manager
):
    other = ProjectFactory(client=client_record, name="二期", manager=project_manager)
    url = reverse(
        "portal:deliverable", kwargs={"pk": other.pk, "deliverable_pk": deliverable.pk}
    )

    assert portal.get(url).status_code == 404


def test_in_a_preview_nothing_can_be_accepted(
    staff_browser, portal_contact, deliverable
):
    session = staff_browser.session
    session[PREVIEW_SESSION_KEY] = portal_contact.pk
    session.save()

    body = staff_browser.get(_url(deliverable)).content.decode()
    assert "In the preview nothing can be decided" in body
    assert _post(staff_browser, _url(deliverable), "accepted").status_code == 403
    assert not Acceptance.objects.exists()


# --- accepting a milestone directly --------------------------------------------------------


def test_a_ready_milestone_is_accepted_directly(portal, project, portal_contact):
    milestone = _ready_milestone(project, acceptance_criteria="系统上线运行一周")

    body = portal.get(_milestone_url(milestone)).content.decode()
    assert "系统上线运行一周" in body
    assert "Awaiting your acceptance" in body

    response = _post(
        portal, _milestone_url(milestone), "accepted", file=upload("上线确认.pdf")
    )

    assert response.status_code == 302
    [acceptance] = Acceptance.objects.all()
    assert (acceptance.milestone, acceptance.deliverable) == (milestone, None)
    assert acceptance.contact == portal_contact
    stored = Task.objects.get(pk=milestone.pk)
    assert stored.status == "done"
    assert stored.actual_finish == timezone.localdate()
    body = portal.get(_milestone_url(milestone)).content.decode()
    assert "上线确认.pdf" in body
    assert "Reached" in body


def test_a_milestone_with_deliverables_is_accepted_through_them(
    portal, milestone, deliverable
):
    Task.objects.filter(pk=milestone.pk).update(
        finish=timezone.localdate() - datetime.timedelta(days=1)
    )

    body = portal.get(_milestone_url(milestone)).content.decode()
    assert "架构设计说明书" in body
    assert 'id="decision-form"' not in body

    response = _post(portal, _milestone_url(milestone), "accepted")
    assert response.status_code == 400
    assert "does not await your acceptance" in response.content.decode()
    assert not Acceptance.objects.exists()


def test_a_milestone_not_due_yet_cannot_be_accepted(portal, project):
    future = TaskFactory(project=project, name="二期上线", milestone=True)
    Task.objects.filter(pk=future.pk).update(
        finish=timezone.localdate() + datetime.timedelta(days=10)
    )

    assert _post(portal, _milestone_url(future), "accepted").status_code == 400
    assert not Acceptance.objects.exists()


def test_an_internal_milestone_does_not_exist(portal, project):
    internal = _ready_milestone(project, name="内部评审", is_client_visible=False)

    assert portal.get(_milestone_url(internal)).status_code == 404
    assert _post(portal, _milestone_url(internal), "accepted").status_code == 404


def test_a_rejected_milestone_waits_for_its_new_date(portal, project):
    milestone = _ready_milestone(project)
    _post(portal, _milestone_url(milestone), "rejected", "性能不达标")
    assert Task.objects.get(pk=milestone.pk).status != "done"

    # then it is not offered again until the team re-plans it
    body = portal.get(_milestone_url(milestone)).content.decode()
    assert 'id="decision-form"' not in body
    assert "性能不达标" in body


@pytest.mark.parametrize(
    ("fields", "ready"),
    [
        ({}, True),
        ({"is_done": True}, False),
        ({"has_deliverables": True}, False),
        ({"planned_on": None}, False),
        ({"planned_on": datetime.date(2026, 5, 2)}, False),
        ({"last_rejected_on": datetime.date(2026, 4, 30)}, True),
        ({"last_rejected_on": datetime.date(2026, 5, 1)}, False),
    ],
)
def test_when_a_milestone_is_ready(fields, ready):
    values = {
        "is_done": False,
        "has_deliverables": False,
        "planned_on": datetime.date(2026, 5, 1),
        "last_rejected_on": None,
        "today": datetime.date(2026, 5, 1),
        **fields,
    }
    assert milestone_is_ready(**values) is ready


def test_on_a_completed_project_nothing_can_be_accepted(portal, project, deliverable):
    from clientfolio.projects.models import Project

    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)

    assert 'id="decision-form"' not in portal.get(_url(deliverable)).content.decode()
    assert _post(portal, _url(deliverable), "accepted").status_code == 403
    assert not Acceptance.objects.exists()


def test_a_ready_milestone_waits_for_the_client_until_decided(
    portal, project, portal_contact, milestone, deliverable
):
    from clientfolio.portal.waiting import waiting_for

    # given a ready milestone, one through its deliverable, one not due and an internal
    # one (dates set once all exist: adding a task reschedules the plan)
    ready = TaskFactory(project=project, name="上线验收", milestone=True)
    internal = TaskFactory(
        project=project, name="内部评审", milestone=True, is_client_visible=False
    )
    future = TaskFactory(project=project, name="二期上线", milestone=True)
    today = timezone.localdate()
    for task, days in ((ready, -2), (milestone, -1), (internal, -2), (future, 10)):
        Task.objects.filter(pk=task.pk).update(
            finish=today + datetime.timedelta(days=days)
        )

    def milestones_waiting():
        return [
            (item.title, item.url)
            for item in waiting_for(portal_contact, today=timezone.localdate())
            if item.kind == "milestone"
        ]

    # then only the ready one waits, on the home page too
    assert milestones_waiting() == [("上线验收", _milestone_url(ready))]
    home = portal.get(reverse("portal:home")).content.decode()
    assert "Accept a milestone" in home
    assert _milestone_url(ready) in home
    # and once the client rejects it, it waits no more until the team re-plans it
    _post(portal, _milestone_url(ready), "rejected", "性能不达标")
    assert milestones_waiting() == []
