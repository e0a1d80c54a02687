"""A satisfaction survey end to end: the project manager sends it from the project's
satisfaction page; 张伟 opens the link from his e-mail on a phone (no login), answers in
his language (Chinese) with a low schedule score; the manager sees the score on the
client's page, and the follow-up visit it opened."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, no_sideways_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(make_client, staff_user):
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[("张伟", "13800138000", "zhang.wei@yunfan.example.cn")],
    )
    return services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )


def test_a_contact_answers_from_the_email_link_and_the_score_shows_on_the_client(
    live_server, browser, page, signed_in, project, mailoutbox, shots
):
    # the manager sends a survey from the project's satisfaction page
    page.goto(f"{live_server.url}/projects/{project.pk}/surveys/")
    page.fill("#survey-send-form [name=title]", "一期满意度调查")
    page.click("#survey-send-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("1 contact")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/surveys/answer/\S+/", mailoutbox[0].body).group(0)

    # 张伟 opens it on his phone, without logging in, and answers in Chinese
    phone = browser.new_context(**VIEWPORTS["phone"])
    answer = phone.new_page()
    answer.goto(live_server.url + urlsplit(link).path)
    expect(answer.locator("h1")).to_have_text("一期满意度调查")
    no_sideways_scroll(answer)
    for name, score in [
        ("quality", 5),
        ("schedule", 2),
        ("communication", 4),
        ("responsiveness", 4),
        ("value", 4),
    ]:
        answer.click(f"#q-{name} label:text-is('{score}')")
    answer.click("#q-nps label:text-is('8')")
    answer.fill("textarea[name=comment]", "第二个里程碑延期了")
    answer.screenshot(path=shots / "survey-answer-phone.png", full_page=True)
    answer.click("#survey-submit")
    expect(answer.locator("#survey-answered")).to_contain_text("您的答复已记录")
    phone.close()

    # the manager sees the score on the client's page and the follow-up visit
    page.goto(f"{live_server.url}/clients/{project.client_id}/")
    expect(page.locator("#client-csat")).to_have_text("3.80")
    expect(page.locator("#client-satisfaction")).to_contain_text("第二个里程碑延期了")
    # the follow-up is worded in the account manager's language (English here)
    expect(page.locator("body")).to_contain_text("Survey follow-up: 张伟")
    page.screenshot(path=shots / "survey-client-panel.png", full_page=True)
    page.goto(f"{live_server.url}/projects/{project.pk}/surveys/")
    expect(page.locator("[data-survey-trend]")).to_have_attribute("data-ready", "1")
    page.screenshot(path=shots / "survey-project.png", full_page=True)
    assert page.js_errors == []
