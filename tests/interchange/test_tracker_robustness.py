"""Whatever a CSV holds, the Jira, Asana and plan-layout readers answer with a plan
and a report (or their own refusal), never another exception (pure)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.interchange import asana, jira, sheet, table

HEADERS = sorted(
    {name for names in jira.COLUMNS.values() for name in names[:2]}
    | {name for names in asana.COLUMNS.values() for name in names[:1]}
    | {names[0] for names in sheet.COLUMNS.values()}
    | {"Comment", "Sprint", "Outward issue link (Relates)", "Whatever"}
)
cells = st.one_of(
    st.sampled_from(
        [
            "",
            "X-1",
            "X-2",
            "1",
            "2",
            "10001",
            "04/Dec/26",
            "2026-13-40",
            "1w 2d",
            "3FS+2",
        ]
    ),
    st.text(max_size=8),
)


@settings(max_examples=60, deadline=None)
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(cells, min_size=8, max_size=8), max_size=6),
    reader=st.sampled_from(["jira", "asana", "sheet"]),
)
def test_any_rows_give_a_plan_and_a_report(header, rows, reader):
    data = table.Table(
        header, [(n, row[: len(header)]) for n, row in enumerate(rows, start=2)]
    )
    try:
        if reader == "jira":
            plan, report = jira.read(data)
        elif reader == "asana":
            plan, report = asana.read(data)
        else:
            plan, report = sheet.read_rows(data.header, data.rows)
    except (jira.NoSummary, asana.NoName, sheet.NotASheet):
        return
    assert report.ok or report.problems
    keys = {task.key for task in plan.tasks}
    if report.ok:
        assert all({lk.predecessor, lk.successor} <= keys for lk in plan.links)


@pytest.mark.parametrize("data", [b"\x00\x01\x02", "²,任务名称\n²,x\n".encode()])
def test_odd_bytes_are_refused_or_read(data):
    try:
        found = table.read_csv(data)
    except table.NotATable:
        return
    sheet.read_rows(found.header, found.rows)
