"""A client contact's request about their data, in a browser: an administrator finds
them by a Chinese substring, downloads the file of what is held, then erases them by
typing their name, and the client page shows the contact as erased."""

import json

import pytest
from playwright.sync_api import expect

from clientfolio.clients.models import Contact
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_user(transactional_db):
    from clientfolio.core.models import User

    return User.objects.create_user(
        username="zhou.admin", password=PASSWORD, role="admin", language="en"
    )


def test_an_admin_exports_then_erases_a_contacts_data(
    live_server, page, login, admin_user, make_client, shots
):
    # given a client with a contact who asked
    client = make_client(
        "青禾软件有限公司", contacts=[("孙丽娟", "13700001111", "sun.lj@qinghe.cn")]
    )
    contact = client.contacts.get()
    login(admin_user)

    # when the admin finds her from the navigation by part of her name
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Personal data").click()
    page.get_by_placeholder("Name, e-mail, phone or portal login").fill("丽娟")
    page.keyboard.press("Enter")
    page.locator("#privacy-results").get_by_role("link", name="孙丽娟").click()

    # then the file holds her record, and the export is logged
    page.get_by_label("Request", exact=True).fill("2026-11-30 来电")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["contact"]["email"] == "sun.lj@qinghe.cn"

    # when she is erased with a wrong name first, then with hers
    page.reload()
    expect(page.locator("#privacy-log")).to_contain_text("2026-11-30 来电")
    page.locator("#id_erase-reason").fill("客户书面申请")
    page.get_by_label("Type the contact's name to confirm").fill("孙")
    page.get_by_role("button", name="Erase personal data").click()
    expect(
        page.get_by_text("This is not the contact's name; nothing was erased.")
    ).to_be_visible()
    page.get_by_label("Type the contact's name to confirm").fill("孙丽娟")
    page.get_by_role("button", name="Erase personal data").click()

    # then the page and the client page show her as erased, her details gone
    expect(page.get_by_text("The contact's personal data was erased.")).to_be_visible()
    page.screenshot(path=shots / "privacy-contact-erased.png", full_page=True)
    page.get_by_role("link", name="青禾软件有限公司").click()
    contacts = page.locator("#contacts")
    expect(contacts).to_contain_text("Erased")
    expect(contacts).not_to_contain_text("孙丽娟")
    expect(contacts).not_to_contain_text("13700001111")
    assert Contact.objects.get(pk=contact.pk).erased_at is not None
    # the refused erasure answered 400, which the console reports
    assert [e for e in page.js_errors if "status of 400" not in e] == []
