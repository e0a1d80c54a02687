"""The drafting service: exact figures of every section for a known plan, in a fixed
number of queries."""

import datetime

import pytest

from clientfolio.reports import progress
from clientfolio.reports.periods import next_period, period_of
from tests.reports.conftest import TODAY

pytestmark = pytest.mark.django_db


def _draft(project):
    start, end = period_of("weekly", TODAY)
    return progress.draft(project, "weekly", start, end, today=TODAY)


def test_it_measures_progress_against_the_first_baseline(plan, project):
    data = _draft(project)
    assert data["as_of"] == "2026-11-11"
    assert data["period"] == {
        "kind": "weekly",
        "start": "2026-11-09",
        "end": "2026-11-15",
    }
    p = data["progress"]
    # (5 × 100 + 1 × 100 + 7 × 10) / 13 working days = 51.5 %
    assert p["percent_complete"] == 52
    # EV 100,000 × 10 % = 10,000; PV 3 of build's 5 baseline days = 60,000
    assert p["spi"] == "0.17"
    # AC 1,600 time + 860 expense = 2,460
    assert p["cpi"] == "4.07"
    assert p["baseline"] == "初始基线"
    assert (p["baseline_finish"], p["finish"], p["slip_days"]) == (
        "2026-11-13",
        "2026-11-17",
        2,
    )
    assert p["milestones"] == [
        {
            "name": "上线验收",
            "baseline_finish": "2026-11-13",
            "finish": "2026-11-17",
            "slip_days": 2,
            "status": "late",
            "is_client_visible": True,
        }
    ]


def test_it_lists_the_period_s_work_and_the_next(plan, project):
    data = _draft(project)
    assert data["tasks"]["completed_count"] == 1
    assert data["tasks"]["completed"] == [
        {"wbs": "4", "name": "接口评审", "finish": "2026-11-10"}
    ]
    assert data["tasks"]["planned_count"] == 1
    assert data["tasks"]["planned"][0]["name"] == "开发实现"
    assert (data["tasks"]["next_start"], data["tasks"]["next_end"]) == (
        "2026-11-16",
        "2026-11-22",
    )
    assert data["milestones"]["reached"] == []
    assert [m["name"] for m in data["milestones"]["moved"]] == ["上线验收"]


def test_it_gathers_decisions_changes_risks_budget_and_what_waits(plan, project):
    data = _draft(project)
    assert [
        (r["subject"], r["with_client"]) for r in data["communication"]["records"]
    ] == [
        ("周例会", True),
        ("内部复盘", False),
    ]
    change = data["changes"]["requests"][0]
    assert (change["title"], change["schedule_impact_days"], change["cost_impact"]) == (
        "增加大屏",
        3,
        "12000.00",
    )
    assert data["risks"]["risks"][0]["title"] == "关键人员离职"
    assert data["risks"]["issues"][0]["severity"] == "high"
    assert data["budget"] == {
        "currency": "CNY",
        "hours_in_period": "8.00",
        "hours_total": "8.00",
        "cost_in_period": "2460.00",
        "budget": "100000.00",
        "actual_cost": "2460.00",
        "burn_percent": 2,
        "cpi": "4.07",
    }
    assert data["waiting"]["change_requests"] == [
        {"number": 1, "title": "增加大屏", "since": "2026-11-10"}
    ]
    assert data["waiting"]["deliverables"] == [{"name": "原型", "due_on": "2026-11-13"}]


def test_the_number_of_queries_does_not_grow_with_the_records(
    plan, project, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clientfolio.schedule import services as schedule
    from clientfolio.schedule.models import Task
    from tests.comms.factories import CommRecordFactory

    with CaptureQueriesContext(connection) as before:
        _draft(project)
    for n in range(5):
        schedule.create_task(
            Task(project=project, name=f"新任务{n}", duration=2), recompute_after=False
        )
        CommRecordFactory(
            project=project,
            occurred_at=datetime.datetime(2026, 11, 10, 3, tzinfo=datetime.UTC),
            decisions=f"决定{n}",
        )
    schedule.recompute(project)
    with django_assert_num_queries(len(before.captured_queries)):
        data = _draft(project)
    assert len(data["communication"]["records"]) == 7


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        ("weekly", datetime.date(2026, 11, 11), ("2026-11-09", "2026-11-15")),
        ("weekly", datetime.date(2026, 11, 15), ("2026-11-09", "2026-11-15")),
        ("biweekly", datetime.date(2026, 11, 11), ("2026-11-02", "2026-11-15")),
        ("monthly", datetime.date(2026, 2, 11), ("2026-02-01", "2026-02-28")),
    ],
)
def test_periods(kind, day, expected):
    start, end = period_of(kind, day)
    assert (start.isoformat(), end.isoformat()) == expected
    following = next_period(kind, end)
    assert following[0] == end + datetime.timedelta(days=1)


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="Unknown"):
        period_of("daily", TODAY)
