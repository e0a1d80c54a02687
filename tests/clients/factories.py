"""Factories of the client library. Every write goes through clients.services, so the
derived search text, sort key and tier are what the application would have stored."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clientfolio.clients import services
from clientfolio.clients.models import (
    Client,
    Contact,
    Contract,
    Feedback,
    FollowUp,
    Payment,
    Requirement,
)


class ClientFactory(DjangoModelFactory):
    """A client saved with ``services.create_client``; pass ``tags=[...]`` and
    ``contacts=[Contact(...), ...]`` (unsaved) to create them with it."""

    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    status = Client.Status.ACTIVE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tags = kwargs.pop("tags", ())
        contacts = kwargs.pop("contacts", ())
        return services.create_client(
            model_class(*args, **kwargs), tags=tags, contacts=contacts
        )


class _RecordFactory(DjangoModelFactory):
    """Records are saved with ``services.save_record`` (primary contact, search text, tier)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.save_record(model_class(*args, **kwargs))


class ContactFactory(_RecordFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    email = factory.Sequence(lambda n: f"contact{n}@example.cn")


class RequirementFactory(_RecordFactory):
    class Meta:
        model = Requirement

    client = factory.SubFactory(ClientFactory)
    title = factory.Sequence(lambda n: f"需求{n}")


class ContractFactory(_RecordFactory):
    class Meta:
        model = Contract

    client = factory.SubFactory(ClientFactory)
    number = factory.Sequence(lambda n: f"HT-2025-{n:05d}")
    title = factory.Sequence(lambda n: f"合同{n}")
    amount = Decimal("100000.00")


class PaymentFactory(_RecordFactory):
    class Meta:
        model = Payment

    contract = factory.SubFactory(ContractFactory)
    received_on = factory.LazyFunction(timezone.localdate)
    amount = Decimal("1000.00")


class FeedbackFactory(_RecordFactory):
    class Meta:
        model = Feedback

    client = factory.SubFactory(ClientFactory)
    kind = Feedback.Kind.SUGGESTION
    channel = Feedback.Channel.PHONE
    received_on = factory.LazyFunction(timezone.localdate)
    subject = factory.Sequence(lambda n: f"反馈{n}")


class FollowUpFactory(_RecordFactory):
    class Meta:
        model = FollowUp

    client = factory.SubFactory(ClientFactory)
    planned_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=7)
    )
    purpose = factory.Sequence(lambda n: f"回访{n}")
