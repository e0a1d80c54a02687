"""Authorization rows of the reports pages and API, merged into
tests/test_authorization.py (see tests/authz.py)."""

from tests.authz import PAGE, Rule

RULES: dict = {
    # Every internal user reaches the portfolio; what it shows is scoped (tests in
    # tests/reports/test_portfolio.py).
    "reports:portfolio": Rule(get=PAGE),
    "reports:client_analysis": Rule(get=PAGE),
}


def world(world):
    return {}
