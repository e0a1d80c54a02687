"""The survey services: creating and sending, answering (and its bad input), the
follow-up visit, reminders, the automatic occasions and the closure's satisfaction."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import IntegrityError
from django.utils import timezone, translation

from clientfolio.clients.models import FollowUp
from clientfolio.reports import surveys
from clientfolio.reports.survey_models import Answer, Invitation, Survey, SurveySettings

GOOD = {
    "quality": 5,
    "schedule": 4,
    "communication": 5,
    "responsiveness": 4,
    "value": 4,
}


@pytest.fixture(autouse=True)
def english():
    """Messages in English, whatever ran before (the firm's default is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def sent(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        survey = surveys.create_survey(project, user=project.manager)
        surveys.send_survey(survey)
    return survey


def test_a_survey_invites_every_contact_and_emails_them_after_commit(project, sent):
    assert sent.invitations.count() == 2
    assert sorted(m.to[0].split("<")[1] for m in mail.outbox) == [
        "li.na@yunfan.cn>",
        "zhang.wei@yunfan.cn>",
    ]
    assert "客户数据平台一期" in mail.outbox[0].body
    assert "/surveys/answer/" in mail.outbox[0].body
    assert Invitation.objects.filter(emailed_at__isnull=False).count() == 2


def test_sending_twice_is_refused_and_emails_once(sent):
    with pytest.raises(surveys.SurveyError, match="sent already"):
        surveys.send_survey(sent)
    assert surveys.send_survey_emails(sent.pk) == 0
    assert len(mail.outbox) == 2


def test_an_email_is_in_the_contacts_language(
    project, django_capture_on_commit_callbacks
):
    contact = project.client.contacts.get(name="张伟")
    with django_capture_on_commit_callbacks(execute=True):
        survey = surveys.create_survey(project, contacts=[contact])
        survey.invitations.update(language="en")
        surveys.send_survey(survey)
    assert mail.outbox[0].body.startswith("Dear 张伟")


def test_a_contact_of_another_client_cannot_be_asked(project):
    from tests.clients.factories import ContactFactory

    with pytest.raises(surveys.SurveyError, match="project's client"):
        surveys.create_survey(project, contacts=[ContactFactory()])
    assert not Survey.objects.exists()


def test_the_token_names_the_invitation_and_refuses_tampering_and_others(sent):
    invitation = sent.invitations.first()
    token = surveys.invitation_token(invitation)
    assert surveys.read_token(token) == invitation
    with pytest.raises(surveys.LinkError) as error:
        surveys.read_token(token[:-2] + "xx")
    assert error.value.status == 400
    other = sent.invitations.exclude(pk=invitation.pk).get().contact
    with pytest.raises(surveys.LinkError) as error:
        surveys.read_token(token, contact=other)
    assert error.value.kind == "other"


def test_an_expired_token_is_refused(sent, time_machine):
    token = surveys.invitation_token(sent.invitations.first())
    time_machine.move_to(timezone.now() + timedelta(days=61))
    with pytest.raises(surveys.LinkError) as error:
        surveys.read_token(token)
    assert error.value.status == 410


def test_a_good_answer_is_saved_once_and_opens_no_follow_up(sent):
    invitation = sent.invitations.first()
    follow_ups = FollowUp.objects.count()
    answer = surveys.answer_survey(invitation, GOOD, 9, " 很好 ")
    assert (answer.quality, answer.nps, answer.comment) == (5, 9, "很好")
    assert answer.follow_up is None
    assert FollowUp.objects.count() == follow_ups
    with pytest.raises(surveys.SurveyError, match="already answered"):
        surveys.answer_survey(invitation, GOOD, 10)
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("scores", "nps", "field"),
    [
        ({**GOOD, "quality": 6}, 9, "quality"),
        ({**GOOD, "value": 0}, 9, "value"),
        ({**GOOD, "schedule": "abc"}, 9, "schedule"),
        (GOOD, 11, "nps"),
        (GOOD, None, "nps"),
    ],
)
def test_a_score_out_of_range_saves_nothing(sent, scores, nps, field):
    with pytest.raises(surveys.SurveyError) as error:
        surveys.answer_survey(sent.invitations.first(), scores, nps)
    assert error.value.field == field
    assert not Answer.objects.exists()


