"""Dates outside 1970-01-01..2200-12-31 are a 400 with a field error on the finance, risk,
quality, closure and client records (they used to be stored, or answered 500 further on)."""

import datetime
from decimal import Decimal

import pytest

from clientfolio.finance.models import Expense
from clientfolio.quality.models import QualityReview
from clientfolio.risks import services as risk_services
from clientfolio.risks.models import Risk
from tests.clients.factories import ContractFactory, FollowUpFactory, PaymentFactory
from tests.closure.factories import LessonFactory

ABSURD = ["9999-12-31", "0001-01-01"]
MESSAGE = "Enter a date between 1970-01-01 and 2200-12-31."


def _refused(response, field):
    assert response.status_code == 400, response.content
    assert response.json()[field] == [MESSAGE]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.parametrize("day", ABSURD)
def test_an_expense_on_an_absurd_date_is_refused(project, project_manager, api_as, day):
    expense = Expense.objects.create(
        project=project,
        category="travel",
        spent_on=datetime.date(2026, 11, 2),
        amount=Decimal("860"),
        description="差旅费",
        submitted_by=project_manager,
    )

    response = api_as("project_manager").patch(
        f"/api/v1/expenses/{expense.pk}/",
        {"spent_on": day, "version": expense.version},
        format="json",
    )

    _refused(response, "spent_on")
    expense.refresh_from_db()
    assert expense.spent_on == datetime.date(2026, 11, 2)


@pytest.mark.parametrize("day", ABSURD)
def test_a_time_entry_on_an_absurd_date_is_refused(project, api_as, day):
    response = api_as("project_manager").post(
        "/api/v1/time-entries/",
        {"project": project.pk, "worked_on": day, "hours": "2"},
        format="json",
    )

    _refused(response, "worked_on")


@pytest.mark.parametrize("day", ABSURD)
def test_a_risk_review_date_out_of_range_is_refused(
    project, project_manager, api_as, day
):
    risk = risk_services.create_risk(
        Risk(project=project, title="需求变更频繁", probability=3, impact=3),
        user=project_manager,
    )

    response = api_as("project_manager").patch(
        f"/api/v1/risks/{risk.pk}/",
        {"review_on": day, "version": risk.version},
        format="json",
    )

    _refused(response, "review_on")


@pytest.mark.parametrize("day", ABSURD)
def test_a_quality_review_date_out_of_range_is_refused(project, api_as, day):
    review = QualityReview.objects.create(
        project=project, title="设计评审", reviewed_on=datetime.date(2026, 10, 9)
    )

    response = api_as("project_manager").patch(
        f"/api/v1/quality-reviews/{review.pk}/",
        {"reviewed_on": day, "version": review.version},
        format="json",
    )

    _refused(response, "reviewed_on")


@pytest.mark.parametrize("day", ABSURD)
def test_a_lesson_date_out_of_range_is_refused(project, project_manager, api_as, day):
    lesson = LessonFactory(project=project, author=project_manager)

    response = api_as("project_manager").patch(
        f"/api/v1/lessons/{lesson.pk}/",
        {"recorded_on": day, "version": lesson.version},
        format="json",
    )

    _refused(response, "recorded_on")


@pytest.mark.parametrize("day", ABSURD)
@pytest.mark.parametrize(
    ("endpoint", "field"),
    [("contracts", "ends_on"), ("payments", "received_on"), ("follow-ups", "next_on")],
)
def test_client_dates_out_of_range_are_refused(
    client_record, admin_api, endpoint, field, day
):
    contract = ContractFactory(client=client_record)
    record = {
        "contracts": lambda: contract,
        "payments": lambda: PaymentFactory(contract=contract),
        "follow-ups": lambda: FollowUpFactory(client=client_record),
    }[endpoint]()

    response = admin_api.patch(
        f"/api/v1/{endpoint}/{record.pk}/",
        {field: day, "version": record.version},
        format="json",
    )

    _refused(response, field)
