"""Login throttling behind the proxy: locks are keyed on the real client's address and the
user name, and one address spraying many user names is locked out."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client as BrowserClient
from django.urls import reverse

from clientfolio.core.logins import client_address
from tests.core.factories import PASSWORD

LOGIN = reverse("core:login")
PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _behind_proxy(db, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    cache.clear()
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1


def through_proxy(address):
    """A browser whose requests reach us through nginx, which appends ``address``."""
    return BrowserClient(
        headers={"accept-language": "en", "x-forwarded-for": address},
        REMOTE_ADDR=PROXY,
    )


def log_in(http, username, password):
    return http.post(LOGIN, {"username": username, "password": password})


def test_five_failures_lock_the_user_only_for_the_address_they_came_from(staff):
    # given five wrong passwords for staff from one client behind the proxy
    attacker = through_proxy("203.0.113.7")
    for _attempt in range(5):
        log_in(attacker, "staff", "wrong")

    # then that client is locked out, even with the right password
    assert log_in(attacker, "staff", PASSWORD).status_code == 429

    # and staff, from their own address through the same proxy, still logs in
    response = log_in(through_proxy("198.51.100.20"), "staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_spraying_many_user_names_from_one_address_is_locked_out(settings, staff):
    # given the per-address limit, and one client trying a wrong password on many names
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    attacker = through_proxy("203.0.113.7")
    statuses = [log_in(attacker, f"name{n}", "wrong").status_code for n in range(30)]

    # then the first 19 are answered as wrong passwords and the rest are refused
    assert statuses[:19] == [200] * 19
    assert set(statuses[19:]) == {429}
    # even a right password from that address, for a name it never tried
    assert log_in(attacker, "staff", PASSWORD).status_code == 429

    # while another real address logs in normally
    assert log_in(through_proxy("198.51.100.20"), "staff", PASSWORD).status_code == 302


def test_a_forged_forwarded_entry_does_not_change_the_address(staff):
    # given a client that writes its own X-Forwarded-For entry before nginx appends its
    # real address
    forger = through_proxy("10.9.9.9, 203.0.113.7")
    for _attempt in range(5):
        log_in(forger, "staff", "wrong")

    # when it pretends to be yet another address
    response = log_in(through_proxy("10.1.1.1, 203.0.113.7"), "staff", PASSWORD)

    # then it is still the locked client
    assert response.status_code == 429


def test_without_the_proxy_setting_the_header_is_ignored(settings, rf):
    # given no proxy in front
    settings.PROXY_COUNT = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="192.0.2.1")

    # then the address is the connection's
    assert client_address(request) == "192.0.2.1"


def test_a_header_that_is_not_an_address_falls_back_to_the_connection(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="<script>", REMOTE_ADDR="192.0.2.1")

    assert client_address(request) == "192.0.2.1"


def test_a_refused_login_is_logged_with_the_user_name_and_address(caplog, staff):
    # given a wrong password through the proxy
    with caplog.at_level(logging.WARNING, logger="clientfolio.core.logins"):
        log_in(through_proxy("203.0.113.7"), "staff", "wrong")

    # then the operator sees who and from where, and never the password
    assert "Login refused for user name 'staff' from 203.0.113.7" in caplog.text
    assert "wrong" not in caplog.text


def test_a_user_is_unaffected_by_failures_for_other_names(staff):
    # given a few failures for other names from staff's own address
    http = through_proxy("198.51.100.20")
    for n in range(4):
        log_in(http, f"typo{n}", "wrong")

    # then staff still logs in from it
    assert log_in(http, "staff", PASSWORD).status_code == 302
