"""Authorization rows of the interchange pages and API, merged into
tests/test_authorization.py (see tests/authz.py)."""

RULES: dict = {}
