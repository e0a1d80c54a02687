"""API tokens: they expire, a password change or deactivation revokes them, and a user
sees and revokes their own (API and account page)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client as BrowserClient
from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.core.models import ApiToken
from clientfolio.core.tokens import issue_token
from tests.core.factories import PASSWORD, UserFactory

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
ISSUED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    cache.clear()


def with_token(key):
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def obtain(user, **extra):
    response = APIClient().post(
        TOKEN, {"username": user.username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_token_is_issued_with_its_expiry_and_shown_once(settings, staff):
    # given tokens last 30 days
    settings.API_TOKEN_DAYS = 30

    # when staff asks for one
    with time_machine.travel(ISSUED, tick=False):
        body = obtain(staff, name="报表脚本")

    # then the key is in the answer, with the date it expires
    key = body.pop("token")
    assert body == {
        "id": ApiToken.objects.get().pk,
        "name": "报表脚本",
        "prefix": key[:8],
        "created_at": "2026-03-02T17:00:00+08:00",
        "expires_at": "2026-04-01T17:00:00+08:00",
        "last_used_at": None,
        "is_current": False,
    }
    # and only its hash is stored, and the key signs in
    assert not ApiToken.objects.filter(digest=key).exists()
    with time_machine.travel(ISSUED, tick=False):
        assert with_token(key).get(TOKENS).status_code == 200


def test_a_token_stops_working_when_it_expires(settings, staff):
    # given a token that lasts one day
    settings.API_TOKEN_DAYS = 1
    with time_machine.travel(ISSUED, tick=False):
        key = obtain(staff)["token"]

    # then it works just before it expires and not after
    with time_machine.travel(ISSUED + timedelta(hours=23), tick=False):
        assert with_token(key).get(TOKENS).status_code == 200
    with time_machine.travel(ISSUED + timedelta(days=1, seconds=1), tick=False):
        response = with_token(key).get(TOKENS)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or expired token."}


def test_changing_the_password_on_the_page_revokes_every_token(staff):
    # given two tokens of staff
    keys = [obtain(staff)["token"], obtain(staff)["token"]]
    page = BrowserClient(headers={"accept-language": "en"})
    page.force_login(staff)

    # when staff changes their password
    response = page.post(
        reverse("core:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Zx9-new-secret-42",
            "new_password2": "Zx9-new-secret-42",
        },
    )

    # then neither token works any more and none is listed
    assert response.status_code == 302
    for key in keys:
        assert with_token(key).get(TOKENS).status_code == 401
    assert not ApiToken.objects.filter(user=staff).exists()


def test_a_password_changed_any_other_way_also_invalidates_the_token(staff):
    # given a token, and the password then set outside the pages (manage.py changepassword)
    key = obtain(staff)["token"]
    staff.set_password("Zx9-new-secret-42")
    staff.save()

    # then the token no longer signs in
    assert with_token(key).get(TOKENS).status_code == 401


def test_an_admin_setting_a_password_revokes_the_tokens(admin, staff):
    key = obtain(staff)["token"]
    page = BrowserClient()
    page.force_login(admin)

    page.post(
        reverse("core:user_password", kwargs={"pk": staff.pk}),
        {"new_password1": "Zx9-new-secret-42", "new_password2": "Zx9-new-secret-42"},
    )

    assert with_token(key).get(TOKENS).status_code == 401
    assert not ApiToken.objects.filter(user=staff).exists()


def test_deactivating_a_user_revokes_their_tokens(admin, staff):
    # given a token of staff
    key = obtain(staff)["token"]
    page = BrowserClient()
    page.force_login(admin)

    # when an admin deactivates staff
    response = page.post(
        reverse("core:user_edit", kwargs={"pk": staff.pk}),
        {"role": "staff", "version": staff.version},  # is_active unticked
    )

    # then the token is gone, and stays gone when staff is reactivated
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=staff).exists()
    staff.refresh_from_db()
    staff.is_active = True
    staff.save()
    assert with_token(key).get(TOKENS).status_code == 401


def test_a_user_lists_only_their_own_tokens(staff):
    # given a token of staff and one of another user
    key = obtain(staff, name="mine")["token"]
    issue_token(UserFactory(), name="theirs")

    # when staff lists tokens
    response = with_token(key).get(TOKENS)

    # then only their own is listed, marked as the one in use
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["name"], row["is_current"]) for row in rows] == [("mine", True)]


def test_a_user_revokes_their_own_token_through_the_api(staff):
    # given two tokens of staff
    key = obtain(staff, name="laptop")["token"]
    other = obtain(staff, name="script")

    # when staff revokes the script's token
    response = with_token(key).delete(f"{TOKENS}{other['id']}/")

    # then it no longer works, and the one in use still does
    assert response.status_code == 204
    assert with_token(other["token"]).get(TOKENS).status_code == 401
    assert with_token(key).get(TOKENS).status_code == 200


def test_another_users_token_cannot_be_revoked_and_does_not_exist(staff):
    # given someone else's token
    theirs, their_key = issue_token(UserFactory())
    key = obtain(staff)["token"]

    # when staff tries to read or revoke it
    read = with_token(key).get(f"{TOKENS}{theirs.pk}/")
    revoke = with_token(key).delete(f"{TOKENS}{theirs.pk}/")

    # then it does not exist for staff and still works for its owner
    assert (read.status_code, revoke.status_code) == (404, 404)
    assert revoke.json() == {"detail": "No ApiToken matches the given query."}
    assert with_token(their_key).get(TOKENS).status_code == 200


def test_the_account_page_lists_and_revokes_the_users_tokens(staff):
    # given a token of staff and one of another user
    token, key = issue_token(staff, name="报表脚本")
    theirs, _key = issue_token(UserFactory(), name="别人的令牌")
    page = BrowserClient(headers={"accept-language": "en"})
    page.force_login(staff)

    # then the account page lists staff's token only
    body = page.get(reverse("core:profile")).content.decode()
    assert "报表脚本" in body
    assert token.prefix in body
    assert "别人的令牌" not in body

    # and staff revokes it there, but not someone else's
    response = page.post(reverse("core:token_revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    assert with_token(key).get(TOKENS).status_code == 401
    response = page.post(reverse("core:token_revoke", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_account_page_creates_a_token_and_shows_its_key_once(settings, staff):
    # given tokens last at most 30 days
    settings.API_TOKEN_DAYS = 30
    page = BrowserClient(headers={"accept-language": "en"})
    page.force_login(staff)
    assert 'id="token-create"' in page.get(reverse("core:profile")).content.decode()

    # when staff creates one for 7 days
    with time_machine.travel(ISSUED, tick=False):
        response = page.post(
            reverse("core:token_create"), {"token-name": "夜间同步", "token-days": "7"}
        )

    # then the page shows the key this once, and the key signs in to the API
    token = ApiToken.objects.get(user=staff)
    key = response.context["new_token_key"]
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert key in body
    assert key.startswith(token.prefix)
    assert (token.name, token.expires_at) == ("夜间同步", ISSUED + timedelta(days=7))
    with time_machine.travel(ISSUED + timedelta(days=1), tick=False):
        assert with_token(key).get(TOKENS).status_code == 200
        assert key not in page.get(reverse("core:profile")).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"token-name": "cron", "token-days": "31"},
            "days",
            "less than or equal to 30",
        ),
        ({"token-name": "cron", "token-days": "0"}, "days", "greater than or equal"),
        ({"token-name": "", "token-days": "7"}, "name", "This field is required."),
    ],
)
def test_a_token_beyond_the_longest_allowed_or_unnamed_is_refused(
    settings, staff, data, field, message
):
    settings.API_TOKEN_DAYS = 30
    page = BrowserClient(headers={"accept-language": "en"})
    page.force_login(staff)

    response = page.post(reverse("core:token_create"), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["token_form"].errors[field])
    assert not ApiToken.objects.exists()


def test_a_token_cannot_be_issued_beyond_the_longest_allowed(settings, staff):
    settings.API_TOKEN_DAYS = 30

    with pytest.raises(ValueError, match="1 to 30 days"):
        issue_token(staff, days=31)
