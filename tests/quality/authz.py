"""Authorization rows of the quality app's URLs, merged into tests/test_authorization.py.

Folder records: every project role views, the manager and members add and change, the
manager deletes. Recording a client's acceptance is the manager's alone."""

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
    Rule,
    statuses,
)

FOLDER_MANAGE_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=403, viewer=403
)
FOLDER_CONTRIBUTE_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=405, viewer=403
)
API_CONTRIBUTE_CREATE = statuses(401, 403, 400, 201, pm=201, member=201, viewer=403)
API_POST_ONLY_GET = statuses(401, 403, 405, 405)


def project_pk(world):
    return {"pk": world.project.pk}


def record(kwarg, attr):
    return lambda world: {"pk": world.project.pk, kwarg: getattr(world, attr).pk}


def api_pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


def deliverable_data(world, persona):
    return {
        "name": "系统测试报告（改）",
        "milestone": world.milestone.pk,
        "status": "submitted",
        "version": world.deliverable.version,
    }


def standard_data(world, persona):
    return {
        "category": "technical",
        "title": "接口性能（改）",
        "target": "P95 ≤ 250 ms",
        "version": world.quality_standard.version,
    }


def review_data(world, persona):
    item = world.failed_item
    return {
        "title": "原型评审（复审）",
        "deliverable": world.deliverable.pk,
        "reviewed_on": "2026-10-09",
        "version": world.quality_review.version,
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": item.pk,
        "items-0-criterion": item.criterion,
        "items-0-result": "pass",
        "items-0-findings": "",
    }


def new_review_data(world, persona):
    return {
        "title": "新评审",
        "reviewed_on": "2026-10-09",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-criterion": "界面符合规范",
        "items-0-result": "pass",
    }


def acceptance_data(world, persona):
    return {
        "deliverable": world.deliverable.pk,
        "decision": "rejected",
        "contact": world.contact.pk,
        "decided_on": "2026-10-20",
        "comments": "缺少测试用例",
    }


def action_data(world, persona):
    return {
        "problem": "评审漏项（改）",
        "status": "do",
        "version": world.improvement_action.version,
    }


RULES: dict[str, Rule] = {
    "quality:deliverable_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "quality:deliverable_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"name": "用户手册", "status": "planned"},
    ),
    "quality:deliverable_detail": Rule(
        kwargs=record("deliverable_pk", "deliverable"), get=FOLDER_READ
    ),
    "quality:deliverable_edit": Rule(
        kwargs=record("deliverable_pk", "deliverable"),
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=deliverable_data,
    ),
    "quality:deliverable_delete": Rule(
        kwargs=record("deliverable_pk", "deliverable"),
        get=FOLDER_MANAGE_POST_ONLY_GET,
        post=FOLDER_MANAGE_WRITE,
    ),
    "quality:standard_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "quality:standard_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"category": "service", "title": "问题响应"},
    ),
    "quality:standard_edit": Rule(
        kwargs=record("standard_pk", "quality_standard"),
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=standard_data,
    ),
    "quality:standard_delete": Rule(
        kwargs=record("standard_pk", "quality_standard"),
        get=FOLDER_MANAGE_POST_ONLY_GET,
        post=FOLDER_MANAGE_WRITE,
    ),
    "quality:review_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "quality:review_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=new_review_data,
    ),
    "quality:review_item_row": Rule(
        kwargs=project_pk, get=FOLDER_CONTRIBUTE, query="?index=3"
    ),
    "quality:review_detail": Rule(
        kwargs=record("review_pk", "quality_review"), get=FOLDER_READ
    ),
    "quality:review_edit": Rule(
        kwargs=record("review_pk", "quality_review"),
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=review_data,
    ),
    "quality:review_delete": Rule(
        kwargs=record("review_pk", "quality_review"),
        get=FOLDER_MANAGE_POST_ONLY_GET,
        post=FOLDER_MANAGE_WRITE,
    ),
    "quality:review_item_issue": Rule(
        kwargs=record("item_pk", "failed_item"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
    ),
    "quality:acceptance_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "quality:acceptance_detail": Rule(
        kwargs=record("acceptance_pk", "acceptance"), get=FOLDER_READ
    ),
    "quality:acceptance_create": Rule(
        kwargs=project_pk,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=acceptance_data,
    ),
    "quality:action_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "quality:action_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"problem": "变更未通知测试", "status": "plan"},
    ),
    "quality:action_detail": Rule(
        kwargs=record("action_pk", "improvement_action"), get=FOLDER_READ
    ),
    "quality:action_edit": Rule(
        kwargs=record("action_pk", "improvement_action"),
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=action_data,
    ),
    "quality:action_delete": Rule(
        kwargs=record("action_pk", "improvement_action"),
        get=FOLDER_MANAGE_POST_ONLY_GET,
        post=FOLDER_MANAGE_WRITE,
    ),
    # --- API ---------------------------------------------------------------------------
    "quality-standard-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {
            "project": world.project.pk,
            "category": "management",
            "title": "接口新建的标准",
        },
    ),
    "quality-standard-detail": Rule(
        kwargs=api_pk("quality_standard"), get=API_FOLDER_READ
    ),
    "deliverable-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {
            "project": world.project.pk,
            "name": "接口新建的交付物",
        },
    ),
    "deliverable-detail": Rule(kwargs=api_pk("deliverable"), get=API_FOLDER_READ),
    "quality-review-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {
            "project": world.project.pk,
            "title": "接口评审",
            "reviewed_on": "2026-10-09",
        },
    ),
    "quality-review-detail": Rule(kwargs=api_pk("quality_review"), get=API_FOLDER_READ),
    "quality-review-open-issue": Rule(
        kwargs=api_pk("quality_review"),
        get=API_POST_ONLY_GET,
        post=statuses(401, 403, 404, 201, pm=201, member=201, viewer=403),
        data=lambda world, persona: {"item": world.failed_item.pk},
    ),
    "acceptance-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=403, viewer=403),
        data=lambda world, persona: {
            "project": world.project.pk,
            **acceptance_data(world, persona),
        },
    ),
    "acceptance-detail": Rule(kwargs=api_pk("acceptance"), get=API_FOLDER_READ),
    "improvement-action-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {
            "project": world.project.pk,
            "problem": "接口新建的改进",
        },
    ),
    "improvement-action-detail": Rule(
        kwargs=api_pk("improvement_action"), get=API_FOLDER_READ
    ),
}


