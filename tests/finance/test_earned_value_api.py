"""Earned value through the API (GET /api/v1/projects/{id}/earned-value/) and on the
finance page, at the schedule's status date when one is set."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from clientfolio.schedule import services as schedule_services

pytestmark = pytest.mark.django_db

STATUS_DATE = date(2026, 3, 10)  # the plan fixture's hand-computed day


def url(project):
    return reverse("project-earned-value", kwargs={"pk": project.pk})


def set_status_date(project, day):
    settings_row = schedule_services.ensure_schedule(project)
    settings_row.status_date = day
    settings_row.save(update_fields=["status_date"])


INDICATORS_ON_STATUS_DATE = {
    "bac": "35000.00",
    "pv": "21500.00",
    "ev": "23750.00",
    "ac": "11000.00",
    "sv": "2250.00",
    "cv": "12750.00",
    "spi": "1.1047",
    "cpi": "2.1591",
    "eac": "16210.53",
    "etc": "5210.53",
    "vac": "18789.47",
    "eac_basis": "cpi",
}


def test_the_figures_are_measured_at_the_schedules_status_date(
    project, plan, api_as, django_assert_num_queries
):
    # given a plan and a status date set in the schedule, long before the real date
    set_status_date(project, STATUS_DATE)

    # when the manager asks for the project's earned value
    http = api_as("project_manager")
    with django_assert_num_queries(17):
        response = http.get(url(project))

    # then the indicators are those of the status date, with the S-curve
    assert response.status_code == 200, response.content
    body = response.json()
    curve = body.pop("curve")
    assert body == {
        "project": project.pk,
        "status_date": "2026-03-10",
        "currency": "CNY",
        "baseline": "基线一",
        "indicators": INDICATORS_ON_STATUS_DATE,
        "missing": [],
    }
    points = {point["on"]: point for point in curve}
    assert points["2026-03-10"] == {
        "on": "2026-03-10",
        "pv": "21500.00",
        "ev": "23750.00",
        "ac": "11000.00",
    }
    assert [point["on"] for point in curve] == sorted(points)


def test_without_a_status_date_the_figures_are_of_today(project, plan, api_as):
    # given no status date in the schedule; today is the plan's status day
    with time_machine.travel(date(2026, 3, 10), tick=False):
        # when the finance role asks
        response = api_as("accountant").get(url(project))

    # then they are measured today
    assert response.status_code == 200, response.content
    assert response.json()["status_date"] == "2026-03-10"
    assert response.json()["indicators"] == INDICATORS_ON_STATUS_DATE


def test_a_project_without_a_baseline_says_what_is_missing(project, api_as):
    # given a project with neither baseline nor budget, and a status date
    set_status_date(project, STATUS_DATE)

    # when an administrator asks
    response = api_as("admin").get(url(project))

    # then there are no indicators, and the answer says what to add
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["indicators"], body["curve"], body["baseline"]) == (None, [], "")
    assert body["status_date"] == "2026-03-10"
    assert len(body["missing"]) == 2
    assert body["missing"][0].startswith("No baseline")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("client_user", 404),
        ("staff", 404),
        ("member", 403),
        ("viewer", 403),
        ("accountant", 200),
    ],
)
def test_only_those_who_see_the_finance_page_read_it(
    project, plan, api_as, persona, status
):
    # given a status date
    set_status_date(project, STATUS_DATE)

    # when the persona asks
    response = api_as(persona).get(url(project))

    # then outsiders get 404, members and viewers 403, and no figure leaks
    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"detail"}
        assert "21500" not in response.content.decode()


def test_a_project_that_does_not_exist_is_404(api_as):
    response = api_as("admin").get("/api/v1/projects/987654/earned-value/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Project matches the given query."}


def test_the_finance_page_uses_the_status_date(project, plan, as_persona):
    # given a status date in the schedule
    set_status_date(project, STATUS_DATE)

    # when the manager opens the finance overview
    response = as_persona("project_manager").get(
        reverse("finance:overview", kwargs={"pk": project.pk})
    )

    # then earned value is measured at the status date, which the curve marks
    assert response.status_code == 200
    page = response.content.decode()
    assert "status date 2026-03-10" in page
    assert 'data-evm="pv">¥21,500.00<' in page
    assert response.context["charts"]["curve"]["today"] == "2026-03-10"
    assert response.context["chart_text"]["today"] == "Status date"
