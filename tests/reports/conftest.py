"""The search world, built once per test module: two projects of the client 琥珀数据,
a staff user on the first only, and in each kind of record one that says 琥珀 (amber)."""

from types import SimpleNamespace

import pytest

from tests.conftest import shared_records


def build_search_world():
    from clientfolio.clients.models import Contact
    from clientfolio.projects.models import Membership
    from tests.clients.factories import ClientFactory, RequirementFactory
    from tests.comms.factories import CommRecordFactory
    from tests.core.factories import UserFactory
    from tests.documents.factories import DocumentFactory
    from tests.projects.factories import (
        ChangeRequestFactory,
        ProjectFactory,
        ProjectRequirementFactory,
    )
    from tests.schedule.factories import TaskFactory

    staff = UserFactory(username="searcher", first_name="搜索", last_name="员")
    admin = UserFactory(admin=True, username="search-admin")
    client_user = UserFactory(client_contact=True, username="search-client")
    client = ClientFactory(
        name="琥珀数据有限公司",
        contacts=[Contact(name="王琥珀", phone="13900001111", email="amber@hupo.cn")],
    )
    project = ProjectFactory(name="琥珀平台一期", client=client)
    Membership.objects.create(project=project, user=staff, role="member")
    elsewhere = ProjectFactory(name="别的项目", client=client)
    from clientfolio.risks import services as risk_services
    from clientfolio.risks.models import Risk

    return SimpleNamespace(
        staff=staff,
        admin=admin,
        client_user=client_user,
        client=client,
        contact=client.contacts.get(),
        project=project,
        elsewhere=elsewhere,
        task=TaskFactory(project=project, name="琥珀接口联调"),
        secret_task=TaskFactory(project=elsewhere, name="琥珀保密任务"),
        record=CommRecordFactory(
            project=project,
            subject="第三次周例会",
            minutes="双方确认 Amber 迁移计划\n- 琥珀数据清洗由客户负责",
            decisions="下周五上线",
        ),
        document=DocumentFactory(project=project, title="琥珀需求规格说明书"),
        project_requirement=ProjectRequirementFactory(
            project=project, title="报表导出", description="按琥珀模板导出"
        ),
        client_requirement=RequirementFactory(client=client, title="琥珀移动端审批"),
        change=ChangeRequestFactory(project=project, title="琥珀范围变更"),
        risk=risk_services.create_risk(
            Risk(project=project, title="琥珀供应商延期", probability=3, impact=4),
            user=project.manager,
        ),
    )


@pytest.fixture(scope="module")
def search_world(django_db_setup, django_db_blocker):
    with shared_records(django_db_blocker) as records:
        yield records.build(build_search_world)
