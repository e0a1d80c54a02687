"""A client's acceptance is an immutable record of who decided, when, from which address
and browser, and what exactly was decided on (a frozen snapshot of the deliverable, the
milestone and the signed file), shown on the staff pages and in the API (issue 12)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clientfolio.quality import services
from clientfolio.quality.models import Acceptance, Deliverable
from clientfolio.schedule.models import Task
from tests.documents.factories import upload

# A client's decision is never dated in the future: relative to today, whatever it is.
DECIDED_ON = timezone.localdate() - datetime.timedelta(days=3)
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0.47"


def _accept(project, user, **kwargs):
    values = {
        "decision": "accepted",
        "decided_on": DECIDED_ON,
        "user": user,
        **kwargs,
    }
    return services.record_acceptance(project, **values)


@pytest.fixture
def planned_milestone(milestone):
    """The milestone planned for 2026-10-30, started on 2026-10-28."""
    Task.objects.filter(pk=milestone.pk).update(
        start=datetime.date(2026, 10, 30),
        finish=datetime.date(2026, 10, 30),
        actual_start=datetime.date(2026, 10, 28),
        acceptance_criteria="客户签字确认",
    )
    milestone.refresh_from_db()
    return milestone


@pytest.fixture
def acceptance(project, deliverable, planned_milestone, contact, project_manager):
    """张伟 accepted 架构设计说明书 through the portal from 203.0.113.7 on a phone,
    with the signed 验收确认单.pdf."""
    return _accept(
        project,
        project_manager,
        deliverable=deliverable,
        contact=contact,
        files=[upload("验收确认单.pdf")],
        channel=Acceptance.Channel.PORTAL,
        ip_address="203.0.113.7",
        user_agent=BROWSER,
    )


# --- the service ------------------------------------------------------------------------


def test_the_acceptance_keeps_the_address_and_the_browser(acceptance):
    acceptance.refresh_from_db()
    assert acceptance.ip_address == "203.0.113.7"
    assert acceptance.user_agent == BROWSER
    assert acceptance.channel == Acceptance.Channel.PORTAL


def test_the_snapshot_freezes_what_was_accepted(acceptance, deliverable, milestone):
    # given the deliverable and milestone as they were when the client decided
    stored = Acceptance.objects.get(pk=acceptance.pk)
    version = acceptance.document.current_version

    # then the snapshot names them with their criteria, dates and the signed file
    assert stored.accepted_snapshot == {
        "deliverable": {
            "id": deliverable.pk,
            "name": "架构设计说明书",
            "acceptance_criteria": "包含部署架构图\n性能设计满足 P95 ≤ 300 ms",
            "criteria": ["包含部署架构图", "性能设计满足 P95 ≤ 300 ms"],
        },
        "milestone": {
            "id": milestone.pk,
            "name": "设计评审通过",
            "acceptance_criteria": "客户签字确认",
            "planned_start": "2026-10-30",
            "planned_finish": "2026-10-30",
            # as they stood before the acceptance marked the milestone done
            "actual_start": "2026-10-28",
            "actual_finish": None,
        },
        "document": {
            "id": acceptance.document.pk,
            "title": acceptance.document.title,
            "version_id": version.pk,
            "version": 1,
            "file_name": "验收确认单.pdf",
            "size": version.size,
            "sha256": version.sha256,
        },
    }
    assert len(version.sha256) == 64


def test_later_edits_do_not_change_the_snapshot(acceptance, deliverable):
    # when the deliverable is renamed and its criteria changed after the decision
    Deliverable.objects.filter(pk=deliverable.pk).update(
        name="架构设计说明书 v2", acceptance_criteria="全新的标准"
    )

    # then the acceptance still says what the client accepted
    stored = Acceptance.objects.get(pk=acceptance.pk)
    assert stored.snapshot_deliverable["name"] == "架构设计说明书"
    assert stored.snapshot_deliverable["criteria"][0] == "包含部署架构图"


def test_a_milestone_accepted_directly_has_no_deliverable_or_document(
    project, planned_milestone, contact, project_manager
):
    acceptance = _accept(
        project, project_manager, milestone=planned_milestone, contact=contact
    )
    snapshot = Acceptance.objects.get(pk=acceptance.pk).accepted_snapshot
    assert snapshot["deliverable"] is None
    assert snapshot["document"] is None
    assert snapshot["milestone"]["name"] == "设计评审通过"
    assert acceptance.ip_address is None
    assert acceptance.user_agent == ""


def test_an_ipv6_address_is_kept_in_its_canonical_form(
    project, deliverable, contact, project_manager
):
    acceptance = _accept(
        project,
        project_manager,
        deliverable=deliverable,
        contact=contact,
        ip_address="2001:DB8:0:0::1",
    )
    assert Acceptance.objects.get(pk=acceptance.pk).ip_address == "2001:db8::1"


def test_a_long_browser_string_is_cut_and_its_whitespace_folded(
    project, deliverable, contact, project_manager
):
    acceptance = _accept(
        project,
        project_manager,
        deliverable=deliverable,
        contact=contact,
        user_agent="Mozilla/5.0\n" + "x" * 500,
    )
    stored = Acceptance.objects.get(pk=acceptance.pk)
    assert len(stored.user_agent) == 300
    assert stored.user_agent.startswith("Mozilla/5.0 x")


def test_an_address_that_is_not_one_is_refused_and_nothing_is_saved(
    project, deliverable, contact, project_manager
):
    with pytest.raises(services.QualityError, match="is not an IP address") as refused:
        _accept(
            project,
            project_manager,
            deliverable=deliverable,
            contact=contact,
            ip_address="203.0.113.7; DROP TABLE",
            files=[upload("签字.pdf")],
        )
    assert refused.value.field == "ip_address"
    assert not Acceptance.objects.exists()
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.SUBMITTED


# --- immutable ----------------------------------------------------------------------------


def test_an_acceptance_cannot_be_changed(acceptance):
    acceptance.comments = "改过的意见"
    with pytest.raises(ValidationError, match="cannot be changed"):
        acceptance.save()
    assert Acceptance.objects.get(pk=acceptance.pk).comments == ""
    assert Acceptance.history.filter(id=acceptance.pk).count() == 1


def test_an_acceptance_cannot_be_deleted(acceptance):
    with pytest.raises(ValidationError, match="cannot be deleted"):
        acceptance.delete()
    assert Acceptance.objects.filter(pk=acceptance.pk).exists()


def test_a_new_decision_is_a_new_record(acceptance, project, deliverable, contact):
    # when the client changes their mind, a rejection is recorded beside the acceptance
    rejection = _accept(
        project,
        None,
        deliverable=deliverable,
        contact=contact,
        decision="rejected",
        comments="发现遗漏",
    )
    assert rejection.pk != acceptance.pk
    assert Acceptance.objects.filter(deliverable=deliverable).count() == 2


# --- pages --------------------------------------------------------------------------------


def _detail_url(acceptance):
    return reverse(
        "quality:acceptance_detail",
        kwargs={"pk": acceptance.project_id, "acceptance_pk": acceptance.pk},
    )


def test_the_detail_page_shows_who_when_where_and_what(as_persona, acceptance):
    response = as_persona("viewer").get(_detail_url(acceptance))
    body = response.content.decode()
    assert response.status_code == 200
    assert "张伟" in body
    assert "203.0.113.7" in body
    assert "MicroMessenger/8.0.47" in body
    assert acceptance.document.current_version.sha256 in body
    assert "性能设计满足 P95 ≤ 300 ms" in body
    assert "2026-10-30" in body
    assert "Client portal" in body


def test_the_detail_page_of_another_projects_acceptance_is_not_found(
    as_persona, acceptance, project
):
    from tests.projects.factories import ProjectFactory

    other = ProjectFactory()
    response = as_persona("project_manager").get(
        reverse(
            "quality:acceptance_detail",
            kwargs={"pk": other.pk, "acceptance_pk": acceptance.pk},
        )
    )
    assert response.status_code == 404


def test_the_detail_page_takes_a_fixed_number_of_queries(
    as_persona, acceptance, django_assert_num_queries
):
    browser = as_persona("viewer")
    browser.get(_detail_url(acceptance))  # warm the session and the role cache
    with django_assert_num_queries(QUERIES_DETAIL):
        response = browser.get(_detail_url(acceptance))
    assert response.status_code == 200


# The session, the user, the project, the reader's role on it, and the acceptance with
# everything it names in one join: nothing more for its criteria or its file.
QUERIES_DETAIL = 4


def test_an_old_acceptance_without_a_snapshot_says_so(
    as_persona, project, deliverable, contact
):
    # given an acceptance stored before snapshots existed
    old = Acceptance.objects.create(
        project=project,
        deliverable=deliverable,
        decision="accepted",
        contact=contact,
        decided_on=DECIDED_ON,
    )
    response = as_persona("viewer").get(_detail_url(old))
    assert response.status_code == 200
    assert "No snapshot was kept" in response.content.decode()


def test_the_list_shows_the_address_and_links_to_the_detail(as_persona, acceptance):
    response = as_persona("member").get(
        reverse("quality:acceptance_list", kwargs={"pk": acceptance.project_id})
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "203.0.113.7" in body
    assert _detail_url(acceptance) in body


def test_the_staff_form_records_the_managers_address_and_browser(
    as_persona, project, deliverable, contact
):
    response = as_persona("project_manager").post(
        reverse("quality:acceptance_create", kwargs={"pk": project.pk}),
        {
            "deliverable": deliverable.pk,
            "decision": "accepted",
            "contact": contact.pk,
            "decided_on": DECIDED_ON.isoformat(),
        },
        REMOTE_ADDR="198.51.100.20",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/131",
    )
    assert response.status_code == 302
    stored = Acceptance.objects.get()
    assert stored.ip_address == "198.51.100.20"
    assert stored.user_agent == "Mozilla/5.0 (X11; Linux x86_64) Chrome/131"
    assert stored.channel == Acceptance.Channel.STAFF
    assert stored.snapshot_deliverable["name"] == "架构设计说明书"


# --- API ----------------------------------------------------------------------------------


def test_the_api_reads_the_evidence_and_never_takes_it_from_the_caller(
    api_as, project, deliverable, contact
):
    api = api_as("project_manager")
    response = api.post(
        "/api/v1/acceptances/",
        {
            "project": project.pk,
            "deliverable": deliverable.pk,
            "decision": "accepted",
            "contact": contact.pk,
            "decided_on": DECIDED_ON.isoformat(),
            "ip_address": "10.0.0.1",
            "accepted_snapshot": '{"deliverable": {"name": "伪造"}}',
        },
        REMOTE_ADDR="198.51.100.21",
        HTTP_USER_AGENT="clientfolio-sync/1.0",
    )
    assert response.status_code == 201, response.content
    body = api.get(f"/api/v1/acceptances/{response.json()['id']}/").json()
    assert body["ip_address"] == "198.51.100.21"
    assert body["user_agent"] == "clientfolio-sync/1.0"
    assert body["accepted_snapshot"]["deliverable"]["name"] == "架构设计说明书"
    assert body["accepted_snapshot"]["milestone"]["name"] == "设计评审通过"
