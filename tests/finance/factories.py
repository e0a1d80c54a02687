"""Factories of the finance costs. Time entries go through finance.services, so they are
priced as the application would price them; the rest are plain rows."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from clientfolio.finance import services
from clientfolio.finance.models import (
    BudgetLine,
    ExchangeRate,
    Expense,
    Rate,
    TimeEntry,
)
from tests.core.factories import UserFactory
from tests.projects.factories import ProjectFactory


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    category = "labor"
    description = factory.Sequence(lambda n: f"预算{n}")
    amount = Decimal("10000.00")


class ExpenseFactory(DjangoModelFactory):
    class Meta:
        model = Expense

    project = factory.SubFactory(ProjectFactory)
    category = "travel"
    spent_on = datetime.date(2026, 11, 2)
    amount = Decimal("860.00")
    description = factory.Sequence(lambda n: f"差旅费{n}")
    submitted_by = factory.SubFactory(UserFactory)


class RateFactory(DjangoModelFactory):
    """A rate for a person (pass ``role=`` and ``user=None`` for a role)."""

    class Meta:
        model = Rate

    project = None
    user = factory.SubFactory(UserFactory)
    role = ""
    cost_rate = Decimal("200.00")
    bill_rate = Decimal("500.00")
    valid_from = datetime.date(2026, 1, 1)


class TimeEntryFactory(DjangoModelFactory):
    """A time entry saved with ``services.create_time_entry`` (priced); with
    ``cost_amount=`` it is stored as given instead, unpriced, as an import would."""

    class Meta:
        model = TimeEntry

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    worked_on = datetime.date(2026, 11, 23)
    hours = Decimal("8")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if "cost_amount" in kwargs:
            return model_class.objects.create(*args, **kwargs)
        return services.create_time_entry(model_class(*args, **kwargs))


class ExchangeRateFactory(DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    from_currency = "USD"
    to_currency = "CNY"
    rate = Decimal("7.10")
    valid_from = datetime.date(2026, 1, 1)
