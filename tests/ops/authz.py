"""Authorization rows of the ops pages and API, merged into
tests/test_authorization.py (see tests/authz.py)."""

from tests.authz import ADMIN_PAGE, Rule

RULES: dict[str, Rule] = {
    # The record of backups is for administrators only.
    "ops:backup_status": Rule(get=ADMIN_PAGE),
}
