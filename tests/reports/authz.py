"""Authorization rows of the reports pages and API, merged into
tests/test_authorization.py (see tests/authz.py).

The search is the staff's: every signed-in staff user reaches it (what it finds is
scoped, see tests/reports/test_search.py); client contacts get 404 like on every staff
URL, anonymous users the login page (401 on the API)."""

from tests.authz import API, PAGE, Rule

RULES: dict = {
    "reports:search": Rule(get=PAGE, query="?q=客户数据"),
    "search-api": Rule(get=API, query="?q=客户数据"),
}


def world(world):
    return {}
