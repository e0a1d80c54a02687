"""Who the client is: inviting a contact, accepting the invitation, e-mailed sign-in
links and switching a contact's portal access off and on (portal/services.py)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone

from clientfolio.clients.models import Contact
from clientfolio.core.models import ApiToken, User
from clientfolio.core.tokens import issue_token
from clientfolio.portal import services
from clientfolio.portal.models import Invitation, SignInLink

PASSWORD = "Hangzhou-West-Lake-2026"
WELCOME = re.compile(r"https?://[^\s\"]+/portal/welcome/[^/\s\"]+/")
SIGN_IN = re.compile(r"https?://[^\s\"]+/portal/sign-in/[^/\s\"]+/")


@pytest.fixture(autouse=True)
def _in_english():
    """Services speak the active language: English here, as the pages' tests do."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def li_na(client_record):
    """李娜 of 上海云帆, not invited yet."""
    return client_record.contacts.get(name="李娜")


@pytest.fixture
def invite(django_capture_on_commit_callbacks, staff):
    """Invite a contact as ``staff``; the e-mail leaves (on commit) into the outbox."""

    def run(contact, **kwargs):
        kwargs.setdefault("by", staff)
        kwargs.setdefault("base_url", "http://testserver/")
        with django_capture_on_commit_callbacks(execute=True):
            return services.invite_contact(contact, **kwargs)

    return run


def _signs_in(username, password):
    """Whether the login page lets ``username`` in with ``password``."""
    response = BrowserClient().post(
        reverse("core:login"), {"username": username, "password": password}
    )
    return response.status_code == 302


def _token(link_pattern, message):
    return link_pattern.search(message.body).group(0).rstrip("/").rsplit("/", 1)[1]


# --- inviting -------------------------------------------------------------------------


def test_inviting_a_contact_creates_their_login_and_sends_one_email_in_their_language(
    invite, li_na, staff
):
    # when 李娜 is invited in English
    invitation = invite(li_na, language="en")

    # then she has a client login named after her address, without a usable password
    li_na.refresh_from_db()
    user = li_na.portal_user
    assert user.username == "li.na@yunfan.cn"
    assert user.role == "client"
    assert user.language == "en"
    assert not user.has_usable_password()

    # and one e-mail in English went to her, with the firm's name and a working link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to[0].endswith("<li.na@yunfan.cn>")
    assert message.subject == "Your invitation to the client portal of Clientfolio"
    assert "上海云帆信息科技有限公司" in message.body
    assert "valid for 7 days" in message.body
    token = _token(WELCOME, message)
    assert token == invitation.token
    assert services.read_invitation(token).pk == invitation.pk

    # and only the token's digest is stored, with who invited her and until when
    stored = Invitation.objects.get()
    assert token not in stored.digest
    assert stored.created_by == staff
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    assert stored.history.get().history_user == staff


def test_the_invitation_is_in_chinese_for_a_contact_who_reads_chinese(invite, li_na):
    invite(li_na, language="zh-hans")

    message = mail.outbox[0]
    assert "客户门户" in message.subject
    assert "Hello" not in message.body


def test_the_invitation_link_follows_the_validity_setting(invite, li_na, settings):
    settings.PORTAL_INVITATION_DAYS = 3

    invitation = invite(li_na)

    assert invitation.expires_at - invitation.created_at == timedelta(days=3)
    assert "valid for 3 days" in mail.outbox[0].body or "3 天" in mail.outbox[0].body


def test_a_contact_without_email_cannot_be_invited(invite, li_na):
    # given 李娜 has no e-mail address
    Contact.objects.filter(pk=li_na.pk).update(email="")
    li_na.refresh_from_db()

    # when she is invited, then it is refused with a clear message and nothing is saved
    with pytest.raises(services.PortalError, match="has no e-mail address"):
        invite(li_na)
    assert not User.objects.filter(role="client", email="li.na@yunfan.cn").exists()
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_inviting_again_replaces_the_pending_invitation(invite, li_na):
    # given 李娜 was invited
    first = invite(li_na)

    # when she is invited again (re-sent)
    second = services.resend_invitation(li_na, by=li_na.client.owner)

    # then only the new link works; the first says it was replaced
    with pytest.raises(services.LinkError) as error:
        services.read_invitation(first.token)
    assert error.value.kind == "revoked"
    assert services.read_invitation(second.token).pk == second.pk
    # and she still has one login
    assert User.objects.filter(email="li.na@yunfan.cn").count() == 1


