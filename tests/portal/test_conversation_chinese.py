"""The portal's minutes, feedback and messages pages speak the client's language: 张伟
reads Chinese, so every label of these pages is in Chinese."""

import re

import pytest
from django.urls import reverse

from clientfolio.comms import services as comms
from tests.comms.factories import CommRecordFactory


@pytest.fixture(autouse=True)
def _no_event_handlers(settings):
    settings.CLIENTFOLIO_EVENT_HANDLERS = []


@pytest.fixture
def chinese_portal(portal_user):
    from django.test import Client as BrowserClient

    portal_user.language = "zh-hans"
    portal_user.save(update_fields=["language"])
    browser = BrowserClient(headers={"accept-language": "zh-hans"})
    browser.force_login(portal_user)
    return browser


def _pages(project, project_manager, portal_contact):
    meeting = CommRecordFactory(
        project=project,
        subject="一期启动会",
        participant_users=[project_manager],
        participant_contacts=[portal_contact],
    )
    comms.send_minutes_for_confirmation(meeting, "http://testserver")
    thread = comms.start_portal_thread(project, portal_contact, "账号", "何时开通？")
    pk = project.pk
    return {
        reverse("portal:minutes_list", kwargs={"pk": pk}): "会议",
        reverse(
            "portal:minutes", kwargs={"pk": pk, "record_pk": meeting.pk}
        ): "您的答复",
        reverse("portal:feedback_list"): "意见与需求",
        reverse("portal:feedback_new"): "您想告诉我们什么？",
        reverse("portal:messages", kwargs={"pk": pk}): "给项目团队留言",
        reverse("portal:message_new", kwargs={"pk": pk}): "给项目团队留言",
        reverse("portal:thread", kwargs={"pk": pk, "record_pk": thread.pk}): "您的回复",
    }


# English words the pages must not show to a Chinese reader (the firm's name aside).
ENGLISH = re.compile(
    r">\s*(Meetings|Your answer|Confirm|Dispute|Send|Messages|Feedback|Your reply|"
    r"Attachments|Subject|Mark done)\s*<"
)


def test_the_pages_are_in_chinese(
    chinese_portal, project, project_manager, portal_contact
):
    for url, label in _pages(project, project_manager, portal_contact).items():
        body = chinese_portal.get(url).content.decode()

        assert label in body, url
        assert not ENGLISH.findall(body), (url, ENGLISH.findall(body))
