"""Outside a transaction, on SQLite, the kinds' scans run in worker threads on their own
connections: the same groups as one after the other, scope included."""

import pytest
from django.db import connection

from clientfolio.reports import search as search_module
from clientfolio.reports.search import search

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_the_parallel_search_finds_what_the_serial_one_does(monkeypatch):
    from tests.reports.conftest import build_search_world

    world = build_search_world()
    assert search_module._parallel()

    parallel = search(world.staff, "琥珀")
    monkeypatch.setattr(search_module, "THREADS", 1)
    serial = search(world.staff, "琥珀")

    assert parallel == serial
    assert all(group.total for group in parallel)
    assert "琥珀保密任务" not in {hit.title for group in parallel for hit in group.hits}
