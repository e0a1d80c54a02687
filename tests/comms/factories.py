"""Factories of communication records. Records and action items are saved through
comms.services, so the search text, participants and owner rules are what the
application would have stored."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clientfolio.comms import services
from clientfolio.comms.models import ActionItem, CommRecord
from tests.projects.factories import ProjectFactory


class CommRecordFactory(DjangoModelFactory):
    """A record saved with ``services.create_record``; pass ``participant_users=[...]``
    and ``participant_contacts=[...]`` to add participants, ``created_by=`` the author."""

    class Meta:
        model = CommRecord

    project = factory.SubFactory(ProjectFactory)
    kind = CommRecord.Kind.MEETING
    subject = factory.Sequence(lambda n: f"项目例会{n}")
    occurred_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=1)
    )
    minutes = "## 会议纪要\n- 确认一期需求范围\n- 下周提交原型"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        users = kwargs.pop("participant_users", ())
        contacts = kwargs.pop("participant_contacts", ())
        author = kwargs.pop("created_by", None)
        return services.create_record(
            model_class(*args, **kwargs),
            user=author,
            participant_users=users,
            participant_contacts=contacts,
        )


class ActionItemFactory(DjangoModelFactory):
    """An action item saved with ``services.save_action_item`` (owner on the team)."""

    class Meta:
        model = ActionItem

    record = factory.SubFactory(CommRecordFactory)
    text = factory.Sequence(lambda n: f"待办事项{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.save_action_item(model_class(*args, **kwargs))
