"""Authorization rows of the plan grid (page and API), merged into
tests/test_authorization.py (see tests/authz.py)."""

from tests.authz import API_FOLDER_READ, FOLDER_READ, Rule, statuses
from tests.schedule.factories import TaskFactory

# A grid write: outsiders 404 (the project does not exist for them), viewers 403.
API_CHANGE = statuses(401, 403, 404, 200, pm=200, member=200, viewer=403)
API_ADD = statuses(401, 403, 404, 201, pm=201, member=201, viewer=403)


def project_pk(world):
    return {"pk": world.project.pk}


def world(world):
    """Two top-level tasks at the end of the shared project's plan."""
    first = TaskFactory(project=world.project, name="表格任务一", duration=2)
    second = TaskFactory(project=world.project, name="表格任务二", duration=3)
    return {"grid_first": first, "grid_second": second}


RULES = {
    "schedule:grid": Rule(kwargs=project_pk, get=FOLDER_READ),
    "plan-grid": Rule(kwargs=project_pk, get=API_FOLDER_READ),
    "plan-grid-cell": Rule(
        kwargs=project_pk,
        post=API_CHANGE,
        data=lambda world, persona: {
            "task": world.grid_second.pk,
            "version": world.grid_second.version,
            "field": "predecessors",
            "value": "1",
        },
    ),
    "plan-grid-row": Rule(
        kwargs=project_pk,
        post=API_ADD,
        data=lambda world, persona: {"after": world.grid_second.pk, "name": "新行"},
    ),
    "plan-grid-move": Rule(
        kwargs=project_pk,
        post=API_CHANGE,
        data=lambda world, persona: {
            "task": world.grid_second.pk,
            "version": world.grid_second.version,
            "direction": "up",
        },
    ),
    "plan-grid-paste": Rule(
        kwargs=project_pk,
        post=API_ADD,
        data=lambda world, persona: {
            "after": world.grid_second.pk,
            "text": "粘贴任务\t2\t\n",
        },
    ),
    # Nobody of the cast changed the plan in the grid: nothing to undo (404).
    "plan-grid-undo": Rule(
        kwargs=project_pk,
        post=statuses(401, 403, 404, 404, pm=404, member=404, viewer=403),
    ),
    # Only managers put people on the team.
    "plan-grid-team": Rule(
        kwargs=project_pk,
        post=statuses(401, 403, 404, 201, pm=201, member=403, viewer=403),
        data=lambda world, persona: {"user": world.staff.pk, "role": "member"},
    ),
}
