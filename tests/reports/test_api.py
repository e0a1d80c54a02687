"""/api/v1/progress-reports/: list, draft, narrative with 409, publish, PDF."""

import pytest
from django.urls import reverse

from clientfolio.reports.models import ProgressReport, ProgressReportVersion

pytestmark = pytest.mark.django_db

LIST = "/api/v1/progress-reports/"


@pytest.fixture
def drafted(plan, project, api_as):
    api = api_as("project_manager")
    response = api.post(
        LIST, {"project": project.pk, "period": "weekly", "day": "2026-11-11"}
    )
    assert response.status_code == 201, response.json()
    return api, response.json()


def test_drafting_answers_201_then_200_with_the_same_report(drafted, project):
    api, body = drafted
    again = api.post(
        LIST, {"project": project.pk, "period": "weekly", "day": "2026-11-12"}
    )
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert (body["period_start"], body["period_end"], body["status"]) == (
        "2026-11-09",
        "2026-11-15",
        "draft",
    )
    assert body["figures"]["progress"]["percent_complete"] == 52
    assert body["figures"]["budget"]["hours_total"] == "8.00"


def test_a_member_reads_no_budget_figures(drafted, api_as):
    _api, body = drafted
    member = api_as("member").get(f"{LIST}{body['id']}/").json()
    assert "budget" not in member["figures"]
    assert member["figures"]["progress"]["spi"] == "0.17"


def test_the_narrative_is_updated_and_a_stale_version_gets_409(drafted):
    api, body = drafted
    url = f"{LIST}{body['id']}/"
    ok = api.patch(
        url,
        {"summary": "顺利", "client_sections": ["progress"], "version": 1},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["summary"], ok.json()["version"]) == ("顺利", 2)
    stale = api.patch(url, {"summary": "旧", "version": 1}, format="json")
    assert stale.status_code == 409
    assert ProgressReport.objects.get().summary == "顺利"


def test_bad_input_is_a_400_with_field_errors(drafted, project):
    api, body = drafted
    url = f"{LIST}{body['id']}/"
    assert api.patch(url, {"summary": "x"}, format="json").json() == {
        "version": ["This field is required."]
    }
    bad = api.patch(url, {"client_sections": ["salaries"], "version": 1}, format="json")
    assert bad.status_code == 400
    assert "client_sections" in bad.json()
    period = api.post(LIST, {"project": project.pk, "period": "daily"})
    assert period.status_code == 400
    assert "period" in period.json()


def test_publishing_refuses_internal_sections_then_publishes(drafted, api_as):
    api, body = drafted
    url = f"{LIST}{body['id']}/"
    api.patch(
        url, {"client_sections": ["progress", "budget"], "version": 1}, format="json"
    )
    publish = f"{url}publish/"
    refused = api.post(publish, {"version": 2}, format="json")
    assert refused.status_code == 400
    assert "client_sections" in refused.json()
    assert not ProgressReportVersion.objects.exists()
    assert api_as("member").post(publish, {"version": 2}).status_code == 403
    api.patch(url, {"client_sections": ["progress"], "version": 2}, format="json")
    published = api.post(publish, {"version": 3}, format="json")
    assert published.status_code == 201, published.json()
    assert published.json()["number"] == 1
    again = api.post(publish, {"version": 4}, format="json")
    assert again.status_code == 400  # published: not a draft any more
    pdf = api.get(f"{url}pdf/?number=1&variant=internal")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        api_as("member").get(f"{url}pdf/?number=1&variant=internal").status_code == 403
    )
    assert api_as("member").get(f"{url}pdf/?number=1").status_code == 200
    assert api.get(f"{url}pdf/?number=9").status_code == 404
    assert api.get(f"{url}pdf/?number=x").status_code == 400
    # without a number, the latest version's client PDF
    latest = api.get(f"{url}pdf/")
    assert (latest.status_code, latest["Content-Type"]) == (200, "application/pdf")


def test_outsiders_do_not_see_reports(drafted, api_as):
    _api, body = drafted
    assert api_as("staff").get(f"{LIST}{body['id']}/").status_code == 404
    assert api_as("staff").get(LIST).json()["count"] == 0


def test_the_schema_names_the_endpoint():
    assert reverse("progress-report-list") == LIST
