"""Authorization rows of the finance billing URLs."""

from tests.authz import Rule

RULES: dict[str, Rule] = {}


def world(world) -> dict:
    return {}


def state() -> dict:
    return {}
