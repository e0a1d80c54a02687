"""The satisfaction pages: the project's page (exact queries), sending, the answer page
behind the link (and its bad input), the portal's waiting list, the client panel."""

import pytest
from django.db import connection
from django.test import Client as BrowserClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientfolio.reports import surveys
from clientfolio.reports.survey_models import Answer, Invitation, Survey
from tests.reports.factories import AnswerFactory

GOOD = {
    "quality": "5",
    "schedule": "4",
    "communication": "4",
    "responsiveness": "5",
    "value": "4",
    "nps": "9",
    "comment": "交付及时",
}


@pytest.fixture
def sent(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        survey = surveys.create_survey(project, title="一期满意度调查")
        surveys.send_survey(survey)
    survey.invitations.update(language="en")
    return survey


def _link(invitation):
    return reverse(
        "reports:survey_answer", kwargs={"token": surveys.invitation_token(invitation)}
    )


def _answers(survey, count):
    for _ in range(count):
        extra = surveys.create_survey(survey.project, title="附加")
        extra.sent_at = survey.sent_at
        extra.save()
        for invitation in extra.invitations.all():
            AnswerFactory(invitation=invitation, comment="<b>好</b>")


@pytest.mark.parametrize("count", [1, 5])
def test_the_project_page_takes_the_same_queries_for_1_and_5_surveys(
    sent, as_persona, django_assert_num_queries, count
):
    _answers(sent, count)
    http = as_persona("project_manager")
    url = reverse("reports:survey_list", kwargs={"pk": sent.project_id})
    with django_assert_num_queries(11):  # 2 of them the folder's tab counts
        response = http.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;b&gt;好&lt;/b&gt;" in body
    assert "as of" in body
    assert 'id="survey-trend-data"' in body


def test_the_manager_sends_a_survey_and_bad_input_saves_nothing(project, as_persona):
    http = as_persona("project_manager")
    url = reverse("reports:survey_send", kwargs={"pk": project.pk})
    response = http.post(url, {"title": "x" * 201, "occasion": "manual"})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    response = http.post(url, {"title": "", "occasion": "weekly"})
    assert response.status_code == 400
    assert not Survey.objects.exists()
    response = http.post(url, {"title": "季度调查", "occasion": "period"})
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.sent_at is not None
    assert survey.invitations.count() == 2


def test_the_settings_refuse_a_reminder_out_of_range(project, as_persona):
    http = as_persona("project_manager")
    url = reverse("reports:survey_settings", kwargs={"pk": project.pk})
    response = http.post(url, {"reminder_days": "90"})
    assert response.status_code == 400
    assert "1 to 60 days" in response.content.decode()
    assert http.post(url, {"reminder_days": "3"}).status_code == 302
    assert surveys.settings_of(project).reminder_days == 3


def test_a_contact_answers_from_the_link_without_logging_in(sent):
    invitation = sent.invitations.get(contact__name="张伟")
    http = BrowserClient()
    page = http.get(_link(invitation))
    assert page.status_code == 200
    assert "一期满意度调查" in page.content.decode()
    response = http.post(_link(invitation), GOOD, follow=True)
    assert "your answer was recorded" in response.content.decode()
    answer = Answer.objects.get()
    assert (answer.quality, answer.nps, answer.comment) == (5, 9, "交付及时")
    again = http.post(_link(invitation), GOOD)
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quality": "6"}, "from 1 (very unhappy) to 5"),
        ({"nps": "11"}, "from 0 to 10"),
        ({"nps": ""}, "from 0 to 10"),
        ({"comment": "长" * 5001}, "5000 characters"),
    ],
)
def test_bad_scores_get_a_clear_message_and_save_nothing(sent, change, message):
    invitation = sent.invitations.first()
    response = BrowserClient().post(_link(invitation), {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_a_damaged_link_and_a_link_of_another_contact_are_refused(
    sent, client_user, as_persona
):
    invitation = sent.invitations.get(contact__name="李娜")
    damaged = BrowserClient(headers={"accept-language": "en"}).post(
        _link(invitation)[:-3] + "xx/", GOOD
    )
    assert damaged.status_code == 400
    assert "damaged" in damaged.content.decode()
    contact = sent.project.client.contacts.get(name="张伟")
    contact.portal_user = client_user
    contact.save()
    other = as_persona("client_user").post(_link(invitation), GOOD)
    assert other.status_code == 403
    assert "another person" in other.content.decode()
    assert not Answer.objects.exists()


def test_a_portal_user_sees_the_survey_waiting_and_answers_it_there(
    sent, client_user, as_persona
):
    contact = sent.project.client.contacts.get(name="张伟")
    contact.portal_user = client_user
    contact.save()
    http = as_persona("client_user")
    home = http.get(reverse("portal:home")).content.decode()
    link = _link(Invitation.objects.get(contact=contact))
    assert "一期满意度调查" in home
    assert 'data-kind="survey"' in home
    assert http.post(link, GOOD).status_code == 302
    home = http.get(reverse("portal:home")).content.decode()
    assert 'data-kind="survey"' not in home


def test_the_client_page_shows_the_satisfaction_panel(sent, as_persona):
    surveys.answer_survey(
        sent.invitations.first(), {k: int(GOOD[k]) for k in surveys.SCORE_FIELDS}, 10
    )
    http = as_persona("staff")  # the client's account owner, on no project
    body = http.get(
        reverse("clients:client_detail", kwargs={"pk": sent.project.client_id})
    ).content.decode()
    assert 'id="client-satisfaction"' not in body  # the answers are the project's
    body = (
        as_persona("project_manager")
        .get(reverse("clients:client_detail", kwargs={"pk": sent.project.client_id}))
        .content.decode()
    )
    assert 'id="client-satisfaction"' in body
    assert 'id="client-csat">4.40' in body


def test_the_overview_links_the_satisfaction_page(sent, as_persona):
    body = (
        as_persona("member")
        .get(reverse("projects:project_detail", kwargs={"pk": sent.project_id}))
        .content.decode()
    )
    assert 'id="satisfaction-card"' in body
    assert reverse("reports:survey_list", kwargs={"pk": sent.project_id}) in body


def test_the_client_panel_takes_the_same_queries_for_1_and_4_answers(sent, as_persona):
    http = as_persona("project_manager")
    url = reverse("clients:client_detail", kwargs={"pk": sent.project.client_id})

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert http.get(url).status_code == 200
        panel = [q for q in queries.captured_queries if "reports_answer" in q["sql"]]
        return len(queries.captured_queries), len(panel)

    _answers(sent, 1)
    one = measure()
    _answers(sent, 3)
    assert measure() == one
    # the latest answers and the figures, and the client analysis's satisfaction
    assert one[1] == 3


def test_the_answer_page_is_in_the_contacts_language_unless_they_switch(sent):
    invitation = sent.invitations.first()
    invitation.language = "zh-hans"
    invitation.save()
    http = BrowserClient(headers={"accept-language": "en"})
    assert "提交答复" in http.get(_link(invitation)).content.decode()
    http.cookies["django_language"] = "en"
    assert "Send my answer" in http.get(_link(invitation)).content.decode()
