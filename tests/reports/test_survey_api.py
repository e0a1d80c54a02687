"""The surveys API: list and create/send with the page's permissions, invitations and
answers, and answering with the token (field errors for bad input, nothing saved)."""

import pytest
from rest_framework.test import APIClient

from clientfolio.reports import surveys
from clientfolio.reports.survey_models import Answer, Survey

GOOD = {
    "quality": 5,
    "schedule": 4,
    "communication": 4,
    "responsiveness": 5,
    "value": 4,
    "nps": 9,
    "comment": "好",
}


@pytest.fixture
def sent(project):
    survey = surveys.create_survey(project, title="一期满意度调查")
    return surveys.send_survey(survey)


def test_the_manager_creates_and_sends_a_survey(project, api_as):
    response = api_as("project_manager").post(
        "/api/v1/surveys/",
        {"project": project.pk, "occasion": "period", "title": "季度"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["invited"], body["answered"]) == ("季度", 2, 0)
    assert body["sent_at"] is not None


def test_bad_input_to_create_gets_field_errors(project, api_as):
    http = api_as("project_manager")
    response = http.post(
        "/api/v1/surveys/", {"project": project.pk, "occasion": "weekly"}, format="json"
    )
    assert response.status_code == 400
    assert "occasion" in response.json()
    assert http.post("/api/v1/surveys/", {}, format="json").json().keys() == {"project"}
    assert not Survey.objects.exists()


def test_a_member_may_read_but_not_send(sent, api_as):
    http = api_as("member")
    assert http.get("/api/v1/surveys/").json()["count"] == 1
    response = http.post(
        "/api/v1/surveys/", {"project": sent.project_id}, format="json"
    )
    assert response.status_code == 403
    assert Survey.objects.count() == 1


def test_an_outsider_sees_no_survey_and_cannot_name_the_project(sent, api_as):
    http = api_as("staff")
    assert http.get("/api/v1/surveys/").json()["count"] == 0
    assert http.get(f"/api/v1/surveys/{sent.pk}/").status_code == 404
    response = http.post(
        "/api/v1/surveys/", {"project": sent.project_id}, format="json"
    )
    assert response.status_code == 400
    assert "project" in response.json()


def test_answering_with_the_token_and_the_bad_cases(sent, api_as):
    invitation = sent.invitations.get(contact__name="张伟")
    token = surveys.invitation_token(invitation)
    http = APIClient()
    url = "/api/v1/survey-answers/by-token/"
    bad = http.post(url, {**GOOD, "token": token, "quality": 6}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["quality"]
    damaged = http.post(url, {**GOOD, "token": token + "x"}, format="json")
    assert damaged.status_code == 400
    assert "token" in damaged.json()
    assert not Answer.objects.exists()
    good = http.post(url, {**GOOD, "token": token}, format="json")
    assert good.status_code == 201
    assert good.json()["nps"] == 9
    twice = http.post(url, {**GOOD, "token": token}, format="json")
    assert twice.status_code == 409
    assert Answer.objects.count() == 1
    answers = api_as("viewer").get(f"/api/v1/survey-answers/?survey={sent.pk}")
    assert [a["contact_name"] for a in answers.json()["results"]] == ["张伟"]
    invitations = api_as("viewer").get(f"/api/v1/survey-invitations/?survey={sent.pk}")
    assert invitations.json()["count"] == 2


def test_a_client_contact_cannot_use_the_token_of_another(sent, client_user, api_as):
    contact = sent.project.client.contacts.get(name="张伟")
    contact.portal_user = client_user
    contact.save()
    other = sent.invitations.get(contact__name="李娜")
    response = api_as("client_user").post(
        "/api/v1/survey-answers/by-token/",
        {**GOOD, "token": surveys.invitation_token(other)},
        format="json",
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()
    assert api_as("client_user").get("/api/v1/surveys/").status_code == 404
