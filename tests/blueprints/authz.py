"""Authorization rows of the blueprints pages and API, merged into
tests/test_authorization.py (see tests/authz.py)."""

RULES: dict = {}
