"""The pages of who the client is: the invitation's welcome page, sign-in links and the
contact's account."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client as BrowserClient
from django.urls import reverse

from clientfolio.portal import services
from clientfolio.portal.models import Invitation
from tests.core.factories import PASSWORD

NEW_PASSWORD = "Hangzhou-West-Lake-2026"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def browser():
    return BrowserClient(headers={"accept-language": "en"})


@pytest.fixture
def li_na(client_record):
    return client_record.contacts.get(name="李娜")


@pytest.fixture
def invitation(li_na, staff):
    return services.invite_contact(li_na, by=staff, base_url="http://testserver")


def welcome_url(token):
    return reverse("portal:welcome", kwargs={"token": token})


# --- the welcome page -----------------------------------------------------------------


def test_the_welcome_page_sets_the_password_and_lands_on_the_portal(invitation, li_na):
    http = browser()

    # when 李娜 opens her link without being signed in
    page = http.get(welcome_url(invitation.token))

    # then she sees her user name and the password form
    assert page.status_code == 200
    assert "li.na@yunfan.cn" in page.content.decode()

    # when she chooses a password
    response = http.post(
        welcome_url(invitation.token),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # then she is signed in on the portal's home
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    home = http.get(reverse("portal:home"))
    assert home.status_code == 200
    assert "李娜" in home.content.decode()


def test_opening_the_link_does_not_use_it_up(invitation):
    browser().get(welcome_url(invitation.token))
    browser().get(welcome_url(invitation.token))

    assert Invitation.objects.get().used_at is None


def test_passwords_that_differ_are_shown_inline_and_nothing_is_saved(invitation, li_na):
    response = browser().post(
        welcome_url(invitation.token),
        {"new_password1": NEW_PASSWORD, "new_password2": "something-else-2026"},
    )

    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    li_na.refresh_from_db()
    assert not li_na.portal_user.has_usable_password()
    assert Invitation.objects.get().used_at is None


def test_a_too_common_password_is_refused_inline(invitation):
    response = browser().post(
        welcome_url(invitation.token),
        {"new_password1": "password123", "new_password2": "password123"},
    )

    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_a_used_link_says_so_and_offers_to_sign_in(invitation):
    http = browser()
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    http.post(welcome_url(invitation.token), data)

    response = browser().get(welcome_url(invitation.token))

    assert response.status_code == 410
    body = response.content.decode()
    assert "already used" in body
    assert reverse("portal:sign_in") in body


def test_a_made_up_link_is_400(db):
    response = browser().get(welcome_url("not-a-token"))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_the_welcome_page_speaks_chinese_to_a_chinese_browser(invitation):
    http = BrowserClient(headers={"accept-language": "zh-hans"})

    body = http.get(welcome_url(invitation.token)).content.decode()

    assert "设置密码并登录" in body


# --- sign-in links --------------------------------------------------------------------


@pytest.fixture
def zhang_wei(portal_contact):
    """张伟, who has a portal login with a password."""
    return portal_contact


def test_asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(
    zhang_wei, django_capture_on_commit_callbacks
):
    url = reverse("portal:sign_in")

    with django_capture_on_commit_callbacks(execute=True):
        known = browser().post(url, {"email": "zhang.wei@yunfan.cn"}, follow=True)
        unknown = browser().post(url, {"email": "nobody@example.com"}, follow=True)

    def message(response):
        return [str(m) for m in response.context["messages"]][0].split(" belongs")[1]

    assert known.status_code == unknown.status_code == 200
    assert message(known) == message(unknown)
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver/portal/sign-in/[^/\s]+/", mail.outbox[0].body)

    # and the link asks before it signs in, then signs in once
    http = browser()
    assert http.get(link.group(0)).status_code == 200
    response = http.post(link.group(0))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert http.get(reverse("portal:home")).status_code == 200
    assert browser().post(link.group(0)).status_code == 410


def test_a_bad_address_is_shown_inline(db):
    response = browser().post(reverse("portal:sign_in"), {"email": "not an address"})

    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()


def test_too_many_requests_from_one_address_are_refused(db, settings):
    settings.PORTAL_SIGN_IN_ADDRESS_LIMIT = 2
    url = reverse("portal:sign_in")
    for _i in range(2):
        assert browser().post(url, {"email": "a@example.com"}).status_code == 302

    response = browser().post(url, {"email": "a@example.com"})

    assert response.status_code == 429
    assert "Wait 15 minutes" in response.content.decode()


# --- the account ----------------------------------------------------------------------


def test_the_contact_chooses_the_portals_language(portal, portal_user):
    response = portal.post(reverse("portal:account"), {"language": "zh-hans"})

    assert response.status_code == 302
    portal_user.refresh_from_db()
    assert portal_user.language == "zh-hans"
    assert "我的账号" in portal.get(reverse("portal:account")).content.decode()

    # and "browser" forgets the choice
    portal.post(reverse("portal:account"), {"language": ""})
    portal_user.refresh_from_db()
    assert portal_user.language == ""


def test_an_unknown_language_is_refused_inline(portal, portal_user):
    response = portal.post(reverse("portal:account"), {"language": "fr"})

    assert response.status_code == 400
    portal_user.refresh_from_db()
    assert portal_user.language == "en"


def test_the_contact_changes_their_password_and_stays_signed_in(portal, portal_user):
    response = portal.post(
        reverse("portal:account_password"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    portal_user.refresh_from_db()
    assert portal_user.check_password(NEW_PASSWORD)
    assert portal.get(reverse("portal:home")).status_code == 200


def test_a_wrong_current_password_is_shown_inline(portal, portal_user):
    response = portal.post(
        reverse("portal:account_password"),
        {
            "old_password": "wrong",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    portal_user.refresh_from_db()
    assert portal_user.check_password(PASSWORD)


def test_the_portal_header_links_to_the_account(portal, portal_user):
    body = portal.get(reverse("portal:home")).content.decode()

    assert reverse("portal:account") in body
