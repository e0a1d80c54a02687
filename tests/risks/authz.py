"""Authorization rows of the risks app's URLs, merged into tests/test_authorization.py."""

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

# POST-only pages that need a contributor's role (GET answers 405 once allowed).
FOLDER_CONTRIBUTE_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=405, viewer=403
)
# Creating through the API: outsiders name a project they cannot see (400).
API_CONTRIBUTE_CREATE = statuses(401, 403, 400, 201, pm=201, member=201, viewer=403)
# A reassessment of a risk outsiders cannot see (404).
API_CONTRIBUTE_ACTION = statuses(401, 403, 404, 201, pm=201, member=201, viewer=403)


def project_pk(world):
    return {"pk": world.project.pk}


def risk_pk(world):
    return {"pk": world.project.pk, "risk_pk": world.risk.pk}


def issue_pk(world):
    return {"pk": world.project.pk, "issue_pk": world.issue.pk}


def risk_data(world, persona):
    return {
        "title": "接口联调延期",
        "category": "technical",
        "probability": "3",
        "impact": "4",
        "status": "identified",
        "strategy": "mitigate",
        "owner": world.member.pk,
        "tasks": [world.task.pk],
        "version": world.risk.version,
    }


def issue_data(world, persona):
    return {
        "title": "联调环境不可用",
        "severity": "high",
        "status": "open",
        "version": world.issue.version,
    }


RULES: dict[str, Rule] = {
    "risks:portfolio": Rule(get=PAGE),
    "risks:risk_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "risks:risk_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=risk_data,
    ),
    "risks:settings": Rule(
        kwargs=project_pk,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {
            "low_max": "3",
            "medium_max": "8",
            "high_max": "15",
        },
    ),
    "risks:risk_detail": Rule(kwargs=risk_pk, get=FOLDER_READ),
    "risks:risk_edit": Rule(
        kwargs=risk_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=risk_data,
    ),
    "risks:risk_reassess": Rule(
        kwargs=risk_pk,
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {
            "probability": "2",
            "impact": "2",
            "note": "缓解措施生效",
            "version": world.risk.version,
        },
    ),
    "risks:risk_delete": Rule(
        kwargs=risk_pk, get=FOLDER_MANAGE, post=FOLDER_MANAGE_WRITE
    ),
    "risks:issue_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "risks:issue_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=issue_data,
    ),
    "risks:issue_detail": Rule(kwargs=issue_pk, get=FOLDER_READ),
    "risks:issue_edit": Rule(
        kwargs=issue_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=issue_data,
    ),
    "risk-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {
            "project": world.project.pk,
            "title": "接口登记的风险",
            "probability": 2,
            "impact": 3,
        },
    ),
    "risk-detail": Rule(
        kwargs=lambda world: {"pk": world.risk.pk}, get=API_FOLDER_READ
    ),
    "risk-assessments": Rule(
        kwargs=lambda world: {"pk": world.risk.pk},
        get=API_FOLDER_READ,
        post=API_CONTRIBUTE_ACTION,
        data=lambda world, persona: {"probability": 1, "impact": 2},
    ),
    "risk-matrix": Rule(get=API),
    "issue-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {
            "project": world.project.pk,
            "title": "接口登记的问题",
            "severity": "low",
        },
    ),
    "issue-detail": Rule(
        kwargs=lambda world: {"pk": world.issue.pk}, get=API_FOLDER_READ
    ),
}


def world(world) -> dict:
    """A risk owned by the member and linked to the world's task, and an issue from it."""
    from clientfolio.risks import services
    from clientfolio.risks.models import Risk

    risk = services.create_risk(
        Risk(
            project=world.project,
            title="需求变更频繁",
            category="client",
            probability=4,
            impact=3,
            owner=world.member,
        ),
        user=world.project_manager,
        tasks=[world.task],
    )
    issue = services.open_issue(
        world.project,
        title="需求变更导致返工",
        severity="medium",
        owner=world.member,
        user=world.project_manager,
        source_risk=risk,
    )
    return {"risk": risk, "issue": issue}


def state() -> dict:
    """The risks rows a denied request must leave untouched."""
    from clientfolio.risks.models import Issue, Risk, RiskAssessment, RiskSettings

    models = (Risk, RiskAssessment, Issue, RiskSettings)
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["RiskTasks"] = list(
        Risk.tasks.through.objects.order_by("pk").values_list("risk_id", "task_id")
    )
    return rows
