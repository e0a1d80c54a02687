"""A project from a client's page: start it, put two people on the team, and check that a
staff member outside the project cannot find it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def colleagues(transactional_db):
    from clientfolio.core.models import User

    return [
        User.objects.create_user(
            username=username,
            password="pw-colleague-2026",
            role="staff",
            first_name=first,
            last_name=last,
            email=f"{username}@example.com",
        )
        for username, first, last in [
            ("zhang.wei", "伟", "张"),
            ("chen.jie", "杰", "陈"),
        ]
    ]


def test_start_a_project_for_a_client_and_build_its_team(
    live_server, page, signed_in, make_client, colleagues, shots
):
    client = make_client("上海云帆信息科技有限公司", owner=signed_in)

    # From the client's page, start a project for it.
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.locator("#projects").get_by_role("link", name="New project").click()
    expect(page.locator("#id_client")).to_have_value(str(client.pk))
    page.fill("#id_name", "客户数据平台一期")
    page.fill("#id_goals", "整合 CRM 与 ERP 数据")
    page.fill("#id_starts_on", "2026-12-01")
    page.fill("#id_planned_finish_on", "2027-06-30")
    page.locator(".page-body form[method=post]").get_by_role(
        "button", name="Save"
    ).click()

    # The folder opens on its overview, with a generated code and the manager on the team.
    expect(page).to_have_url(re.compile(r"/projects/\d+/$"))
    expect(page.locator(".page-pretitle")).to_contain_text("P2026-001")
    expect(page.locator(".page-title")).to_contain_text("客户数据平台一期")
    project_url = page.url

    # Add two colleagues with roles and responsibilities.
    page.locator(".nav-tabs").get_by_role("link", name="Team").click()
    for colleague, role, duty in [
        (colleagues[0], "member", "接口开发"),
        (colleagues[1], "viewer", "参与评审"),
    ]:
        page.get_by_role("link", name="Add member").click()
        page.select_option("#id_user", str(colleague.pk))
        page.select_option("#id_role", role)
        page.fill("#id_responsibilities", duty)
        page.locator(".page-body form[method=post]").get_by_role(
            "button", name="Save"
        ).click()
        expect(page.get_by_role("alert").first).to_contain_text("joined the team")
    team = page.locator("table")
    expect(team).to_contain_text("张伟")
    expect(team).to_contain_text("接口开发")
    expect(team).to_contain_text("陈杰")
    expect(team).to_contain_text("zhang.wei@example.com")
    page.screenshot(path=str(shots / "project-team.png"), full_page=True)

    # The client's page lists the project.
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    expect(page.locator("#projects")).to_contain_text("客户数据平台一期")
    assert page.js_errors == []

    # A staff member who is not on the team gets "not found", and sees no project name.
    from django.test import Client as DjangoClient

    from clientfolio.core.models import User

    outsider = User.objects.create_user(username="outsider", password="x", role="staff")
    http = DjangoClient()
    http.force_login(outsider)
    response = http.get(project_url.replace(live_server.url, ""))
    assert response.status_code == 404
    assert "客户数据平台一期" not in response.content.decode()
    assert "客户数据平台一期" not in http.get("/projects/").content.decode()
