"""Projects and their teams: services, pages and API of the project folder's first section."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clientfolio.core.locking import StaleVersion
from clientfolio.projects import change_control, services
from clientfolio.projects.models import Membership, Project, ProjectEvent
from tests.clients.factories import ClientFactory
from tests.core.factories import UserFactory
from tests.projects.factories import (
    ChangeRequestFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRequirementFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("projects:project_list")
CREATE = reverse("projects:project_create")


def folder(project, name="project_detail", *args):
    return reverse(f"projects:{name}", args=[project.pk, *args])


def body(response):
    return response.content.decode()


def edit_data(project, **overrides):
    data = {
        "code": project.code,
        "name": project.name,
        "manager": project.manager_id,
        "priority": project.priority,
        "status": project.status,
        "phase": project.phase,
        "version": project.version,
    }
    return {**data, **overrides}


# --- services ------------------------------------------------------------------------------


def test_a_new_project_gets_the_next_code_of_its_start_year(client_record, staff):
    # given a project already started in 2026
    ProjectFactory(starts_on=datetime.date(2026, 1, 5))

    # when two more are created, one starting in 2026 and one in 2027
    second = ProjectFactory(client=client_record, starts_on=datetime.date(2026, 2, 1))
    next_year = ProjectFactory(starts_on=datetime.date(2027, 1, 4))

    # then codes are numbered per year
    assert second.code == "P2026-002"
    assert next_year.code == "P2027-001"


def test_the_manager_joins_the_team_and_the_start_is_recorded(client_record, staff):
    # when staff create a project they manage
    project = services.create_project(
        Project(name="客户数据平台一期", client=client_record, manager=staff),
        user=staff,
        tags=["重点", " 重点 ", ""],
    )

    # then they are its manager member
    assert project.memberships.get().user == staff
    assert project.memberships.get().role == "manager"
    # and the starting status and phase are recorded with who
    events = set(project.events.values_list("kind", "old_value", "new_value", "user"))
    assert events == {
        ("status", "", "proposed", staff.pk),
        ("phase", "", "initiation", staff.pk),
    }
    assert [t.name for t in project.tags.all()] == ["重点"]


def test_a_typed_code_is_kept(client_record, staff):
    project = ProjectFactory(code="YF-CDP-01", client=client_record)
    assert project.code == "YF-CDP-01"


def test_a_status_and_phase_change_is_recorded_with_who_when_and_comment(
    project, member
):
    # given an initiating, proposed project
    before = timezone.now()

    # when it goes active and into planning with a comment
    project.status = "active"
    project.phase = "planning"
    services.update_project(project, 1, user=member, comment="立项会通过")

    # then both changes are recorded with who, when and the comment
    events = project.events.filter(at__gte=before).order_by("kind")
    assert [(e.kind, e.old_value, e.new_value) for e in events] == [
        ("phase", "initiation", "planning"),
        ("status", "proposed", "active"),
    ]
    assert {(e.user, e.comment) for e in events} == {(member, "立项会通过")}
    assert project.version == 2


def test_an_edit_without_status_or_phase_change_records_no_event(project, member):
    count = project.events.count()
    project.goals = "新的目标"
    services.update_project(project, 1, user=member)
    assert project.events.count() == count


def test_completing_a_project_sets_its_actual_finish(project, member):
    project.status = "completed"
    services.update_project(project, 1, user=member)
    assert project.actual_finish_on == timezone.localdate()


def test_a_stale_project_edit_is_refused_and_changes_nothing(project, member):
    # given someone saved the project after I loaded it
    theirs = Project.objects.get(pk=project.pk)
    theirs.name = "别人的名字"
    services.update_project(theirs, 1, user=member)

    # when I save based on version 1, then it is refused and theirs stays
    project.name = "我的名字"
    project.status = "active"
    with pytest.raises(StaleVersion):
        services.update_project(project, 1, user=member)
    stored = Project.objects.get(pk=project.pk)
    assert (stored.name, stored.status, stored.version) == ("别人的名字", "proposed", 2)
    assert not project.events.filter(new_value="active").exists()


def test_a_new_manager_joins_as_manager_and_the_old_one_stays_as_member(
    project, project_manager, member
):
    project.manager = member
    services.update_project(project, 1, user=project_manager)
    roles = dict(project.memberships.values_list("user__username", "role"))
    assert (roles["member"], roles["pm"]) == ("manager", "member")


def test_a_person_is_added_to_the_team_once(project, member):
    with pytest.raises(services.TeamError):
        services.add_member(Membership(project=project, user=member, role="viewer"))
    assert project.memberships.filter(user=member).count() == 1


def test_the_project_manager_cannot_be_demoted_or_removed(project, project_manager):
    membership = project.memberships.get(user=project_manager)
    membership.role = "member"
    with pytest.raises(services.TeamError):
        services.update_member(membership, 1)
    with pytest.raises(services.TeamError):
        services.remove_member(Membership.objects.get(pk=membership.pk))
    assert Membership.objects.get(pk=membership.pk).role == "manager"


# --- pages: list, create, edit ----------------------------------------------------------


def test_the_project_list_shows_only_my_projects(as_persona, project):
    # given a project I am not on
    ProjectFactory(name="别人的项目")

    # when the member and an administrator open the list
    mine = as_persona("member").get(LIST)
    everything = as_persona("admin").get(LIST)

    # then the member sees theirs only, the administrator all
    assert [p.name for p in mine.context["projects"]] == ["客户数据平台一期"]
    assert "别人的项目" not in body(mine)
    assert {p.name for p in everything.context["projects"]} == {
        "客户数据平台一期",
        "别人的项目",
    }


def test_staff_on_no_project_see_an_empty_list(staff_browser, project):
    response = staff_browser.get(LIST)
    assert response.status_code == 200
    assert list(response.context["projects"]) == []
    assert "客户数据平台一期" not in body(response)


def test_the_project_list_filters_by_status_phase_and_search(as_persona, project):
    project.status = "active"
    services.update_project(project, 1, user=project.manager)
    other = ProjectFactory(name="手机银行体验优化", manager=project.manager)
    browser = as_persona("project_manager")
    assert [
        p.pk for p in browser.get(LIST, {"status": "active"}).context["projects"]
    ] == [project.pk]
    assert [p.pk for p in browser.get(LIST, {"q": "银行"}).context["projects"]] == [
        other.pk
    ]
    assert len(browser.get(LIST, {"phase": "initiation"}).context["projects"]) == 2


def test_a_project_is_created_from_the_page(staff_browser, staff, client_record):
    # when staff create a project for 上海云帆
    response = staff_browser.post(
        CREATE,
        {
            "name": "客户数据平台二期",
            "client": client_record.pk,
            "manager": staff.pk,
            "priority": "high",
            "status": "proposed",
            "phase": "initiation",
            "starts_on": "2026-03-02",
            "planned_finish_on": "2026-09-30",
            "tags_text": "重点，华东",
        },
    )

    # then it gets a generated code and opens its folder; staff manage it
    project = Project.objects.get(name="客户数据平台二期")
    assert response.status_code == 302
    assert response["Location"] == folder(project)
    assert project.code == "P2026-001"
    assert project.memberships.get().user == staff
    assert sorted(t.name for t in project.tags.all()) == ["华东", "重点"]


def test_the_create_form_is_prefilled_with_the_client(staff_browser, client_record):
    response = staff_browser.get(CREATE, {"client": client_record.pk})
    assert response.context["form"].initial["client"] == client_record.pk


def test_an_end_before_the_start_is_refused_inline(staff_browser, staff, client_record):
    response = staff_browser.post(
        CREATE,
        {
            "name": "倒着的项目",
            "client": client_record.pk,
            "manager": staff.pk,
            "priority": "medium",
            "status": "proposed",
            "phase": "initiation",
            "starts_on": "2026-09-30",
            "planned_finish_on": "2026-03-02",
        },
    )
    assert response.status_code == 400
    assert "The planned finish is before the start date." in body(response)
    assert not Project.objects.filter(name="倒着的项目").exists()


def test_a_status_change_from_the_edit_page_is_recorded(as_persona, project):
    response = as_persona("project_manager").post(
        folder(project, "project_edit"),
        edit_data(
            project, status="active", phase="planning", change_comment="客户签约"
        ),
    )
    assert response.status_code == 302
    event = project.events.get(kind="status", new_value="active")
    assert (event.user.username, event.comment) == ("pm", "客户签约")
    project.refresh_from_db()
    assert (project.status, project.phase, project.version) == (
        "active",
        "planning",
        2,
    )


def test_a_stale_edit_is_409_with_the_conflict_panel(as_persona, project):
    # given someone saved the project after I loaded it
    theirs = Project.objects.get(pk=project.pk)
    theirs.name = "别人的名字"
    services.update_project(theirs, 1, user=project.manager)

    # when I save mine based on version 1
    response = as_persona("project_manager").post(
        folder(project, "project_edit"), edit_data(project, name="我的名字", version=1)
    )

    # then 409 with both versions, and theirs is kept
    assert response.status_code == 409
    html = body(response)
    assert 'id="conflict"' in html
    assert "别人的名字" in html
    assert "我的名字" in html
    project.refresh_from_db()
    assert project.name == "别人的名字"


def test_an_edit_with_the_end_before_the_start_is_refused(as_persona, project):
    response = as_persona("project_manager").post(
        folder(project, "project_edit"),
        edit_data(project, starts_on="2026-05-01", actual_finish_on="2026-04-01"),
    )
    assert response.status_code == 400
    assert "The actual finish is before the start date." in body(response)
    project.refresh_from_db()
    assert project.version == 1


def test_a_member_cannot_edit_the_project(as_persona, project):
    response = as_persona("member").post(
        folder(project, "project_edit"), edit_data(project, name="成员改的")
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "客户数据平台一期"


# --- folder overview and client page -----------------------------------------------------


def test_the_folder_shows_key_facts_team_requirements_and_pending_changes(
    as_persona, project
):
    ProjectRequirementFactory(project=project, title="单点登录")
    ChangeRequestFactory(project=project, title="增加报表模块")
    response = as_persona("viewer").get(folder(project))
    assert response.status_code == 200
    html = body(response)
    for text in (
        "客户数据平台一期",
        project.code,
        "上海云帆信息科技有限公司",
        "增加报表模块",
    ):
        assert text in html
    assert {m.user.username for m in response.context["team"]} == {
        "pm",
        "member",
        "viewer",
    }
    assert response.context["requirement_total"] == 1
    labels = [tab["label"] for tab in response.context["tabs"]]
    assert "Requirements" in labels
    assert "Changes" in labels


def test_staff_outside_the_project_get_404_on_the_folder(staff_browser, project):
    for name in ("project_detail", "team", "requirement_list", "change_list"):
        response = staff_browser.get(folder(project, name))
        assert response.status_code == 404
        assert "客户数据平台一期" not in body(response)


def test_the_client_page_lists_its_projects(as_persona, project):
    ProjectFactory(name="别的客户的项目")
    response = as_persona("member").get(
        reverse("clients:client_detail", args=[project.client.pk])
    )
    assert response.status_code == 200
    assert [p.name for p in response.context["projects"]] == ["客户数据平台一期"]
    assert folder(project) in body(response)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_project_list_takes_the_same_queries_for_1_and_20_projects(
    admin_browser, django_assert_num_queries, rows
):
    client = ClientFactory()
    for _ in range(rows):
        project = ProjectFactory(client=client)
        MembershipFactory(project=project)
    # 4 for the page, 7 for the projects' health at a glance (reports.dashboards)
    with django_assert_num_queries(11):
        response = admin_browser.get(LIST)
    assert len(response.context["projects"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_folder_overview_takes_the_same_queries_for_1_and_20_records(
    as_persona, project, member, django_assert_num_queries, rows
):
    # given the project with 1 or 20 of each: members, requirements, changes, events
    for n in range(rows):
        MembershipFactory(project=project, user=UserFactory(), role="member")
        ProjectRequirementFactory(project=project)
        change = ChangeRequestFactory(project=project)
        if n % 2:
            change_control.transition(change, "evaluating", member)
        ProjectEvent.objects.create(
            project=project, kind="phase", new_value="planning", user=member
        )
    browser = as_persona("project_manager")
    # 14 for the folder itself (2 of them the tab counts), one each for overdue risk
    # reviews, lessons from earlier projects and the satisfaction card, 7 for the
    # health card (the finance alerts load after the page)
    with django_assert_num_queries(24):
        response = browser.get(folder(project))
    assert response.status_code == 200
    # and the next request reads the user's project roles, the tab counts and the
    # first open action items from the cache (core.caching)
    with django_assert_num_queries(20):
        response = browser.get(folder(project))
    assert response.status_code == 200


# --- team pages ------------------------------------------------------------------------------


def test_the_team_page_lists_members_with_contact_details(as_persona, project, member):
    member.email = "member@yunfan.example.cn"
    member.phone = "13800138000"
    member.save()
    response = as_persona("viewer").get(folder(project, "team"))
    html = body(response)
    assert "member@yunfan.example.cn" in html
    assert "13800138000" in html
    assert folder(project, "team_add") not in html  # viewers do not manage


def test_the_manager_adds_a_member_with_responsibilities(as_persona, project):
    newcomer = UserFactory(username="newcomer")
    response = as_persona("project_manager").post(
        folder(project, "team_add"),
        {"user": newcomer.pk, "role": "member", "responsibilities": "接口开发"},
    )
    assert response.status_code == 302
    membership = project.memberships.get(user=newcomer)
    assert (membership.role, membership.responsibilities) == ("member", "接口开发")


def test_the_add_form_does_not_offer_people_already_on_the_team(as_persona, project):
    response = as_persona("project_manager").get(folder(project, "team_add"))
    offered = {u.username for u in response.context["form"].fields["user"].queryset}
    assert not offered & {"pm", "member", "viewer"}


def test_a_members_role_is_edited(as_persona, project, member):
    membership = project.memberships.get(user=member)
    response = as_persona("project_manager").post(
        folder(project, "team_edit", membership.pk),
        {"role": "viewer", "responsibilities": "只看", "version": 1},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.version) == ("viewer", 2)


def test_demoting_the_project_manager_is_refused_inline(
    as_persona, project, project_manager
):
    membership = project.memberships.get(user=project_manager)
    response = as_persona("project_manager").post(
        folder(project, "team_edit", membership.pk),
        {"role": "member", "version": 1},
    )
    assert response.status_code == 400
    assert "The project manager keeps the manager role" in body(response)
    membership.refresh_from_db()
    assert membership.role == "manager"


def test_a_member_is_removed(as_persona, project, member):
    membership = project.memberships.get(user=member)
    response = as_persona("project_manager").post(
        folder(project, "team_remove", membership.pk)
    )
    assert response.status_code == 302
    assert not project.memberships.filter(user=member).exists()


def test_removing_the_project_manager_is_refused(as_persona, project, project_manager):
    membership = project.memberships.get(user=project_manager)
    browser = as_persona("project_manager")
    response = browser.post(folder(project, "team_remove", membership.pk), follow=True)
    assert "The project manager cannot be removed from the team." in body(response)
    assert project.memberships.filter(user=project_manager).exists()


def test_a_member_cannot_change_the_team(as_persona, project, viewer):
    membership = project.memberships.get(user=viewer)
    response = as_persona("member").post(folder(project, "team_remove", membership.pk))
    assert response.status_code == 403
    assert project.memberships.filter(user=viewer).exists()


# --- API ------------------------------------------------------------------------------------


def test_a_project_is_created_through_the_api(staff_api, staff, client_record):
    response = staff_api.post(
        "/api/v1/projects/",
        {
            "name": "接口创建的项目",
            "client": client_record.pk,
            "manager": staff.pk,
            "starts_on": "2026-03-02",
            "tags": ["重点"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body_ = response.json()
    assert (body_["code"], body_["version"], body_["tags"]) == (
        "P2026-001",
        1,
        ["重点"],
    )
    assert Membership.objects.get(project_id=body_["id"]).user == staff


def test_an_api_project_with_the_end_before_the_start_is_400(
    staff_api, staff, client_record
):
    response = staff_api.post(
        "/api/v1/projects/",
        {
            "name": "倒着的项目",
            "client": client_record.pk,
            "manager": staff.pk,
            "starts_on": "2026-09-30",
            "planned_finish_on": "2026-03-02",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "planned_finish_on" in response.json()
    assert not Project.objects.exists()


def test_an_api_project_update_is_versioned(api_as, project):
    browser = api_as("project_manager")
    url = f"/api/v1/projects/{project.pk}/"
    response = browser.patch(url, {"status": "active", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert project.events.filter(kind="status", new_value="active").exists()
    stale = browser.patch(url, {"name": "迟到的", "version": 1}, format="json")
    assert stale.status_code == 409
    project.refresh_from_db()
    assert project.name == "客户数据平台一期"


def test_an_api_project_cannot_move_to_another_client(api_as, project):
    other = ClientFactory()
    response = api_as("project_manager").patch(
        f"/api/v1/projects/{project.pk}/",
        {"client": other.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "client" in response.json()


def test_the_api_lists_only_my_projects(api_as, project):
    ProjectFactory(name="别人的项目")
    names = [
        p["name"] for p in api_as("member").get("/api/v1/projects/").json()["results"]
    ]
    assert names == ["客户数据平台一期"]


def test_a_member_cannot_add_to_the_team_through_the_api(api_as, project):
    newcomer = UserFactory()
    response = api_as("member").post(
        "/api/v1/memberships/",
        {"project": project.pk, "user": newcomer.pk, "role": "member"},
        format="json",
    )
    # the member sees the project but their role does not allow it
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Your project role does not allow this change."
    }
    assert not project.memberships.filter(user=newcomer).exists()


def test_the_project_manager_cannot_be_removed_through_the_api(
    api_as, project, project_manager
):
    membership = project.memberships.get(user=project_manager)
    response = api_as("project_manager").delete(f"/api/v1/memberships/{membership.pk}/")
    assert response.status_code == 400
    assert Membership.objects.filter(pk=membership.pk).exists()
