"""Fixtures of the closure tests: a project with one record of each checklist kind in
the state that blocks closing, and helpers to settle them."""

import datetime
from decimal import Decimal

import pytest

from clientfolio.quality.models import Deliverable
from clientfolio.risks.models import Issue, Risk
from tests.clients.factories import ContractFactory
from tests.comms.factories import ActionItemFactory, CommRecordFactory
from tests.documents.factories import DocumentFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def blockers(project, project_manager, member, client_record):
    """One unaccepted deliverable, an open milestone, an issued invoice, an open change
    request, an open action item, an open risk, an open issue and a shared document
    that was not handed over: every checklist item is not met."""
    from clientfolio.finance.models import Invoice
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task
    from tests.projects.factories import ChangeRequestFactory

    deliverable = Deliverable.objects.create(
        project=project, name="数据中台", status="submitted"
    )
    milestone = schedule_services.create_task(
        Task(project=project, name="上线验收", is_milestone=True)
    )
    invoice = Invoice.objects.create(
        number="INV-CL-001",
        project=project,
        client=client_record,
        contract=ContractFactory(client=client_record, number="CL-001"),
        status="issued",
    )
    change = ChangeRequestFactory(project=project, title="增加大屏")
    record = CommRecordFactory(project=project, participant_users=[project_manager])
    item = ActionItemFactory(record=record, owner=member)
    risk = Risk.objects.create(
        project=project, title="关键人员离职", status="monitoring"
    )
    issue = Issue.objects.create(project=project, title="接口超时", status="open")
    document = DocumentFactory(
        project=project,
        title="运维手册",
        visibility="shared",
        created_by=project_manager,
    )
    return {
        "deliverable": deliverable,
        "milestone": milestone,
        "invoice": invoice,
        "change": change,
        "action_item": item,
        "risk": risk,
        "issue": issue,
        "document": document,
    }


@pytest.fixture
def settle(project, project_manager):
    """Settle every blocker of ``blockers`` (plain updates: the test is about closure)."""
    from clientfolio.closure import services
    from clientfolio.closure.models import Handover

    def run(blockers):
        Deliverable.objects.filter(pk=blockers["deliverable"].pk).update(
            status="accepted"
        )
        type(blockers["milestone"]).objects.filter(pk=blockers["milestone"].pk).update(
            status="done", percent_complete=100
        )
        type(blockers["invoice"]).objects.filter(pk=blockers["invoice"].pk).update(
            status="paid", total=Decimal("100.00"), paid_amount=Decimal("100.00")
        )
        type(blockers["change"]).objects.filter(pk=blockers["change"].pk).update(
            status="rejected"
        )
        type(blockers["action_item"]).objects.filter(
            pk=blockers["action_item"].pk
        ).update(status="done")
        Risk.objects.filter(pk=blockers["risk"].pk).update(status="closed")
        Issue.objects.filter(pk=blockers["issue"].pk).update(status="resolved")
        services.save_handover(
            Handover(project=project, handed_over_on=datetime.date(2026, 6, 1)),
            documents=[blockers["document"]],
        )

    return run
