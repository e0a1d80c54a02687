"""Authorization rows of the projects app's URLs added after the first ones, merged into
tests/test_authorization.py (the first ones are listed there)."""

from tests.authz import FOLDER_READ, Rule


def requirement_pk(world):
    return {"pk": world.project.pk, "requirement_pk": world.project_requirement.pk}


RULES: dict[str, Rule] = {
    "projects:requirement_detail": Rule(kwargs=requirement_pk, get=FOLDER_READ),
}


def world(world) -> dict:
    return {}
