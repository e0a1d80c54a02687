"""Logging in and out, throttling, the language choice, and user management by admins."""

import pytest
from django.core.cache import cache
from django.test import Client as BrowserClient
from django.urls import reverse

from clientfolio.core.models import User
from tests.core.factories import PASSWORD, UserFactory

LOGIN = reverse("core:login")


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    cache.clear()


def browser():
    return BrowserClient(headers={"accept-language": "en"})


def test_a_user_logs_in_and_lands_on_my_work(staff):
    http = browser()

    response = http.post(LOGIN, {"username": "staff", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert http.get(reverse("home")).status_code == 200


def test_a_wrong_password_says_so_and_does_not_log_in(staff):
    http = browser()

    response = http.post(LOGIN, {"username": "staff", "password": "wrong"})

    assert response.status_code == 200
    assert "The user name or password is wrong." in response.content.decode()
    assert http.get(reverse("home")).status_code == 302


def test_five_failures_lock_the_user_name_with_a_clear_message(staff):
    http = browser()
    for _attempt in range(5):
        http.post(LOGIN, {"username": "staff", "password": "wrong"})

    # even the right password is refused while the lock lasts
    response = http.post(LOGIN, {"username": "staff", "password": PASSWORD})

    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed attempts" in body
    assert "15 minutes" in body
    assert http.get(reverse("home")).status_code == 302


def test_the_lockout_message_is_in_chinese_for_a_chinese_browser(staff):
    http = BrowserClient(headers={"accept-language": "zh-CN,zh;q=0.9"})
    for _attempt in range(6):
        response = http.post(LOGIN, {"username": "staff", "password": "wrong"})

    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "Too many failed attempts" not in response.content.decode()


def test_logging_out_ends_the_session(staff):
    http = browser()
    http.force_login(staff)

    response = http.post(reverse("core:logout"))

    assert response.status_code == 302
    assert http.get(reverse("home")).status_code == 302


def test_a_user_changes_their_password(staff):
    http = browser()
    http.force_login(staff)

    response = http.post(
        reverse("core:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Lantern-river-2026",
            "new_password2": "Lantern-river-2026",
        },
    )

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Lantern-river-2026")


def test_a_weak_new_password_is_refused_and_nothing_changes(staff):
    http = browser()
    http.force_login(staff)

    response = http.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )

    assert response.status_code == 200
    assert "too short" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_the_language_switch_is_remembered_on_the_profile(staff):
    http = browser()
    http.force_login(staff)

    response = http.post(
        reverse("core:set_language"), {"language": "zh-hans", "next": "/clients/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/clients/"
    staff.refresh_from_db()
    assert staff.language == "zh-hans"
    page = http.get("/clients/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "客户" in page


def test_the_language_switch_refuses_a_foreign_redirect(staff):
    http = browser()
    http.force_login(staff)

    response = http.post(
        reverse("core:set_language"),
        {"language": "en", "next": "https://evil.example.com/"},
    )

    assert response["Location"] == "/"


def test_an_admin_creates_a_user_with_a_role(admin):
    http = browser()
    http.force_login(admin)

    response = http.post(
        reverse("core:user_create"),
        {
            "username": "wang.min",
            "first_name": "敏",
            "last_name": "王",
            "email": "wang.min@example.com",
            "role": "staff",
            "language": "zh-hans",
            "password1": "Lantern-river-2026",
            "password2": "Lantern-river-2026",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="wang.min")
    assert user.role == "staff"
    assert str(user) == "王敏"
    assert user.check_password("Lantern-river-2026")


def test_a_stale_user_edit_is_refused_with_409(admin):
    target = UserFactory(username="li.lei", email="li.lei@example.com")
    http = browser()
    http.force_login(admin)
    url = reverse("core:user_edit", args=[target.pk])
    stale_version = target.version
    User.objects.filter(pk=target.pk).update(version=stale_version + 1)

    response = http.post(
        url,
        {
            "email": "new@example.com",
            "role": "admin",
            "is_active": "on",
            "version": stale_version,
        },
    )

    assert response.status_code == 409
    assert "new@example.com" in response.content.decode()
    target.refresh_from_db()
    assert target.email == "li.lei@example.com"
    assert target.role == "staff"


def test_an_admin_sets_a_password_for_a_user(admin):
    target = UserFactory(username="li.lei")
    http = browser()
    http.force_login(admin)

    response = http.post(
        reverse("core:user_password", args=[target.pk]),
        {"new_password1": "Lantern-river-2026", "new_password2": "Lantern-river-2026"},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Lantern-river-2026")


def test_production_hashing_is_argon2():
    from django.conf import settings as django_settings

    from clientfolio import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_USER_MODEL == "core.User"


def test_a_user_saves_their_own_profile(staff):
    # given a signed-in staff user on their account page
    http = browser()
    http.force_login(staff)
    version = staff.version

    # when they change their name and phone
    response = http.post(
        reverse("core:profile"),
        {
            "first_name": "小红",
            "last_name": "王",
            "email": "xiao.hong@example.com",
            "phone": "13900000000",
            "language": "en",
            "version": version,
        },
    )

    # then the profile is saved and the page says so
    assert response.status_code == 302
    assert response["Location"] == reverse("core:profile")
    staff.refresh_from_db()
    assert (staff.first_name, staff.phone) == ("小红", "13900000000")
    assert staff.version == version + 1
    assert "Saved." in http.get(reverse("core:profile")).content.decode()


def test_a_stale_profile_save_is_refused_with_409(staff):
    # given the profile was saved elsewhere after the page was loaded
    http = browser()
    http.force_login(staff)
    User.objects.filter(pk=staff.pk).update(version=staff.version + 1)

    # when the user saves the old page
    response = http.post(
        reverse("core:profile"),
        {"first_name": "小红", "language": "en", "version": staff.version},
    )

    # then nothing is written
    assert response.status_code == 409
    staff.refresh_from_db()
    assert staff.first_name == "小明"