def world(world) -> dict:
    """A deliverable on the world's milestone, a standard, a review with a failed item,
    the client's acceptance of the deliverable and an improvement action."""
    from clientfolio.quality import services
    from clientfolio.quality.models import (
        Deliverable,
        ImprovementAction,
        QualityReview,
        QualityStandard,
        ReviewItem,
    )

    deliverable = services.save_deliverable(
        Deliverable(
            project=world.project,
            milestone=world.milestone,
            name="原型说明书",
            acceptance_criteria="覆盖全部页面",
            status="submitted",
        )
    )
    review = services.save_review(
        QualityReview(
            project=world.project,
            deliverable=deliverable,
            title="原型评审",
            reviewed_on=datetime.date(2026, 10, 9),
        ),
        [
            ReviewItem(criterion="覆盖全部页面", result="fail", findings="缺少报表页"),
            ReviewItem(criterion="交互说明", result="pass"),
        ],
    )
    acceptance = services.record_acceptance(
        world.project,
        deliverable=deliverable,
        decision="rejected",
        contact=world.contact,
        decided_on=datetime.date(2026, 10, 12),
        comments="缺少报表页",
        user=world.project_manager,
    )
    deliverable.refresh_from_db()
    world.milestone.refresh_from_db()
    return {
        "deliverable": deliverable,
        "quality_standard": services.save_standard(
            QualityStandard(
                project=world.project, title="接口性能", target="P95 ≤ 300 ms"
            )
        ),
        "quality_review": review,
        "failed_item": review.items.get(result="fail"),
        "acceptance": acceptance,
        "improvement_action": services.save_action(
            ImprovementAction(project=world.project, problem="评审漏项")
        ),
    }


def state() -> dict:
    """The quality rows a denied request must leave untouched."""
    from clientfolio.quality.models import (
        Acceptance,
        Deliverable,
        ImprovementAction,
        QualityReview,
        QualityStandard,
        ReviewItem,
    )
    from clientfolio.risks.models import Issue

    models = (
        QualityStandard,
        Deliverable,
        QualityReview,
        ReviewItem,
        Acceptance,
        ImprovementAction,
        Issue,
    )
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
