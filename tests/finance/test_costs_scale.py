"""The costs part of the scale data: the busiest project gets its share, every entry is
priced, and nobody works more than 24 hours a day across projects."""

import datetime
from decimal import Decimal

from django.db.models import Sum

from clientfolio.finance import scale
from clientfolio.finance.models import BudgetLine, Expense, Rate, TimeEntry
from clientfolio.projects.models import Membership
from tests.projects.factories import ProjectFactory


def test_scale_seeding_prices_entries_and_respects_the_day(project, member):
    # given a second project on which the member also works
    other = ProjectFactory()
    Membership.objects.create(project=other, user=member, role="member")

    # when 300 entries are seeded, 200 of them on the busiest (first) project
    counts = scale.seed(
        time_entries=300,
        biggest=200,
        biggest_expenses=20,
        batch=50,
        today=datetime.date(2026, 11, 25),
    )

    # then
    assert (counts.time_entries, counts.biggest) == (300, 200)
    assert TimeEntry.objects.filter(project=project).count() == 200
    assert Expense.objects.filter(project=project).count() == 20
    assert BudgetLine.objects.exists()
    assert Rate.objects.filter(project__isnull=True).count() == 4
    assert not TimeEntry.objects.filter(cost_amount=0).exists()
    busiest_day = (
        TimeEntry.objects.values("user_id", "worked_on")
        .annotate(total=Sum("hours"))
        .order_by("-total")
        .first()
    )
    assert busiest_day["total"] <= Decimal(24)
