"""Authorization rows of the reports pages and API, merged into
tests/test_authorization.py (see tests/authz.py)."""

from tests.authz import Rule  # noqa: F401

RULES: dict = {}


def world(world):
    return {}
