"""Authorization rows of the closure app's URLs, merged into tests/test_authorization.py."""

import datetime

from tests.authz import (
    API,
    API_FOLDER_READ,
    FOLDER_CONTRIBUTE,
    FOLDER_CONTRIBUTE_WRITE,
    FOLDER_MANAGE,
    FOLDER_MANAGE_WRITE,
    FOLDER_READ,
    LOGIN,
    PAGE,
    Rule,
    statuses,
)


def project_pk(world):
    return {"pk": world.project.pk}


def lesson_pk(world):
    return {"pk": world.project.pk, "lesson_pk": world.lesson.pk}


def api_pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


def lesson_data(world, persona):
    return {
        "kind": "went_wrong",
        "title": "接口文档滞后",
        "text": "接口文档晚于开发两周",
        "tags": "接口, 文档",
        "recorded_on": "2026-06-01",
        "version": world.lesson.version,
    }


# The manager's pages: outsiders and client contacts 404, other roles 403.
MANAGE_POST_ONLY_GET = statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403)
# Reopening a project that is not closed: allowed, but answered with the form's error.
MANAGE_REFUSED = statuses(LOGIN, 404, 404, 400, pm=400, member=403, viewer=403)

RULES: dict[str, Rule] = {
    "closure:checklist": Rule(kwargs=project_pk, get=FOLDER_READ),
    "closure:close": Rule(
        kwargs=project_pk,
        get=MANAGE_POST_ONLY_GET,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {
            "override": "on",
            "reason": "客户要求提前结项",
            "follow_up_days": "30",
        },
    ),
    "closure:reopen": Rule(
        kwargs=project_pk,
        get=MANAGE_POST_ONLY_GET,
        post=MANAGE_REFUSED,
        data=lambda world, persona: {"reason": "补充验收"},
    ),
    "closure:lesson_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "closure:lesson_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lesson_data,
    ),
    "closure:lesson_edit": Rule(
        kwargs=lesson_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lesson_data,
    ),
    "closure:lesson_search": Rule(get=PAGE),
    "closure:handover": Rule(kwargs=project_pk, get=FOLDER_READ),
    "closure:handover_edit": Rule(
        kwargs=project_pk,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {
            "handed_over_on": "2026-06-01",
            "recipients": [world.contact.pk],
            "training": "管理员培训",
            "version": world.handover.version,
        },
    ),
    "closure:evaluation": Rule(kwargs=project_pk, get=FOLDER_READ),
    "closure:evaluation_edit": Rule(
        kwargs=project_pk,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {
            "satisfaction": "5",
            "narrative": "按期交付",
            "version": world.evaluation.version,
        },
    ),
    "closure:evaluation_pdf": Rule(kwargs=project_pk, get=FOLDER_READ),
    # --- API -------------------------------------------------------------------------
    "lesson-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=lambda world, persona: {
            "project": world.project.pk,
            "kind": "suggestion",
            "title": "接口提交的教训",
        },
    ),
    "lesson-detail": Rule(kwargs=api_pk("lesson"), get=API_FOLDER_READ),
    "project-closure-detail": Rule(kwargs=api_pk("project"), get=API_FOLDER_READ),
    "project-closure-close": Rule(
        kwargs=api_pk("project"),
        get=statuses(401, 403, 405, 405),
        post=statuses(401, 403, 404, 200, pm=200, member=403, viewer=403),
        data=lambda world, persona: {"override": "true", "reason": "提前结项"},
    ),
    "project-closure-reopen": Rule(
        kwargs=api_pk("project"),
        get=statuses(401, 403, 405, 405),
        post=statuses(401, 403, 404, 400, pm=400, member=403, viewer=403),
        data=lambda world, persona: {"reason": "补充验收"},
    ),
    # One handover and one evaluation per project: the world's project has both, so a
    # second one is refused (400) for those allowed to add.
    "handover-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 400, pm=400, member=403, viewer=403),
        data=lambda world, persona: {
            "project": world.project.pk,
            "handed_over_on": "2026-06-02",
        },
    ),
    "handover-detail": Rule(kwargs=api_pk("handover"), get=API_FOLDER_READ),
    "evaluation-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 400, pm=400, member=403, viewer=403),
        data=lambda world, persona: {"project": world.project.pk, "satisfaction": 4},
    ),
    "evaluation-detail": Rule(kwargs=api_pk("evaluation"), get=API_FOLDER_READ),
}


def world(world) -> dict:
    """A lesson, a handover record and a final evaluation on the shared project."""
    from clientfolio.closure import services
    from clientfolio.closure.models import Evaluation, Handover, Lesson

    lesson = services.save_lesson(
        Lesson(
            project=world.project,
            kind="went_well",
            title="每周对齐范围",
            text="每周五对齐",
            author=world.project_manager,
            recorded_on=datetime.date(2026, 5, 1),
        ),
        tags=["范围"],
    )
    handover = services.save_handover(
        Handover(project=world.project, handed_over_on=datetime.date(2026, 6, 1)),
        documents=[world.document],
    )
    evaluation = services.save_evaluation(
        Evaluation(project=world.project, satisfaction=4, narrative="顺利")
    )
    return {"lesson": lesson, "handover": handover, "evaluation": evaluation}


def state() -> dict:
    """The closure rows a denied request must leave untouched."""
    from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson

    rows = {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (Closure, Lesson, Handover, Evaluation)
    }
    rows["HandoverRecipients"] = list(
        Handover.recipients.through.objects.order_by("pk").values()
    )
    rows["LessonTags"] = list(Lesson.tags.through.objects.order_by("pk").values())
    return rows
