"""Personal data of a client contact (PIPL / GDPR): what is held, the export, the
erasure that keeps business records, and the retention rule (ops.privacy)."""

import datetime
import json

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.utils import timezone

from clientfolio.clients.models import Client, Contact
from clientfolio.comms import services as comms_services
from clientfolio.comms.models import Participant
from clientfolio.core.models import ApiToken, Event, User
from clientfolio.core.tokens import issue_token
from clientfolio.notifications.models import Notification
from clientfolio.ops import privacy
from clientfolio.ops.models import PersonalDataRecord
from clientfolio.portal.models import SignInLink
from clientfolio.reports.survey_models import Answer
from tests.clients.factories import ClientFactory, ContactFactory, FeedbackFactory
from tests.comms.factories import CommRecordFactory
from tests.core.factories import UserFactory
from tests.projects.factories import ProjectFactory
from tests.reports.factories import AnswerFactory

NOW = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
NAME, PHONE, EMAIL, WECHAT = "王晓燕", "13912345678", "wang.xy@kehu.cn", "wxy_kehu"


@pytest.fixture
def person(db):
    """A contact with a portal login, who confirmed minutes, gave feedback, answered a
    survey and holds an API key, a notification and a sign-in link."""
    client = ClientFactory(name="晨光科技有限公司")
    login = UserFactory(
        client_contact=True,
        username="wangxy",
        email=EMAIL,
        first_name="晓燕",
        last_name="王",
    )
    contact = ContactFactory(
        client=client,
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        wechat=WECHAT,
        title="信息部经理",
        notes="喜欢电话沟通",
        portal_user=login,
    )
    project = ProjectFactory(client=client)
    record = CommRecordFactory(project=project, participant_contacts=[contact])
    participant = Participant.objects.get(record=record, contact=contact)
    comms_services.respond(participant, Participant.State.CONFIRMED, "同意纪要")
    FeedbackFactory(client=client, contact=contact, detail="交付很及时")
    AnswerFactory(
        invitation__survey__project=project,
        invitation__contact=contact,
        comment="沟通顺畅",
    )
    _token, key = issue_token(login, name="集成")
    event = Event.objects.create(
        kind="task.assigned", target_type="schedule.task", target_id=1, occurred_at=NOW
    )
    Notification.objects.create(
        user=login, event=event, kind="task.assigned", target_type="t", target_id=1
    )
    SignInLink.objects.create(
        contact=contact, digest="d" * 64, expires_at=NOW + datetime.timedelta(hours=1)
    )
    return {"contact": contact, "login": login, "record": record, "key": key}


def test_holdings_find_the_relations_to_contacts_and_logins():
    found = {(h.label, h.field) for h in privacy.holdings()}
    for expected in [
        ("comms.participant", "contact"),
        ("clients.feedback", "contact"),
        ("reports.answer", "contact"),
        ("quality.acceptance", "contact"),
        ("notifications.notification", "user"),
        ("documents.downloadlog", "user"),
        ("closure.handover", "recipients"),
    ]:
        assert expected in found
    assert not any(label.startswith("clients.historical") for label, _ in found)
    assert ("clients.contact", "portal_user") not in found


def test_the_export_holds_everything_about_them_and_no_secret(person):
    contact, login = person["contact"], person["login"]
    data = privacy.export(contact, now=NOW)
    payload = privacy.export_bytes(data).decode()

    assert data["format"] == privacy.FORMAT
    assert data["contact"]["name"] == NAME
    assert data["contact"]["phone"] == PHONE
    assert data["contact"]["change_history"][0]["history_type"] == "created"
    assert data["portal_account"]["username"] == "wangxy"
    kinds = {section["kind"]: section for section in data["records"]}
    participation = kinds["comms.participant"]["rows"][0]
    assert participation["state"] == "confirmed"
    assert participation["comment"] == "同意纪要"
    assert participation["record"]["name"] == str(person["record"])
    assert kinds["clients.feedback"]["rows"][0]["detail"] == "交付很及时"
    assert kinds["reports.answer"]["rows"][0]["comment"] == "沟通顺畅"
    assert "notifications.notification" in kinds
    assert kinds["core.apitoken"]["rows"][0]["name"] == "集成"
    # Nothing that signs in or signs a link leaves in the file.
    token = ApiToken.objects.get(user=login)
    assert token.digest not in payload
    assert person["key"] not in payload
    assert login.password not in payload
    assert "d" * 64 not in payload
    assert '"password"' not in payload
    assert '"digest"' not in payload
    json.loads(payload)  # valid JSON, Chinese kept as is
    assert NAME in payload


