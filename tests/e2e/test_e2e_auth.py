"""Signing in through the login form and signing out through the user menu."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


PASSWORD = "pw-12345-x"  # the staff_user fixture's


def test_log_in_and_out(live_server, page, staff_user):
    page.goto(live_server.url + "/clients/")
    # Not signed in: the login page, remembering where we wanted to go.
    expect(page).to_have_url(re.compile(r"/login/\?next=/clients/$"))

    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "li.na")
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong")

    page.fill("#id_username", "li.na")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("h1.page-title")).to_have_text("My work")
    expect(page.locator(".cf-topbar")).to_contain_text("li.na")

    # The user menu is a Bootstrap dropdown: this also proves tabler.min.js runs.
    page.get_by_label("User menu").click()
    logout = page.get_by_role("button", name="Log out")
    expect(logout).to_be_visible()
    logout.click()
    expect(page).to_have_url(re.compile(r"/login/$"))

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    assert page.js_errors == []


def test_a_user_saves_their_profile(live_server, page, signed_in):
    # given a signed-in user on their account page
    page.goto(live_server.url + "/account/")

    # when they change their name and phone and save
    page.fill("#id_first_name", "Na")
    page.fill("#id_last_name", "Li")
    page.fill("#id_phone", "13900000000")
    page.get_by_role("button", name="Save").click()

    # then the page says so and the form shows the stored values
    expect(page).to_have_url(live_server.url + "/account/")
    expect(page.get_by_role("alert")).to_contain_text("Saved.")
    expect(page.locator("#id_phone")).to_have_value("13900000000")
    signed_in.refresh_from_db()
    assert (signed_in.first_name, signed_in.last_name) == ("Na", "Li")
    assert page.js_errors == []


def test_a_user_creates_an_api_token_and_copies_its_key_once(
    live_server, browser, page, signed_in
):
    # given a signed-in user on their account page, with no token yet
    page.goto(live_server.url + "/account/")
    expect(page.locator("#api-tokens")).to_contain_text("You have no API tokens.")

    # when they create a token for a week
    page.fill("#id_token-name", "nightly sync")
    page.fill("#id_token-days", "7")
    page.get_by_role("button", name="Create token").click()

    # then the key is shown once, works on the API, and the token is listed
    key = page.locator("#new-token-key").inner_text().strip()
    assert len(key) == 40
    expect(page.locator("#api-tokens table")).to_contain_text("nightly sync")
    outside = browser.new_context()  # no session: only the key signs in
    api = outside.request.get(
        live_server.url + "/api/v1/auth/tokens/",
        headers={"Authorization": f"Token {key}"},
    )
    assert api.status == 200
    assert [t["name"] for t in api.json()["results"]] == ["nightly sync"]
    outside.close()
    page.goto(live_server.url + "/account/")
    expect(page.locator("#api-tokens table")).to_contain_text(key[:8])
    expect(page.locator("#new-token-key")).to_have_count(0)
    assert page.js_errors == []