def test_a_contact_never_invited_cannot_be_re_sent_an_invitation(li_na, staff):
    with pytest.raises(services.PortalError, match="has not been invited yet"):
        services.resend_invitation(li_na, by=staff)


def test_a_contact_who_has_access_is_not_invited_again(invite, li_na):
    invitation = invite(li_na)
    services.accept_invitation(invitation.token, PASSWORD)

    with pytest.raises(services.PortalError, match="already has portal access"):
        invite(li_na)


def test_the_user_name_gets_a_number_when_the_address_is_taken(invite, li_na):
    User.objects.create_user(username="li.na@yunfan.cn", role="staff")

    invite(li_na)

    li_na.refresh_from_db()
    assert li_na.portal_user.username == "li.na@yunfan.cn-2"


# --- accepting ------------------------------------------------------------------------


def test_accepting_sets_the_password_and_uses_the_invitation_up(invite, li_na):
    invitation = invite(li_na)

    user = services.accept_invitation(invitation.token, PASSWORD)

    assert user.check_password(PASSWORD)
    assert _signs_in(user.username, PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None


def _unchanged(li_na, invitation):
    li_na.refresh_from_db()
    invitation.refresh_from_db()
    assert not li_na.portal_user.has_usable_password()
    assert invitation.used_at is None


def test_a_token_we_never_issued_is_refused(invite, li_na):
    invitation = invite(li_na)

    with pytest.raises(services.LinkError, match="not valid") as error:
        services.accept_invitation("made-up-token", PASSWORD)

    assert error.value.status == 400
    _unchanged(li_na, invitation)


def test_an_expired_invitation_is_refused_and_nothing_changes(invite, li_na):
    invitation = invite(li_na)

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        with pytest.raises(services.LinkError, match="has expired") as error:
            services.accept_invitation(invitation.token, PASSWORD)

    assert error.value.status == 410
    _unchanged(li_na, invitation)


def test_an_invitation_works_until_it_expires(invite, li_na):
    invitation = invite(li_na)

    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        services.accept_invitation(invitation.token, PASSWORD)


def test_a_used_invitation_is_refused(invite, li_na):
    invitation = invite(li_na)
    services.accept_invitation(invitation.token, PASSWORD)

    with pytest.raises(services.LinkError, match="already used"):
        services.accept_invitation(invitation.token, "Another-Password-2026")

    li_na.refresh_from_db()
    assert li_na.portal_user.check_password(PASSWORD)


def test_a_revoked_invitation_is_refused(invite, li_na, staff):
    invitation = invite(li_na)
    services.revoke_invitation(li_na, by=staff)

    with pytest.raises(services.LinkError, match="withdrawn") as error:
        services.accept_invitation(invitation.token, PASSWORD)

    assert error.value.status == 410
    _unchanged(li_na, invitation)
    assert invitation.history.first().history_user == staff


def test_revoking_without_a_pending_invitation_is_refused(li_na, staff):
    with pytest.raises(services.PortalError, match="no pending invitation"):
        services.revoke_invitation(li_na, by=staff)


def test_a_weak_password_is_refused_and_nothing_changes(invite, li_na):
    invitation = invite(li_na)

    with pytest.raises(ValidationError):
        services.accept_invitation(invitation.token, "12345678")

    _unchanged(li_na, invitation)


def test_the_errors_speak_the_active_language(invite, li_na):
    from django.utils import translation

    invitation = invite(li_na)
    services.revoke_invitation(li_na, by=li_na.client.owner)

    with translation.override("zh-hans"), pytest.raises(services.LinkError) as error:
        services.accept_invitation(invitation.token, PASSWORD)

    assert "邀请" in error.value.message


# --- switching access off and on ------------------------------------------------------


def test_switching_access_off_deactivates_the_login_and_deletes_nothing(
    invite, li_na, staff
):
    # given 李娜 accepted her invitation and has an API token
    invitation = invite(li_na)
    user = services.accept_invitation(invitation.token, PASSWORD)
    issue_token(user)

    # when her access is switched off
    services.set_portal_access(li_na, False, by=staff)

    # then she cannot sign in, her tokens are gone, and her login and contact remain
    user.refresh_from_db()
    assert not user.is_active
    assert not _signs_in(user.username, PASSWORD)
    assert not ApiToken.objects.filter(user=user).exists()
    assert Contact.objects.get(pk=li_na.pk).portal_user_id == user.pk
    assert Invitation.objects.filter(contact=li_na).count() == 1
    assert user.history.first().history_user == staff

    # and a browser signed in as her is signed out
    browser = BrowserClient()
    browser.force_login(User.objects.get(pk=user.pk))
    assert browser.get(reverse("portal:home")).status_code == 302

    # when it is switched on again, then she signs in with the same password
    services.set_portal_access(li_na, True, by=staff)
    assert _signs_in(user.username, PASSWORD)


def test_switching_off_withdraws_the_pending_invitation(invite, li_na, staff):
    invitation = invite(li_na)

    services.set_portal_access(li_na, False, by=staff)

    with pytest.raises(services.LinkError):
        services.accept_invitation(invitation.token, PASSWORD)


def test_access_of_a_contact_never_invited_cannot_be_switched(li_na, staff):
    with pytest.raises(services.PortalError, match="invite them first"):
        services.set_portal_access(li_na, True, by=staff)


def test_a_staff_login_tied_to_a_contact_is_never_switched_off(li_na, staff, admin):
    Contact.objects.filter(pk=li_na.pk).update(portal_user=admin)
    li_na.refresh_from_db()

    with pytest.raises(services.PortalError, match="staff account"):
        services.set_portal_access(li_na, False, by=staff)

    admin.refresh_from_db()
    assert admin.is_active


# --- sign-in links --------------------------------------------------------------------


@pytest.fixture
def active_li_na(invite, li_na):
    """李娜 (English), who accepted her invitation; the outbox is empty again."""
    invitation = invite(li_na, language="en")
    services.accept_invitation(invitation.token, PASSWORD)
    mail.outbox.clear()
    li_na.refresh_from_db()
    return li_na


@pytest.fixture
def send_link(django_capture_on_commit_callbacks):
    def run(contact):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_sign_in_link(contact, base_url="http://testserver")

    return run


def test_a_sign_in_link_signs_in_once(active_li_na, send_link):
    # when 李娜 is sent a sign-in link
    link = send_link(active_li_na)

    # then one e-mail carries it, valid for 30 minutes
    assert len(mail.outbox) == 1
    token = _token(SIGN_IN, mail.outbox[0])
    assert token == link.token
    assert "30 minutes" in mail.outbox[0].body

    # and it signs her in once
    assert services.sign_in_with_link(token) == active_li_na.portal_user
    with pytest.raises(services.LinkError, match="already used"):
        services.sign_in_with_link(token)


def test_a_sign_in_link_expires_after_30_minutes(active_li_na, send_link):
    link = send_link(active_li_na)

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        with pytest.raises(services.LinkError, match="expired"):
            services.sign_in_with_link(link.token)

    assert SignInLink.objects.get().used_at is None


def test_a_newer_sign_in_link_replaces_the_older(active_li_na, send_link):
    first = send_link(active_li_na)
    second = send_link(active_li_na)

    with pytest.raises(services.LinkError, match="replaced"):
        services.sign_in_with_link(first.token)
    services.sign_in_with_link(second.token)


def test_no_sign_in_link_for_a_contact_without_access(li_na, send_link, staff):
    # not invited: nothing is sent
    assert send_link(li_na) is None
    assert mail.outbox == []


def test_no_sign_in_link_once_access_is_switched_off(active_li_na, send_link, staff):
    link = send_link(active_li_na)
    services.set_portal_access(active_li_na, False, by=staff)
    mail.outbox.clear()

    assert send_link(active_li_na) is None
    assert mail.outbox == []
    with pytest.raises(services.LinkError):
        services.sign_in_with_link(link.token)


def test_a_contact_is_sent_at_most_three_links_an_hour(active_li_na, send_link):
    for _i in range(3):
        assert send_link(active_li_na) is not None

    assert send_link(active_li_na) is None
    assert len(mail.outbox) == 3


def test_an_address_is_looked_up_in_any_case(
    active_li_na, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.request_sign_in_link("LI.NA@yunfan.CN")

    assert sent == 1
    assert services.request_sign_in_link("nobody@example.com") == 0


@pytest.mark.django_db
def test_the_login_page_points_a_client_to_the_sign_in_link():
    page = BrowserClient(headers={"accept-language": "zh-hans"}).get(
        reverse("core:login")
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("portal:sign_in")}"' in html
    assert "您是我们的客户？" in html
