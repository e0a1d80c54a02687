"""Authorization rows of the finance app's URLs, merged into tests/test_authorization.py:
costs (budget, expenses, time, rates) and billing (invoices, payments, overview)."""

from tests.authz import Rule
from tests.finance import authz_billing, authz_costs

RULES: dict[str, Rule] = {**authz_costs.RULES, **authz_billing.RULES}


def world(world) -> dict:
    records = authz_costs.world(world)
    records.update(authz_billing.world(world))
    return records


def state() -> dict:
    rows = authz_costs.state()
    rows.update(authz_billing.state())
    return rows
