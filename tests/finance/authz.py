"""Authorization rows of the finance app's URLs, merged into tests/test_authorization.py:
costs (budget, expenses, time, rates), billing (invoices, payments, overview) and
applying an approved change request to the plan and the budget (the project manager's
and administrators': a finance person may add budget lines but not move tasks)."""

from tests.authz import FOLDER_MANAGE, FOLDER_MANAGE_WRITE, Rule, statuses
from tests.finance import authz_billing, authz_costs

# The API's apply action: 404 for client contacts, as every staff API.
API_APPLY = statuses(401, 404, 404, 200, pm=200, member=403, viewer=403, accountant=403)
API_APPLY_GET = statuses(401, 404, 405, 405)


def _change(world):
    return {"pk": world.project.pk, "number": world.approved_change.number}


def _apply_data(world, persona):
    return {
        "version": world.approved_change.version,
        "task_ids": [world.gantt_task.pk],
        "add_budget": "on",
        "budget_category": "labor",
        "baseline_name": "变更后",
    }


CHANGE_RULES: dict[str, Rule] = {
    "finance:change_apply": Rule(
        kwargs=_change, get=FOLDER_MANAGE, post=FOLDER_MANAGE_WRITE, data=_apply_data
    ),
    "changerequest-apply": Rule(
        kwargs=lambda world: {"pk": world.approved_change.pk},
        get=API_APPLY_GET,
        post=API_APPLY,
        data=lambda world, persona: {
            "version": world.approved_change.version,
            "budget_category": "labor",
        },
    ),
}

RULES: dict[str, Rule] = {**authz_costs.RULES, **authz_billing.RULES, **CHANGE_RULES}


def _change_world(world) -> dict:
    """An approved change of the shared project: +5 days and ¥8,000."""
    import datetime
    from decimal import Decimal

    from clientfolio.projects.models import ChangeRequest
    from tests.projects.factories import ChangeRequestFactory

    change = ChangeRequestFactory(
        project=world.project,
        title="增加月度报表",
        schedule_impact_days=5,
        cost_impact=Decimal("8000.00"),
        status=ChangeRequest.Status.APPROVED,
    )
    ChangeRequest.objects.filter(pk=change.pk).update(
        decided_on=datetime.date(2026, 4, 2)
    )
    change.refresh_from_db()
    return {"approved_change": change}


def world(world) -> dict:
    records = authz_costs.world(world)
    records.update(authz_billing.world(world))
    records.update(_change_world(world))
    return records


def state() -> dict:
    rows = authz_costs.state()
    rows.update(authz_billing.state())
    return rows
