"""Services of requirements and change requests: every write pages and API share."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from clientfolio.core.locking import StaleVersion
from clientfolio.projects import change_control, workflow
from clientfolio.projects.models import (
    ChangeRequest,
    ChangeRequestTransition,
    ProjectRequirement,
)
from tests.clients.factories import ContactFactory, RequirementFactory
from tests.projects.factories import (
    ChangeRequestFactory,
    ProjectFactory,
    ProjectRequirementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def zhang(project):
    return project.client.contacts.get(name="张伟")


@pytest.fixture
def stranger():
    """A contact of another client."""
    return ContactFactory(name="外人")


def test_the_status_values_match_the_models():
    assert set(workflow.CHANGE_TRANSITIONS) == set(ChangeRequest.Status.values)
    assert set(workflow.REQUIREMENT_TRANSITIONS) == set(
        ProjectRequirement.Status.values
    )


# --- requirements ------------------------------------------------------------------------


def test_a_new_requirement_is_collected(project):
    # when a requirement is created
    requirement = change_control.create_requirement(
        project, title="  单点登录  ", priority="high"
    )

    # then it is collected, trimmed and in the project
    assert (requirement.project, requirement.status) == (project, "collected")
    assert (requirement.title, requirement.priority) == ("单点登录", "high")


def test_a_requirement_from_a_client_need_copies_title_description_and_priority(
    project,
):
    # given an urgent need of the project's client
    need = RequirementFactory(
        client=project.client,
        title="报表导出",
        description="导出为 Excel",
        priority="urgent",
    )

    # when it is taken into the project
    requirement = change_control.create_requirement(project, source=need)

    # then title, description and priority (urgent is critical here) are copied
    assert requirement.source == need
    assert (requirement.title, requirement.description, requirement.priority) == (
        "报表导出",
        "导出为 Excel",
        "critical",
    )


def test_a_title_typed_in_wins_over_the_need(project):
    need = RequirementFactory(client=project.client, title="报表导出")
    requirement = change_control.create_requirement(
        project, source=need, title="月度报表导出"
    )
    assert requirement.title == "月度报表导出"


def test_a_need_of_another_client_is_refused(project):
    # given a need of another client
    need = RequirementFactory(title="别家的需求")

    # when it is taken into the project, then it is refused and nothing is saved
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.create_requirement(project, source=need)
    assert refused.value.field == "source"
    assert "another client" in refused.value.message
    assert not ProjectRequirement.objects.exists()


def test_a_requirement_needs_a_title(project):
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.create_requirement(project, title="   ")
    assert refused.value.field == "title"
    assert not ProjectRequirement.objects.exists()


def test_an_update_is_versioned(project):
    # given a requirement someone else already edited (version 2)
    requirement = ProjectRequirementFactory(project=project, title="原标题")
    other = ProjectRequirement.objects.get(pk=requirement.pk)
    other.title = "别人的标题"
    change_control.update_requirement(other, 1)

    # when I save my edit based on version 1
    requirement.title = "我的标题"
    with pytest.raises(StaleVersion):
        change_control.update_requirement(requirement, 1)

    # then theirs stays
    requirement.refresh_from_db()
    assert (requirement.title, requirement.version) == ("别人的标题", 2)


def test_confirming_records_the_client_contact_and_the_date(project, zhang):
    # given a collected requirement
    requirement = ProjectRequirementFactory(project=project)

    # when 张伟 of the client confirms it on 2026-05-06
    change_control.move_requirement(
        requirement,
        "confirmed",
        confirmed_by=zhang,
        confirmed_on=datetime.date(2026, 5, 6),
    )

    # then it is confirmed with who and when
    requirement.refresh_from_db()
    assert requirement.status == "confirmed"
    assert requirement.confirmed_by == zhang
    assert requirement.confirmed_on == datetime.date(2026, 5, 6)
    assert requirement.version == 2


def test_confirming_without_a_date_means_today(project, zhang):
    requirement = ProjectRequirementFactory(project=project)
    change_control.move_requirement(requirement, "confirmed", confirmed_by=zhang)
    requirement.refresh_from_db()
    assert requirement.confirmed_on == timezone.localdate()


def test_confirming_by_a_contact_of_another_client_is_refused(project, stranger):
    # given a collected requirement
    requirement = ProjectRequirementFactory(project=project)

    # when a contact of another client is named as confirming it
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.move_requirement(requirement, "confirmed", confirmed_by=stranger)

    # then it is refused, naming the contact, and nothing is saved
    assert refused.value.field == "confirmed_by"
    assert "外人 is not a contact of this project's client" in refused.value.message
    requirement.refresh_from_db()
    assert (requirement.status, requirement.confirmed_by, requirement.version) == (
        "collected",
        None,
        1,
    )


def test_confirming_needs_a_contact(project):
    requirement = ProjectRequirementFactory(project=project)
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.move_requirement(requirement, "confirmed")
    assert refused.value.field == "confirmed_by"
    requirement.refresh_from_db()
    assert requirement.status == "collected"


def test_a_requirement_cannot_skip_steps(project):
    # given a collected requirement
    requirement = ProjectRequirementFactory(project=project)

    # when it is moved straight to delivered
    with pytest.raises(change_control.TransitionError) as refused:
        change_control.move_requirement(requirement, "delivered")

    # then the message names both statuses and what is allowed; nothing is saved
    message = refused.value.message
    assert "cannot go from “Collected” to “Delivered”" in message
    assert "“Confirmed”, “Rejected”" in message
    requirement.refresh_from_db()
    assert requirement.status == "collected"


def test_a_requirement_moves_through_scope_to_delivered(project):
    requirement = ProjectRequirementFactory(project=project, status="confirmed")
    change_control.move_requirement(requirement, "in_scope")
    change_control.move_requirement(requirement, "delivered")
    requirement.refresh_from_db()
    assert requirement.status == "delivered"


def test_a_delivered_requirement_is_final(project):
    requirement = ProjectRequirementFactory(project=project, status="delivered")
    with pytest.raises(change_control.TransitionError) as refused:
        change_control.move_requirement(requirement, "rejected")
    assert "“Delivered” is final" in refused.value.message


def test_an_unknown_status_is_named_in_the_refusal(project):
    requirement = ProjectRequirementFactory(project=project)
    with pytest.raises(change_control.TransitionError) as refused:
        change_control.move_requirement(requirement, "lost")
    assert "“lost” is not a status" in refused.value.message


def test_a_move_based_on_an_old_version_is_stale(project):
    requirement = ProjectRequirementFactory(project=project)
    change_control.move_requirement(requirement, "rejected")
    fresh = ProjectRequirement.objects.get(pk=requirement.pk)
    with pytest.raises(StaleVersion):
        change_control.move_requirement(fresh, "rejected", expected_version=1)


def test_status_counts_list_every_status_in_order(project):
    ProjectRequirementFactory(project=project)
    ProjectRequirementFactory(project=project)
    ProjectRequirementFactory(project=project, status="in_scope")
    counts = change_control.requirement_status_counts(project)
    assert [(c["value"], c["count"]) for c in counts] == [
        ("collected", 2),
        ("confirmed", 0),
        ("in_scope", 1),
        ("delivered", 0),
        ("rejected", 0),
    ]


# --- change requests ---------------------------------------------------------------------


def submit(project, user, **fields):
    change_request = ChangeRequest(project=project, title="增加报表模块", **fields)
    return change_control.create_change_request(
        change_request, user=user, comment="客户会上提出"
    )


def test_a_change_request_is_numbered_per_project_and_its_submission_recorded(
    project, project_manager
):
    # when two change requests are submitted to the project and one to another project
    first = submit(project, project_manager)
    second = submit(project, project_manager)
    elsewhere = submit(ProjectFactory(), project_manager)

    # then they are numbered per project and submitted
    assert (first.code, second.code, elsewhere.code) == ("CR-001", "CR-002", "CR-001")
    assert first.status == "submitted"
    # and the submission is the first transition, with who and the comment
    transition = first.transitions.get()
    assert (transition.from_status, transition.to_status) == ("", "submitted")
    assert (transition.user, transition.comment) == (project_manager, "客户会上提出")
    # and without a requester or a date, the submitter asked today
    assert first.requested_by_user == project_manager
    assert first.requested_on == timezone.localdate()


def test_a_client_contact_can_be_the_requester(project, project_manager, zhang):
    change_request = submit(project, project_manager, requested_by_contact=zhang)
    assert change_request.requested_by_contact == zhang
    assert change_request.requested_by_user is None


def test_a_requester_of_another_client_is_refused(project, project_manager, stranger):
    with pytest.raises(change_control.ChangeControlError) as refused:
        submit(project, project_manager, requested_by_contact=stranger)
    assert refused.value.field == "requested_by_contact"
    assert not ChangeRequest.objects.exists()
    assert not ChangeRequestTransition.objects.exists()


def test_a_change_is_requested_by_a_contact_or_by_staff_not_both(
    project, project_manager, zhang
):
    with pytest.raises(change_control.ChangeControlError):
        submit(
            project,
            project_manager,
            requested_by_contact=zhang,
            requested_by_user=project_manager,
        )
    assert not ChangeRequest.objects.exists()


def test_a_pending_change_request_can_be_edited_but_not_its_status(
    project, project_manager
):
    # given a submitted change request
    change_request = submit(project, project_manager)

    # when its impact is edited (and a forged status tags along)
    change_request.schedule_impact_days = -5
    change_request.cost_impact = Decimal("12000.50")
    change_request.status = "approved"
    change_control.update_change_request(change_request, 1)

    # then the impact is saved, the status is not
    change_request.refresh_from_db()
    assert (change_request.schedule_impact_days, change_request.cost_impact) == (
        -5,
        Decimal("12000.50"),
    )
    assert (change_request.status, change_request.version) == ("submitted", 2)


def test_a_decided_change_request_cannot_be_edited(project):
    change_request = ChangeRequestFactory(project=project, status="approved")
    change_request.title = "改过的"
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.update_change_request(change_request, change_request.version)
    assert "decided" in refused.value.message
    change_request.refresh_from_db()
    assert change_request.title != "改过的"


def test_a_stale_edit_of_a_change_request_is_refused(project, project_manager):
    change_request = submit(project, project_manager)
    change_control.transition(change_request, "evaluating", project_manager)
    stale = ChangeRequest.objects.get(pk=change_request.pk)
    stale.title = "迟到的修改"
    with pytest.raises(StaleVersion):
        change_control.update_change_request(stale, 1)
    change_request.refresh_from_db()
    assert change_request.title == "增加报表模块"


def test_a_change_goes_through_evaluation_and_client_approval_to_implemented(
    project, project_manager, member, zhang
):
    # given a submitted change request
    change_request = submit(project, project_manager)

    # when it is evaluated, sent to the client, approved by 张伟 and implemented
    change_control.transition(change_request, "evaluating", member, "开始评估")
    change_control.transition(change_request, "awaiting_client", project_manager)
    change_control.transition(
        change_request,
        "approved",
        project_manager,
        "客户同意",
        decided_by=zhang,
        decided_on=timezone.localdate(),
    )
    change_control.transition(change_request, "implemented", member, "已上线")

    # then the decision is recorded and every step is in the history, in order
    change_request.refresh_from_db()
    assert change_request.status == "implemented"
    assert change_request.decided_by == zhang
    assert change_request.decided_on == timezone.localdate()
    steps = list(
        change_request.transitions.values_list(
            "from_status", "to_status", "user__username", "comment"
        )
    )
    assert steps == [
        ("", "submitted", "pm", "客户会上提出"),
        ("submitted", "evaluating", "member", "开始评估"),
        ("evaluating", "awaiting_client", "pm", ""),
        ("awaiting_client", "approved", "pm", "客户同意"),
        ("approved", "implemented", "member", "已上线"),
    ]


def test_a_transition_out_of_order_is_refused_with_a_message(project, project_manager):
    # given a submitted change request
    change_request = submit(project, project_manager)

    # when it is approved straight away
    with pytest.raises(change_control.TransitionError) as refused:
        change_control.transition(change_request, "approved", project_manager)

    # then the message names from and to; nothing is saved
    error = refused.value
    assert (error.from_status, error.to_status) == ("submitted", "approved")
    assert "cannot go from “Submitted” to “Approved”" in error.message
    assert "“Under evaluation”, “Rejected”" in error.message
    change_request.refresh_from_db()
    assert (change_request.status, change_request.version) == ("submitted", 1)
    assert change_request.transitions.count() == 1


@pytest.mark.parametrize("status", ["rejected", "implemented"])
def test_a_final_change_request_does_not_move(project, project_manager, status):
    change_request = ChangeRequestFactory(project=project, status=status)
    with pytest.raises(change_control.TransitionError) as refused:
        change_control.transition(change_request, "evaluating", project_manager)
    assert "is final" in refused.value.message


def test_the_client_decision_needs_the_contact_who_decided(project, project_manager):
    # given a change awaiting the client's decision
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")

    # when it is approved without naming who decided
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.transition(change_request, "approved", project_manager)

    # then it is refused and nothing is saved
    assert refused.value.field == "decided_by"
    change_request.refresh_from_db()
    assert (change_request.status, change_request.decided_by) == (
        "awaiting_client",
        None,
    )
    assert change_request.transitions.count() == 1


@pytest.mark.parametrize("decision", ["approved", "rejected"])
def test_a_decision_by_a_contact_of_another_client_is_refused(
    project, project_manager, stranger, decision
):
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.transition(
            change_request, decision, project_manager, decided_by=stranger
        )
    assert refused.value.field == "decided_by"
    change_request.refresh_from_db()
    assert change_request.status == "awaiting_client"
    assert change_request.decided_by is None


def test_a_decision_cannot_predate_the_request(project, project_manager, zhang):
    change_request = ChangeRequestFactory(
        project=project,
        status="awaiting_client",
        requested_on=datetime.date(2026, 4, 1),
    )
    with pytest.raises(change_control.ChangeControlError) as refused:
        change_control.transition(
            change_request,
            "rejected",
            project_manager,
            decided_by=zhang,
            decided_on=datetime.date(2026, 3, 1),
        )
    assert refused.value.field == "decided_on"


def test_rejecting_during_evaluation_is_an_internal_decision(project, project_manager):
    change_request = ChangeRequestFactory(project=project, status="evaluating")
    transition = change_control.transition(
        change_request, "rejected", project_manager, "不可行"
    )
    change_request.refresh_from_db()
    assert change_request.status == "rejected"
    assert change_request.decided_by is None
    assert change_request.decided_on == timezone.localdate()
    assert (transition.from_status, transition.comment) == ("evaluating", "不可行")


def test_a_transition_based_on_an_old_version_is_stale(project, project_manager):
    change_request = ChangeRequestFactory(project=project)
    change_control.transition(change_request, "evaluating", project_manager)
    with pytest.raises(StaleVersion):
        change_control.transition(
            change_request, "rejected", project_manager, expected_version=1
        )
    change_request.refresh_from_db()
    assert change_request.status == "evaluating"


def test_the_change_log_totals_count_approved_and_implemented_changes(project):
    # given changes in every state, one of them in US dollars
    for status, days, cost, currency in [
        ("submitted", 30, "9999", "CNY"),
        ("evaluating", 30, "9999", "CNY"),
        ("awaiting_client", 30, "9999", "CNY"),
        ("rejected", 30, "9999", "CNY"),
        ("approved", 10, "12000.50", "CNY"),
        ("implemented", -3, "-2000.00", "CNY"),
        ("approved", 2, "500", "USD"),
    ]:
        ChangeRequestFactory(
            project=project,
            status=status,
            schedule_impact_days=days,
            cost_impact=Decimal(cost),
            currency=currency,
        )
    ChangeRequestFactory(status="approved", schedule_impact_days=99)

    # when the totals are computed
    totals = change_control.change_log_totals(project)

    # then only approved and implemented count; costs stay per currency
    assert totals.changes == 3
    assert totals.days == 9
    assert totals.costs == (("CNY", Decimal("10000.50")), ("USD", Decimal("500.00")))


def test_the_totals_of_a_project_without_approved_changes_are_zero(project):
    ChangeRequestFactory(project=project)
    totals = change_control.change_log_totals(project)
    assert (totals.changes, totals.days, totals.costs) == (0, 0, ())
