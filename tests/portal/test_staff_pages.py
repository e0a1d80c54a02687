"""The staff side of the portal: the contact's portal state and buttons on the client
page, and a project's sharing settings."""

import pytest
from django.core import mail
from django.test import Client as BrowserClient
from django.urls import reverse

from clientfolio.core.models import User
from clientfolio.portal import services
from clientfolio.portal.models import Invitation, ProjectSharing
from tests.clients.factories import ContactFactory


@pytest.fixture
def li_na(client_record):
    return client_record.contacts.get(name="李娜")


def browser():
    return BrowserClient(headers={"accept-language": "en"})


# --- the staff side: the contact's place on the client page ----------------------------


def client_page(client_record):
    return reverse("clients:client_detail", kwargs={"pk": client_record.pk})


def test_staff_invite_a_contact_from_the_client_page(
    staff_browser, client_record, li_na, django_capture_on_commit_callbacks
):
    # given the client page shows 李娜 not invited, with an Invite button
    page = staff_browser.get(client_page(client_record)).content.decode()
    invite_url = reverse("portal_staff:contact_invite", kwargs={"pk": li_na.pk})
    assert invite_url in page
    assert "Not invited" in page

    # when staff invite her in English
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_browser.post(invite_url, {"language": "en"}, follow=True)

    # then the page says so and shows her invited, with Re-send and Revoke
    body = response.content.decode()
    assert "Invitation sent to 李娜" in body
    assert "invited on" in body
    assert reverse("portal_staff:contact_resend", kwargs={"pk": li_na.pk}) in body
    assert reverse("portal_staff:contact_revoke", kwargs={"pk": li_na.pk}) in body
    assert len(mail.outbox) == 1


def test_inviting_a_contact_without_email_says_why(staff_browser, client_record):
    contact = ContactFactory(client=client_record, name="赵六", email="")

    response = staff_browser.post(
        reverse("portal_staff:contact_invite", kwargs={"pk": contact.pk}), follow=True
    )

    assert "has no e-mail address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_staff_switch_a_contacts_access_off_and_on(
    staff_browser, client_record, portal_contact, portal_user
):
    url = reverse("portal_staff:contact_access", kwargs={"pk": portal_contact.pk})

    body = staff_browser.post(url, {"enabled": "0"}, follow=True).content.decode()
    portal_user.refresh_from_db()
    assert not portal_user.is_active
    assert "Switched off" in body

    staff_browser.post(url, {"enabled": "1"})
    portal_user.refresh_from_db()
    assert portal_user.is_active


def test_the_client_page_offers_a_preview_of_each_contacts_portal(
    staff_browser, client_record, li_na
):
    body = staff_browser.get(client_page(client_record)).content.decode()

    assert reverse("portal:preview_start", kwargs={"contact_pk": li_na.pk}) in body


def test_the_portal_block_costs_the_same_queries_for_2_and_12_contacts(
    staff_browser, client_record, staff
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_browser.get(client_page(client_record)).status_code == 200
        return len(captured)

    services.invite_contact(
        client_record.contacts.get(name="李娜"), by=staff, base_url="http://t"
    )
    few = queries()
    for i in range(10):
        contact = ContactFactory(client=client_record, email=f"c{i}@yunfan.cn")
        services.invite_contact(contact, by=staff, base_url="http://t")
    assert queries() == few


# --- the project's sharing settings ---------------------------------------------------


def sharing_url(project):
    return reverse("portal_staff:sharing", kwargs={"pk": project.pk})


def test_the_manager_sets_what_the_project_shares(pm_browser, project):
    page = pm_browser.get(sharing_url(project))
    assert page.status_code == 200

    response = pm_browser.post(
        sharing_url(project),
        {"is_enabled": "on", "shows_progress": "on", "version": ""},
    )

    assert response.status_code == 302
    sharing = ProjectSharing.objects.get(project=project)
    assert sharing.is_enabled
    assert sharing.shows_progress
    assert not sharing.shows_documents
    assert sharing.history.first().history_user.username == "pm"


def test_a_stale_sharing_form_is_409_and_keeps_the_input(pm_browser, project):
    # given the settings were saved once (version 1) and then by someone else
    pm_browser.post(sharing_url(project), {"is_enabled": "on", "version": ""})
    pm_browser.post(sharing_url(project), {"is_enabled": "on", "version": "1"})

    # when a form loaded at version 1 is saved
    response = pm_browser.post(
        sharing_url(project), {"shows_invoices": "on", "version": "1"}
    )

    # then it is refused, nothing is saved, and the differences are shown
    assert response.status_code == 409
    assert 'id="conflict"' in response.content.decode()
    sharing = ProjectSharing.objects.get(project=project)
    assert sharing.is_enabled
    assert not sharing.shows_invoices


def test_two_first_saves_do_not_both_win(pm_browser, project):
    pm_browser.post(sharing_url(project), {"is_enabled": "on", "version": ""})

    response = pm_browser.post(sharing_url(project), {"version": ""})

    assert response.status_code == 409
    assert ProjectSharing.objects.get(project=project).is_enabled


def test_the_folder_links_its_manager_to_the_portal_settings(
    pm_browser, project, member
):
    overview = reverse("projects:project_detail", kwargs={"pk": project.pk})

    assert sharing_url(project) in pm_browser.get(overview).content.decode()

    member_browser = BrowserClient()
    member_browser.force_login(member)
    assert sharing_url(project) not in member_browser.get(overview).content.decode()


@pytest.fixture
def pm_browser(project_manager):
    http = browser()
    http.force_login(project_manager)
    return http


def test_a_client_user_gets_404_on_the_staff_side(portal, portal_contact, project):
    url = reverse("portal_staff:contact_access", kwargs={"pk": portal_contact.pk})

    assert portal.post(url, {"enabled": "0"}).status_code == 404
    assert portal.get(sharing_url(project)).status_code == 404
    assert User.objects.get(pk=portal_contact.portal_user_id).is_active
