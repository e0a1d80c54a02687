"""Risks in a browser: register two risks, see them on the project's matrix, open a cell,
reassess one and see its score trend; then the portfolio matrix lists the cell's risks."""

import pytest
from playwright.sync_api import expect

from clientfolio.risks.models import Risk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(make_client, staff_user):
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    client = make_client("上海云帆信息科技有限公司", owner=staff_user)
    return services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )


def add_risk(page, title, probability, impact):
    page.get_by_role("link", name="Risk register").click()
    page.locator(".page-header").get_by_role("link", name="New risk").click()
    page.fill("#id_title", title)
    page.select_option("#id_probability", str(probability))
    page.select_option("#id_impact", str(impact))
    page.get_by_role("button", name="Add").click()
    expect(page.locator("h3").first).to_have_text(title)


def test_add_risks_see_the_matrix_and_reassess(
    live_server, page, signed_in, project, shots
):
    # given the project manager on the project's empty Risks tab
    page.goto(f"{live_server.url}/projects/{project.pk}/risks/")
    expect(page.locator(".cf-empty")).to_contain_text("No open risks yet")

    # when they register two risks
    add_risk(page, "核心开发人员离职", 2, 4)
    add_risk(page, "性能不达标", 4, 5)

    # then the register lists both and the matrix counts them in their cells
    page.get_by_role("link", name="Risk register").click()
    expect(page.locator("#risk-register tbody tr")).to_have_count(2)
    expect(page.locator("[data-risk-matrix][data-ready='1'] svg")).to_have_count(1)
    page.locator("#level-legend").wait_for()
    page.locator("details summary").click()
    cell = page.locator("#risk-matrix-table td[data-probability='4'][data-impact='5']")
    expect(cell).to_have_text("1")
    expect(cell).to_have_class("text-center cf-level-critical")
    page.screenshot(path=str(shots / "risks-register.png"), full_page=True)

    # when they open that cell, then the register shows only its risk
    cell.get_by_role("link").click()
    expect(page.locator("#cell-filter")).to_be_visible()
    expect(page.locator("#risk-register tbody tr")).to_have_count(1)

    # when they open the risk and reassess it lower
    page.locator("#risk-register tbody").get_by_role("link", name="性能不达标").click()
    page.select_option("#id_probability", "2")
    page.select_option("#id_impact", "3")
    page.fill("#id_note", "增加缓存后压测达标")
    page.get_by_role("button", name="Save assessment").click()

    # then the score drops and the trend shows both assessments
    expect(page.locator("#risk-score")).to_have_text("6")
    expect(page.locator("#assessments tbody tr")).to_have_count(2)
    expect(page.locator("#assessments tbody tr").first).to_contain_text(
        "增加缓存后压测达标"
    )
    expect(page.locator("[data-risk-trend][data-ready='1'] svg")).to_have_count(1)
    expect(page.locator("[data-risk-trend] svg")).to_contain_text("20")
    page.screenshot(path=str(shots / "risks-trend.png"), full_page=True)
    risk = Risk.objects.get(title="性能不达标")
    assert list(risk.assessments.values_list("score", flat=True)) == [20, 6]

    # when they open the portfolio matrix and click the cell of the other risk
    page.goto(f"{live_server.url}/risks/")
    expect(page.locator("#portfolio-total")).to_contain_text("2 risks")
    page.locator("details summary").click()
    page.locator(
        "#risk-matrix-table td[data-probability='2'][data-impact='4'] a"
    ).click()

    # then the cell's risks are listed with their project
    expect(page.locator("#cell-risk-table")).to_contain_text("核心开发人员离职")
    expect(page.locator("#cell-risk-table")).to_contain_text(project.code)
    assert not page.js_errors, page.js_errors
