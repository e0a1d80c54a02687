"""Authorization rows of the ops pages and API, merged into
tests/test_authorization.py (see tests/authz.py)."""

RULES: dict = {}
