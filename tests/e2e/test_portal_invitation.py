"""The client portal in a browser: staff invite a client's contact from the client page,
the contact opens the e-mailed link, chooses a password and lands on the portal's
home with their project, on a desktop and on a phone (390 × 844)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, no_sideways_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Hangzhou-West-Lake-2026"


@pytest.fixture
def client_with_project(make_client, staff_user):
    """上海云帆 with its contact 张伟 (not invited yet) and a project of theirs."""
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    client = make_client(
        "上海云帆信息科技有限公司",
        owner=staff_user,
        contacts=[("张伟", "13800138000", "zhang.wei@yunfan.example.cn")],
    )
    services.create_project(
        Project(name="客户数据平台一期", client=client, manager=staff_user),
        user=staff_user,
    )
    return client


@pytest.mark.parametrize("device", VIEWPORTS)
def test_a_contact_is_invited_sets_a_password_and_sees_the_portal(
    live_server, page, browser, signed_in, client_with_project, shots, device
):
    contact = client_with_project.contacts.get()

    # given staff on the client page, where 张伟 is not invited yet
    page.goto(f"{live_server.url}/clients/{client_with_project.pk}/")
    row = page.locator(f"#contact-{contact.pk}")
    expect(row.locator("[data-portal-state]")).to_have_attribute(
        "data-portal-state", "none"
    )

    # when they invite him in English
    row.locator("select[name=language]").select_option("en")
    row.get_by_role("button", name="Invite").click()

    # then the page says so and shows him invited
    expect(page.get_by_role("alert").first).to_contain_text("Invitation sent to 张伟")
    row = page.locator(f"#contact-{contact.pk}")
    expect(row.locator("[data-portal-state]")).to_have_attribute(
        "data-portal-state", "invited"
    )
    expect(row).to_contain_text("invited on")
    row.screenshot(path=str(shots / "portal-contact-invited.png"))
    assert page.js_errors == []

    # and one e-mail went to him, with the link to choose a password
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "zhang.wei@yunfan.example.cn" in message.to[0]
    link = re.search(r"https?://\S+/portal/welcome/[^/\s]+/", message.body).group(0)
    assert link.startswith(live_server.url)

    # when 张伟 opens it in his own browser and chooses a password
    own = browser.new_context(locale="en-US", **VIEWPORTS[device])
    phone = own.new_page()
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(link)
    expect(phone.locator("#username")).to_have_text("zhang.wei@yunfan.example.cn")
    phone.screenshot(path=str(shots / f"portal-set-password-{device}.png"))
    phone.fill("#id_new_password1", NEW_PASSWORD)
    phone.fill("#id_new_password2", NEW_PASSWORD)
    phone.get_by_role("button", name="Set my password and sign in").click()

    # then he is signed in on the portal's home, which shows his project
    expect(phone).to_have_url(f"{live_server.url}/portal/")
    expect(phone.get_by_role("alert").first).to_contain_text("Your password is set")
    expect(phone.locator(".cf-portal-contact")).to_have_text("张伟")
    expect(phone.locator("main")).to_contain_text("客户数据平台一期")
    # and nothing scrolls sideways on the phone
    no_sideways_scroll(phone)
    phone.screenshot(path=str(shots / f"portal-welcome-{device}.png"), full_page=True)

    # and the link cannot be used again
    phone.goto(link)
    expect(phone.locator("#link-error")).to_contain_text("already used")
    assert errors == []
    own.close()

    # and the client page shows him active
    page.reload()
    row = page.locator(f"#contact-{contact.pk}")
    expect(row.locator("[data-portal-state]")).to_have_attribute(
        "data-portal-state", "active"
    )
