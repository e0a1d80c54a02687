"""The shared meeting of the comms tests: 客户数据平台一期's kick-off, with the project
manager, a team member and the client's 张伟 taking part."""

import pytest

from tests.comms.factories import CommRecordFactory


@pytest.fixture(autouse=True)
def _no_event_handlers(settings):
    # What the notifications make of comms' events (their e-mails to staff) is tested
    # there; here mail.outbox holds only the minutes' own e-mails to contacts.
    settings.CLIENTFOLIO_EVENT_HANDLERS = []


@pytest.fixture
def zhang_wei(client_record):
    return client_record.contacts.get(name="张伟")


@pytest.fixture
def meeting(project, project_manager, member, zhang_wei):
    return CommRecordFactory(
        project=project,
        subject="一期启动会",
        location="云帆会议室 A",
        minutes="## 纪要\n- 确认**一期范围**：审批与报表\n- 下周提交原型",
        decisions="一期上线日期定为 6 月 30 日",
        created_by=project_manager,
        participant_users=[project_manager, member],
        participant_contacts=[zhang_wei],
    )