def _text_of_every_table() -> str:
    """Every text value of every table, to look for what must be gone."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in ("CharField", "TextField", "EmailField")
            ]
            if not columns:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_erasure_anonymises_them_and_keeps_the_business_records(person, admin):
    contact, login = person["contact"], person["login"]
    record = privacy.erase(contact, actor=admin, reason="客户来函 11-18", now=NOW)

    contact.refresh_from_db()
    assert contact.erased_at == NOW
    assert contact.name == privacy.pseudonym(contact.pk)
    assert (contact.phone, contact.email, contact.wechat, contact.title) == ("",) * 4
    assert contact.notes == ""
    login.refresh_from_db()
    assert not login.is_active
    assert not login.has_usable_password()
    assert login.username == f"erased-{login.pk}"
    assert login.email == ""
    assert not ApiToken.objects.filter(user=login).exists()
    assert not Notification.objects.filter(user=login).exists()
    assert not SignInLink.objects.filter(contact=contact).exists()
    # The minutes they confirmed, their feedback and their scores stay.
    participant = Participant.objects.get(contact=contact)
    assert participant.state == Participant.State.CONFIRMED
    assert Answer.objects.get(contact=contact).quality == 4
    assert contact.feedback.get().detail == "交付很及时"
    # Their name, phone, e-mail and WeChat are nowhere any more, history included.
    everything = _text_of_every_table()
    for gone in (NAME, PHONE, EMAIL, WECHAT, "wangxy"):
        assert gone not in everything
    assert record.kind == PersonalDataRecord.Kind.ERASURE
    assert record.actor == admin
    assert record.contact_ref == contact.pk
    assert record.summary["deleted"]["core.apitoken"] == 1
    assert record.summary["kept"]["comms.participant.contact"] == 1
    assert record.summary["login"] is True
    with pytest.raises(privacy.AlreadyErased):
        privacy.erase(contact, actor=admin, reason="again", now=NOW)


def test_the_log_holds_no_personal_data(person, admin):
    contact = person["contact"]
    privacy.record_export(contact, actor=admin, reason="申请 #7", now=NOW)
    privacy.erase(contact, actor=admin, reason="申请 #7", now=NOW)
    values = json.dumps(
        list(PersonalDataRecord.objects.values()), default=str, ensure_ascii=False
    )
    for personal in (NAME, PHONE, EMAIL):
        assert personal not in values
    export = PersonalDataRecord.objects.get(kind="export")
    assert len(export.sha256) == 64
    assert export.summary["comms.participant.contact"] == 1


@pytest.mark.parametrize(
    ("status", "days_ago", "retention", "erased"),
    [
        (Client.Status.LOST, 400, 365, True),
        (Client.Status.LOST, 300, 365, False),
        (Client.Status.ACTIVE, 400, 365, False),
        (Client.Status.LOST, 400, 0, False),
    ],
)
def test_the_retention_rule_erases_lost_clients_contacts(
    db, settings, status, days_ago, retention, erased
):
    settings.PERSONAL_DATA_RETENTION_DAYS = retention
    with time_machine.travel(NOW - datetime.timedelta(days=days_ago), tick=False):
        contact = ContactFactory(client=ClientFactory(status=status), name="李雷")
    assert privacy.apply_retention(NOW) == int(erased)
    contact.refresh_from_db()
    assert (contact.erased_at is not None) == erased
    assert PersonalDataRecord.objects.filter(
        kind=PersonalDataRecord.Kind.RETENTION, contact_ref=contact.pk, actor=None
    ).count() == int(erased)


def test_the_nightly_job_is_registered():
    from clientfolio.core.jobs import autodiscover

    assert "ops.tasks.erase_expired_personal_data" in autodiscover()


def test_erasing_a_contact_without_login(db, admin):
    contact = ContactFactory(name="韩梅梅")
    record = privacy.erase(contact, actor=admin, reason="电话申请", now=NOW)
    assert record.summary["login"] is False
    assert Contact.objects.get(pk=contact.pk).erased_at == NOW
    assert User.objects.filter(username__startswith="erased-").count() == 0
    assert timezone.is_aware(record.at)
