"""Authorization rows of the reports pages and API, merged into
tests/test_authorization.py (see tests/authz.py).

Satisfaction surveys: everyone on the project reads them; the manager sends them and
sets the automatic occasions. The answer page behind the e-mailed link is its own
credential (as ``comms:confirm``): anyone holding it may answer."""

from tests.authz import (
    API,
    API_FOLDER_READ,
    FOLDER_MANAGE_WRITE,
    FOLDER_READ,
    LOGIN,
    Rule,
    statuses,
)

POST_ONLY_MANAGE = statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403)


def _project(world):
    return {"pk": world.project.pk}


def _token(world):
    return {"token": world.survey_token}


RULES: dict[str, Rule] = {
    "reports:survey_list": Rule(kwargs=_project, get=FOLDER_READ),
    "reports:survey_send": Rule(
        kwargs=_project,
        get=POST_ONLY_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {"title": "季度满意度调查", "occasion": "manual"},
    ),
    "reports:survey_settings": Rule(
        kwargs=_project,
        get=POST_ONLY_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {"on_closure": "on", "reminder_days": "5"},
    ),
    "reports:survey_answer": Rule(
        kwargs=_token,
        get=statuses(200, 200, 200, 200),
        post=statuses(302, 302, 302, 302),
        data=lambda world, persona: {
            "quality": "5",
            "schedule": "4",
            "communication": "4",
            "responsiveness": "5",
            "value": "4",
            "nps": "9",
            "comment": "很好",
        },
    ),
    "survey-list": Rule(
        get=API,
        # outside the project it does not exist: 400, as an unknown id in the body
        post=statuses(401, 404, 400, 201, pm=201, member=403, viewer=403),
        data=lambda world, persona: {"project": world.project.pk, "title": "API 调查"},
    ),
    "survey-detail": Rule(
        kwargs=lambda world: {"pk": world.survey.pk}, get=API_FOLDER_READ
    ),
    "survey-invitation-list": Rule(get=API),
    "survey-invitation-detail": Rule(
        kwargs=lambda world: {"pk": world.survey_invitation.pk}, get=API_FOLDER_READ
    ),
    "survey-answer-list": Rule(get=API),
    "survey-answer-detail": Rule(
        kwargs=lambda world: {"pk": world.survey_answer.pk}, get=API_FOLDER_READ
    ),
    # The token is the credential (the e-mailed link's): anyone holding it may answer.
    "survey-answer-by-token": Rule(
        get=statuses(405, 405, 405, 405),
        post=statuses(201, 201, 201, 201),
        data=lambda world, persona: {
            "token": world.survey_token,
            "quality": 5,
            "schedule": 4,
            "communication": 4,
            "responsiveness": 5,
            "value": 4,
            "nps": 9,
        },
    ),
}


def world(world):
    """A sent survey of the shared project asking its contact 张伟 (the client persona)."""
    from django.utils import timezone

    from clientfolio.reports import surveys

    survey = surveys.create_survey(
        world.project, contacts=[world.contact], title="项目满意度调查"
    )
    survey.sent_at = timezone.now()
    survey.save(update_fields=["sent_at"])
    invitation = survey.invitations.get()
    # An earlier survey, answered, for the answers' detail.
    earlier = surveys.create_survey(
        world.project, contacts=[world.contact], title="上季度满意度调查"
    )
    earlier.sent_at = timezone.now()
    earlier.save(update_fields=["sent_at"])
    answer = surveys.answer_survey(
        earlier.invitations.get(),
        dict.fromkeys(surveys.SCORE_FIELDS, 4),
        8,
        "不错",
    )
    return {
        "survey_answer": answer,
        "survey": survey,
        "survey_invitation": invitation,
        "survey_token": surveys.invitation_token(invitation),
    }


def state() -> dict:
    from clientfolio.reports.survey_models import Answer, Invitation, Survey

    return {
        "Survey": list(Survey.objects.order_by("pk").values()),
        "Invitation": list(Invitation.objects.order_by("pk").values()),
        "Answer": list(Answer.objects.order_by("pk").values()),
    }
