"""Authorization rows of the risks app's URLs, merged into tests/test_authorization.py."""

from tests.authz import Rule

RULES: dict[str, Rule] = {}


def world(world) -> dict:
    """Records the rules need, added to the shared world."""
    return {}


def state() -> dict:
    """The risks rows a denied request must leave untouched."""
    return {}
