"""Finance figures follow the finance pages' rule wherever they appear: a viewer reads no
budget, actual cost or CPI in the final evaluation, and a plain member's own time entries
show no cost or bill amounts (they reveal the rates)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clientfolio.finance.models import BudgetLine
from tests.finance.factories import RateFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(project):
    from clientfolio.closure.models import Evaluation

    BudgetLine.objects.create(
        project=project, category="labor", amount=Decimal("88888.00")
    )
    return Evaluation.objects.create(project=project, satisfaction=4, narrative="好")


def test_a_viewer_reads_no_cost_figures_in_the_evaluation_api(api_as, evaluated):
    # when a viewer (403 on the finance page) reads the evaluation
    response = api_as("viewer").get(f"/api/v1/evaluations/{evaluated.pk}/")

    # then the schedule figures are there but budget, actual cost and CPI are not
    assert response.status_code == 200
    figures = response.json()["figures"]
    assert "slip_days" in figures
    assert not {"budget", "actual_cost", "cpi"} & figures.keys()
    assert "88888" not in response.content.decode()


def test_the_accountant_reads_the_cost_figures_in_the_evaluation_api(api_as, evaluated):
    response = api_as("accountant").get(f"/api/v1/evaluations/{evaluated.pk}/")

    assert response.status_code == 200
    assert response.json()["figures"]["budget"] == "88888.00"


def test_the_finance_page_is_refused_to_the_viewer(as_persona, project):
    response = as_persona("viewer").get(reverse("finance:overview", args=[project.pk]))

    assert response.status_code == 403


def test_a_viewer_sees_no_cost_card_on_the_evaluation_page(
    as_persona, project, evaluated
):
    url = reverse("closure:evaluation", args=[project.pk])

    viewer = as_persona("viewer").get(url).content.decode()
    manager = as_persona("project_manager").get(url).content.decode()

    assert "88,888.00" not in viewer
    assert "ti-coin-yuan" not in viewer
    assert "88,888.00" in manager


def test_a_members_own_time_entries_show_no_amounts(api_as, project, member):
    # given the member's own time entry, priced from their rate
    RateFactory(user=member, cost_rate=Decimal("150"), bill_rate=Decimal("400"))
    entry = TimeEntryFactory(project=project, user=member, hours=Decimal("2"))
    assert entry.cost_amount == Decimal("300")

    # when the member reads it in the list and alone
    listed = api_as("member").get("/api/v1/time-entries/")
    alone = api_as("member").get(f"/api/v1/time-entries/{entry.pk}/")

    # then the hours are there but not the amounts
    assert listed.status_code == alone.status_code == 200
    row = listed.json()["results"][0]
    assert row["hours"] == "2.00"
    assert (row["cost_amount"], row["bill_amount"]) == (None, None)
    assert (alone.json()["cost_amount"], alone.json()["bill_amount"]) == (None, None)


def test_the_accountant_reads_the_amounts_of_time_entries(api_as, project, member):
    RateFactory(user=member, cost_rate=Decimal("150"), bill_rate=Decimal("400"))
    entry = TimeEntryFactory(project=project, user=member, hours=Decimal("2"))

    response = api_as("accountant").get(f"/api/v1/time-entries/{entry.pk}/")

    assert (response.json()["cost_amount"], response.json()["bill_amount"]) == (
        "300.00",
        "800.00",
    )


def test_the_time_page_shows_a_member_no_amounts(as_persona, project, member):
    RateFactory(user=member, cost_rate=Decimal("150"), bill_rate=Decimal("400"))
    TimeEntryFactory(project=project, user=member, hours=Decimal("2"))
    url = reverse("finance:time_list", args=[project.pk])

    mine = as_persona("member").get(url)
    theirs = as_persona("accountant").get(url)

    assert mine.status_code == 200
    assert "¥300.00" not in mine.content.decode()
    assert "¥800.00" not in mine.content.decode()
    assert "¥300.00" in theirs.content.decode()
