"""The client version's cut (pure): no internal field ever reaches it."""

from hypothesis import given
from hypothesis import strategies as st

from clientfolio.reports.sections import (
    INTERNAL_SECTIONS,
    SECTIONS,
    client_snapshot,
    internal_fields,
    internal_snapshot,
)

DATA = {
    "as_of": "2026-11-11",
    "period": {"kind": "weekly", "start": "2026-11-09", "end": "2026-11-15"},
    "project": {"code": "P1", "name": "平台", "client": "云帆"},
    "progress": {
        "percent_complete": 52,
        "spi": "0.17",
        "cpi": "4.07",
        "milestones": [
            {"name": "上线", "slip_days": 2, "is_client_visible": True},
            {"name": "内部评审", "slip_days": 1, "is_client_visible": False},
        ],
    },
    "tasks": {"completed": [], "planned": []},
    "milestones": {
        "reached": [],
        "moved": [{"name": "内部评审", "is_client_visible": False}],
    },
    "communication": {
        "records": [
            {"subject": "例会", "with_client": True},
            {"subject": "内部复盘", "with_client": False},
        ]
    },
    "changes": {
        "requests": [
            {"number": 1, "title": "大屏", "cost_impact": "12000.00", "currency": "CNY"}
        ]
    },
    "risks": {"risks": [], "issues": []},
    "budget": {"hours_total": "8.00", "budget": "100.00", "cpi": "4.07"},
    "waiting": {"change_requests": [], "deliverables": [], "minutes": []},
}
NARRATIVE = {"summary": "顺利", "internal_notes": "人手紧张"}


def test_the_client_version_leaves_out_cpi_cost_and_internal_records():
    snapshot = client_snapshot(
        DATA, ["progress", "milestones", "communication", "changes"], NARRATIVE
    )
    assert "cpi" not in snapshot["progress"]
    assert [m["name"] for m in snapshot["progress"]["milestones"]] == ["上线"]
    assert snapshot["milestones"]["moved"] == []
    assert snapshot["communication"]["records"] == [{"subject": "例会"}]
    assert snapshot["changes"]["requests"] == [{"number": 1, "title": "大屏"}]
    assert "internal_notes" not in snapshot["narrative"]
    assert internal_fields(snapshot) == []


def test_a_ticked_budget_section_is_found():
    snapshot = client_snapshot(DATA, ["budget"], NARRATIVE)
    assert internal_fields(snapshot) == ["budget", "cpi", "hours_total"]


def test_the_internal_version_keeps_everything():
    snapshot = internal_snapshot(DATA, NARRATIVE)
    assert snapshot["narrative"]["internal_notes"] == "人手紧张"
    assert snapshot["sections"] == list(SECTIONS)


@given(st.lists(st.sampled_from(SECTIONS + ("nonsense",))))
def test_only_an_internal_section_makes_a_client_version_internal(sections):
    found = internal_fields(client_snapshot(DATA, sections, NARRATIVE))
    assert bool(found) == bool(INTERNAL_SECTIONS & set(sections))
