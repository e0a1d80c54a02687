"""The client library in a browser: create, search, edit from two tabs, archive."""

import re

import pytest
from playwright.sync_api import expect

from clientfolio.clients.models import Client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "上海云帆信息科技有限公司"


def test_create_client_with_two_contacts(live_server, page, signed_in, shots):
    page.goto(live_server.url + "/clients/new/")
    expect(page.locator("h1.page-title")).to_have_text("New client")
    page.fill("#id_name", NAME)
    page.select_option("#id_status", "active")
    page.fill("[name=contacts-0-name]", "张伟")
    page.fill("[name=contacts-0-phone]", "138 0013 8000")
    page.fill("[name=contacts-0-email]", "Zhang.Wei@Yunfan.example.cn")
    page.fill("[name=contacts-1-name]", "李娜")
    page.fill("[name=contacts-1-phone]", "+86 21-6123-4567")
    page.fill("[name=contacts-1-email]", "li.na@yunfan.example.cn")
    page.locator("#client-form").get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/clients/\d+/$"))
    client = Client.objects.get(name=NAME)
    assert page.url.endswith(f"/clients/{client.pk}/")
    expect(page.locator("h1.page-title")).to_contain_text(NAME)
    expect(page.get_by_role("alert").first).to_contain_text("created")
    contacts = page.locator("#contacts")
    expect(contacts.locator("tbody tr")).to_have_count(2)
    expect(contacts).to_contain_text("张伟")
    expect(contacts).to_contain_text("李娜")
    # E-mail addresses are stored in lower case; the first contact became primary.
    expect(contacts).to_contain_text("zhang.wei@yunfan.example.cn")
    expect(contacts.locator("tr", has_text="张伟")).to_contain_text("Primary")
    assert client.status == "active"
    assert client.owner == signed_in
    assert sorted(client.contacts.values_list("name", flat=True)) == ["张伟", "李娜"]
    page.screenshot(path=str(shots / "client-detail.png"), full_page=True)
    assert page.js_errors == []


def test_search_by_chinese_substring(live_server, page, signed_in, make_client, shots):
    make_client(NAME, owner=signed_in, contacts=[("张伟", "13800138000", "")])
    make_client("北京星河贸易有限公司", owner=signed_in, status="prospect")
    make_client("深圳蓝海电子有限公司", owner=signed_in, status="dormant")

    page.goto(live_server.url + "/clients/")
    table = page.locator("#client-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    page.screenshot(path=str(shots / "client-list.png"), full_page=True)

    box = page.locator("form.cf-filters input[name=q]")
    with page.expect_request(re.compile(r"/clients/\?.*q=")) as request_info:
        box.click()
        box.press_sequentially("云帆", delay=50)
    request = request_info.value
    assert request.headers.get("hx-request") == "true"
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text(NAME)
    expect(table).not_to_contain_text("北京星河")
    # hx-push-url: the address bar carries the search, so reload and back work.
    expect(page).to_have_url(re.compile(r"/clients/\?(.*&)?q=%E4%BA%91%E5%B8%86"))
    # The full page was not reloaded: the filter box still has the typed text.
    expect(box).to_have_value("云帆")

    page.reload()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(box).to_have_value("云帆")
    page.screenshot(path=str(shots / "client-list-search.png"), full_page=True)

    # Narrow further without a page load, then open the client and come Back: the
    # browser must show the full list page again, not the cached htmx partial.
    box.press("End")
    box.press_sequentially("信息", delay=50)
    expect(page).to_have_url(re.compile(r"q=%E4%BA%91%E5%B8%86%E4%BF%A1%E6%81%AF"))
    expect(table.locator("tbody tr")).to_have_count(1)
    table.get_by_role("link", name=NAME).click()
    expect(page.locator("h1.page-title")).to_contain_text(NAME)
    page.go_back()
    expect(page.locator("h1.page-title")).to_have_text("Clients")
    expect(page.locator(".cf-topbar")).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(box).to_have_value("云帆信息")

    # htmx asks for the whole page when its history cache misses.
    restore = page.request.get(
        page.url,
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text()
    assert page.js_errors == []


def test_edit_from_two_tabs_shows_conflict(
    live_server, context, signed_in, make_client
):
    client = make_client(NAME, owner=signed_in)
    edit_url = f"{live_server.url}/clients/{client.pk}/edit/"
    tab1 = context.new_page()
    tab2 = context.new_page()
    tab1.goto(edit_url)
    tab2.goto(edit_url)

    tab1.fill("#id_address", "上海市浦东新区张江路 1 号")
    tab1.get_by_role("button", name="Save").click()
    expect(tab1).to_have_url(f"{live_server.url}/clients/{client.pk}/")
    expect(tab1.get_by_role("alert").first).to_contain_text("Saved.")

    tab2.fill("#id_address", "上海市徐汇区漕溪北路 2 号")
    with tab2.expect_response(
        lambda r: r.request.method == "POST" and r.url == edit_url
    ) as response_info:
        tab2.get_by_role("button", name="Save").click()
    assert response_info.value.status == 409

    conflict = tab2.locator("#conflict")
    expect(conflict).to_be_visible()
    row = conflict.locator("tbody tr", has_text="上海市浦东新区张江路 1 号")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("上海市徐汇区漕溪北路 2 号")
    # Tab 2's input is kept in the form, now based on the saved version.
    expect(tab2.locator("#id_address")).to_have_value("上海市徐汇区漕溪北路 2 号")
    client.refresh_from_db()
    assert client.address == "上海市浦东新区张江路 1 号"
    assert tab2.locator("[name=version]").input_value() == str(client.version)

    # Saving again is an explicit choice and now succeeds.
    tab2.get_by_role("button", name="Save").click()
    expect(tab2).to_have_url(f"{live_server.url}/clients/{client.pk}/")
    client.refresh_from_db()
    assert client.address == "上海市徐汇区漕溪北路 2 号"


def test_archive_and_restore(live_server, page, signed_in, make_client):
    client = make_client(NAME, owner=signed_in)
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("alert").first).to_contain_text("archived")
    assert len(dialogs) == 1
    assert "Archive this client?" in dialogs[0]
    expect(page.locator("h1.page-title .badge", has_text="Archived")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    client.refresh_from_db()
    assert client.archived_at is not None

    # Gone from the list, present among the archived ones.
    page.goto(live_server.url + "/clients/")
    expect(page.locator("#client-table")).not_to_contain_text(NAME)
    page.goto(live_server.url + "/clients/?archived=true")
    expect(page.locator("#client-table")).to_contain_text(NAME)

    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_role("button", name="Restore").click()
    expect(page.get_by_role("alert").first).to_contain_text("restored")
    expect(page.get_by_role("button", name="Archive")).to_be_visible()
    client.refresh_from_db()
    assert client.archived_at is None
    assert page.js_errors == []


def test_archive_cancelled_in_dialog_keeps_client(
    live_server, page, signed_in, make_client
):
    client = make_client(NAME, owner=signed_in)
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_role("button", name="Archive").click()
    page.wait_for_timeout(300)
    expect(page).to_have_url(f"{live_server.url}/clients/{client.pk}/")
    client.refresh_from_db()
    assert client.archived_at is None
