"""Authorization rows of the reports pages and API, merged into
tests/test_authorization.py (see tests/authz.py).

Satisfaction surveys: everyone on the project reads them; the manager sends them and
sets the automatic occasions. The answer page behind the e-mailed link is its own
credential (as ``comms:confirm``): anyone holding it may answer."""

import datetime

from tests.authz import (
    ADMIN_PAGE,
    ADMIN_WRITE,
    API,
    API_FOLDER_READ,
    FOLDER_CONTRIBUTE_WRITE,
    FOLDER_MANAGE_WRITE,
    FOLDER_READ,
    LOGIN,
    PAGE,
    Rule,
    portal_statuses,
    statuses,
)

# --- progress reports (issue 13) -------------------------------------------------------

CONTRIBUTE_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=405, viewer=403
)
MANAGE_POST_ONLY_GET = statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403)
CLIENT_ONLY = portal_statuses(LOGIN, 200, 404, 404)


def project_pk(world):
    return {"pk": world.project.pk}


def draft_pk(world):
    return {"pk": world.project.pk, "report_pk": world.progress_draft.pk}


def published_pk(world):
    return {"pk": world.project.pk, "report_pk": world.progress_published.pk}


def version_data(attr):
    return lambda world, persona: {"version": getattr(world, attr).version}


def narrative_data(world, persona):
    return {
        "summary": "本周完成接口联调",
        "next_steps": "下周上线",
        "client_notes": "",
        "internal_notes": "",
        "client_sections": ["progress", "tasks"],
        "version": world.progress_draft.version,
    }


def portal_version(world):
    return {"pk": world.project.pk, "version_pk": world.progress_version.pk}


RULES: dict[str, Rule] = {
    # Every internal user reaches the portfolio and the client analysis; what they show
    # is scoped (tests/reports/test_portfolio.py, test_client_analysis.py).
    "reports:portfolio": Rule(get=PAGE),
    "reports:client_analysis": Rule(get=PAGE),
    # The search is the staff's: what it finds is scoped (tests/reports/test_search.py).
    "reports:search": Rule(get=PAGE, query="?q=客户数据"),
    "search-api": Rule(get=API, query="?q=客户数据"),
    "reports:report_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "reports:report_draft": Rule(
        kwargs=project_pk,
        get=CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"period": "monthly"},
    ),
    "reports:report_schedule": Rule(
        kwargs=project_pk,
        get=MANAGE_POST_ONLY_GET,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {"cadence": "weekly"},
    ),
    "reports:report_detail": Rule(
        kwargs=draft_pk,
        get=FOLDER_READ,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=narrative_data,
    ),
    "reports:report_refresh": Rule(
        kwargs=draft_pk,
        get=CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=version_data("progress_draft"),
    ),
    "reports:report_publish": Rule(
        kwargs=draft_pk,
        get=MANAGE_POST_ONLY_GET,
        post=FOLDER_MANAGE_WRITE,
        data=version_data("progress_draft"),
    ),
    "reports:report_reopen": Rule(
        kwargs=published_pk,
        get=CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=version_data("progress_published"),
    ),
    "reports:report_pdf": Rule(
        kwargs=lambda world: {
            **published_pk(world),
            "number": 1,
            "variant": "client",
        },
        get=FOLDER_READ,
    ),
    # --- the portal -------------------------------------------------------------------
    "portal:report_list": Rule(kwargs=project_pk, get=CLIENT_ONLY),
    "portal:report_detail": Rule(kwargs=portal_version, get=CLIENT_ONLY),
    "portal:report_pdf": Rule(kwargs=portal_version, get=CLIENT_ONLY),
}


def _progress_world(world):
    """This week's draft report and last week's, published (version 1)."""
    from clientfolio.reports import services

    today = datetime.date(2026, 11, 11)
    draft, _created = services.draft_report(
        world.project, "weekly", today=today, user=world.project_manager
    )
    published, _created = services.draft_report(
        world.project,
        "weekly",
        today=today - datetime.timedelta(days=7),
        user=world.project_manager,
    )
    version = services.publish_report(
        published, user=world.project_manager, expected_version=published.version
    )
    published.refresh_from_db()
    return {
        "progress_draft": draft,
        "progress_published": published,
        "progress_version": version,
    }


def _progress_state() -> dict:
    """The report rows a denied request must leave untouched."""
    from clientfolio.reports.models import (
        ProgressReport,
        ProgressReportVersion,
        ReportSchedule,
    )

    return {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (ProgressReport, ProgressReportVersion, ReportSchedule)
    }


__all__ = ["API", "API_FOLDER_READ"]


def api_report(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


API_CONTRIBUTE = statuses(401, 403, 404, 200, pm=200, member=200, viewer=403)
API_MANAGE_CREATED = statuses(401, 403, 404, 201, pm=201, member=403, viewer=403)

RULES.update(
    {
        "progress-report-list": Rule(
            get=API,
            post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
            data=lambda world, persona: {
                "project": world.project.pk,
                "period": "monthly",
                "day": "2026-10-15",
            },
        ),
        "progress-report-detail": Rule(
            kwargs=api_report("progress_draft"), get=API_FOLDER_READ
        ),
        "progress-report-publish": Rule(
            kwargs=api_report("progress_draft"),
            get=statuses(401, 403, 405, 405),
            post=API_MANAGE_CREATED,
            data=lambda world, persona: {"version": world.progress_draft.version},
        ),
        "progress-report-pdf": Rule(
            kwargs=api_report("progress_published"),
            get=API_FOLDER_READ,
            query="?number=1&variant=client",
        ),
    }
)


# --- satisfaction surveys (issue 13) --------------------------------------------------

POST_ONLY_MANAGE = statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403)


def _project(world):
    return {"pk": world.project.pk}


def _token(world):
    return {"token": world.survey_token}


RULES.update(
    {
        "reports:survey_list": Rule(kwargs=_project, get=FOLDER_READ),
        "reports:survey_send": Rule(
            kwargs=_project,
            get=POST_ONLY_MANAGE,
            post=FOLDER_MANAGE_WRITE,
            data=lambda world, persona: {
                "title": "季度满意度调查",
                "occasion": "manual",
            },
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
            data=lambda world, persona: {
                "project": world.project.pk,
                "title": "API 调查",
            },
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
)


def _survey_world(world):
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


def _survey_state() -> dict:
    from clientfolio.reports.survey_models import Answer, Invitation, Survey

    return {
        "Survey": list(Survey.objects.order_by("pk").values()),
        "Invitation": list(Invitation.objects.order_by("pk").values()),
        "Answer": list(Answer.objects.order_by("pk").values()),
    }


def world(world):
    return {**_progress_world(world), **_survey_world(world)}


def state() -> dict:
    return {**_progress_state(), **_survey_state()}


# The firm's progress-report template is the administrators' (tests/reports/test_template.py).
RULES["reports:report_template"] = Rule(
    get=ADMIN_PAGE,
    post=ADMIN_WRITE,
    data=lambda world, persona: {
        "progress_shown": "on",
        "progress_order": "1",
        "progress_client": "on",
        **{
            f"{s}_order": str(n)
            for n, s in enumerate(
                [
                    "tasks",
                    "milestones",
                    "communication",
                    "changes",
                    "risks",
                    "budget",
                    "waiting",
                ],
                2,
            )
        },
    },
)
