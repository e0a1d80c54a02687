"""Authorization rows of the ops pages and API, merged into
tests/test_authorization.py (see tests/authz.py)."""

from tests.authz import Rule, statuses

RULES: dict = {
    # The operator's metrics: administrators, and a scraper with METRICS_TOKEN
    # (tests/ops/test_observability.py). Everyone else, anonymous callers included
    # (a scraper cannot sign in, so there is no login page to send them to), gets 404.
    "ops:metrics": Rule(
        get=statuses(404, 404, 404, 200, pm=404, member=404, viewer=404),
        post=statuses(404, 404, 404, 405, pm=404, member=404, viewer=404),
    ),
}


def world(world) -> dict:
    """The metrics name no record."""
    return {}