def test_the_database_allows_one_answer_per_contact_and_survey(sent):
    from tests.reports.factories import AnswerFactory

    answer = AnswerFactory(invitation=sent.invitations.first())
    with pytest.raises(IntegrityError):
        Answer.objects.create(
            survey=answer.survey,
            invitation=sent.invitations.exclude(pk=answer.invitation_id).get(),
            contact=answer.contact,
            answered_at=timezone.now(),
            nps=1,
            **GOOD,
        )


def test_a_detractor_opens_a_follow_up_for_the_account_manager(sent, staff):
    invitation = sent.invitations.get(contact__name="张伟")
    answer = surveys.answer_survey(invitation, {**GOOD, "schedule": 2}, 5, "太慢")
    follow_up = answer.follow_up
    assert follow_up.owner == staff  # the client's account owner
    assert follow_up.contact.name == "张伟"
    # in the firm's language, whoever answered
    assert "进度 2" in follow_up.purpose
    assert "推荐意愿 5" in follow_up.purpose


def test_the_follow_up_is_worded_in_the_account_manager_s_language(sent, staff):
    staff.language = "en"
    staff.save(update_fields=["language"])
    invitation = sent.invitations.get(contact__name="张伟")
    with translation.override("zh-hans"):  # whoever triggered it reads Chinese
        answer = surveys.answer_survey(invitation, {**GOOD, "schedule": 2}, 5)
    purpose = answer.follow_up.purpose
    assert purpose.startswith("Survey follow-up: 张伟 on ")
    assert "Schedule 2" in purpose
    assert "进度" not in purpose


def test_one_reminder_after_the_days_and_never_a_second(
    sent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    surveys.answer_survey(sent.invitations.get(contact__name="张伟"), GOOD, 9)
    now = timezone.now()
    assert surveys.remind_unanswered(now + timedelta(days=6)) == 0
    later = now + timedelta(days=7, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.remind_unanswered(later) == 1
    assert surveys.remind_unanswered(later) == 0
    assert len(mail.outbox) == 1
    assert "li.na@" in mail.outbox[0].to[0]


def test_closing_a_project_sends_its_closure_survey_once(
    project, django_capture_on_commit_callbacks
):
    from clientfolio.closure.services import close_project

    with django_capture_on_commit_callbacks(execute=True):
        close_project(project, user=project.manager, override=True, reason="测试")
    survey = Survey.objects.get(project=project)
    assert survey.occasion == "closure"
    assert survey.sent_at is not None
    key = survey.source_key
    assert surveys.survey_for_event(project.pk, "closure", key) is None


def test_closure_surveys_can_be_turned_off(project, django_capture_on_commit_callbacks):
    from clientfolio.closure.services import close_project

    SurveySettings.objects.create(project=project, on_closure=False)
    with django_capture_on_commit_callbacks(execute=True):
        close_project(project, user=project.manager, override=True, reason="测试")
    assert not Survey.objects.exists()


def test_a_milestone_acceptance_survey_is_opt_in(project):
    from clientfolio.core.models import Event
    from clientfolio.reports.handlers import handle_event
    from tests.schedule.factories import TaskFactory

    milestone = TaskFactory(project=project, is_milestone=True)
    event = Event.objects.create(
        kind="deliverable.accepted",
        target_type="schedule.task",
        target_id=milestone.pk,
        project_id=project.pk,
        occurred_at=timezone.now(),
    )
    handle_event(event)
    assert not Survey.objects.exists()
    SurveySettings.objects.create(project=project, on_milestone_acceptance=True)
    handle_event(event)
    handle_event(event)
    assert Survey.objects.get().occasion == "milestone"


def test_the_final_evaluation_takes_its_satisfaction_from_the_answers(sent):
    from clientfolio.closure.services import evaluation_figures

    surveys.answer_survey(sent.invitations.first(), GOOD, 9)  # mean 4.4
    figures = evaluation_figures(sent.project)
    assert (figures.satisfaction, figures.satisfaction_source) == (4, "surveys")


def test_the_evaluation_page_says_the_satisfaction_comes_from_the_surveys(
    sent, as_persona
):
    from django.urls import reverse

    surveys.answer_survey(sent.invitations.first(), GOOD, 9)
    page = as_persona("project_manager").get(
        reverse("closure:evaluation", kwargs={"pk": sent.project_id})
    )
    assert 'id="satisfaction-from-surveys"' in page.content.decode()


def test_a_bad_signature_is_tampered():
    with pytest.raises(surveys.LinkError) as error:
        surveys.read_token(signing.dumps({"x": 1}, salt=surveys.TOKEN_SALT))
    assert error.value.kind == "tampered"
