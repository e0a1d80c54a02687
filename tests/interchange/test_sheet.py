"""The Excel plan layout and the predecessor notation (pure)."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from clientfolio.interchange import plan as p
from clientfolio.interchange import sheet
from clientfolio.interchange.predecessor_notation import (
    NotationError,
    Predecessor,
    format_predecessors,
    parse_predecessors,
)
from tests.interchange.plans import plans, shape

ENGLISH = {key: names[0] for key, names in sheet.COLUMNS.items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", [Predecessor(3)]),
        ("3FS+2", [Predecessor(3, "FS", 2)]),
        ("5ss-1d", [Predecessor(5, "SS", -1)]),
        ("4FF, 2SF+1w", [Predecessor(4, "FF"), Predecessor(2, "SF", 5)]),
        ("3、4；5", [Predecessor(3), Predecessor(4), Predecessor(5)]),
        (
            "7FS+2 个工作日，8SS+50%",
            [Predecessor(7, "FS", 2), Predecessor(8, "SS", 0, 50)],
        ),
        ("", []),
    ],
)
def test_predecessors_are_read_as_ms_project_writes_them(text, expected):
    assert parse_predecessors(text) == expected


@pytest.mark.parametrize(("text", "code"), [("three", "syntax"), ("3FS+2x", "unit")])
def test_an_unreadable_predecessor_says_which_item(text, code):
    with pytest.raises(NotationError) as error:
        parse_predecessors(text)
    assert (error.value.item, error.value.code) == (text, code)


@settings(max_examples=40)
@given(
    st.lists(
        st.builds(
            Predecessor,
            st.integers(1, 9999),
            st.sampled_from(p.LINK_KINDS),
            st.integers(-20, 20),
        ),
        max_size=5,
    )
)
def test_formatted_predecessors_read_back(items):
    assert parse_predecessors(format_predecessors(items)) == [
        Predecessor(i.row_id, i.kind, float(i.lag)) for i in items
    ]


def _shape_without_sheet_gaps(plan):
    """The sheet keeps neither notes, priority nor baseline durations, and people are
    e-mail addresses without hours."""
    result = shape(plan)
    for task in result["tasks"]:
        for name in ("notes", "priority", "baseline_duration"):
            task.pop(name)
    result.pop("name")
    result.pop("start")
    result.pop("workdays")
    result.pop("exceptions")
    # only the people assigned to a task are in the sheet
    result["people"] = sorted({person[1] for _i, person, _h in result["assignments"]})
    result["assignments"] = sorted(
        (index, person[1]) for index, person, _hours in result["assignments"]
    )
    return result


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_tasks=10))
def test_the_exported_sheet_imports_as_the_same_plan(plan):
    again, report = sheet.read(sheet.write(plan, ENGLISH))
    assert report.ok, report.problems
    assert _shape_without_sheet_gaps(again) == _shape_without_sheet_gaps(plan)


def test_a_task_named_like_a_formula_stays_text():
    plan = p.Plan(tasks=[p.PlanTask("1", '=HYPERLINK("http://evil","x")')])
    data = sheet.write(plan, ENGLISH)
    cell = load_workbook(io.BytesIO(data)).active["C2"]
    assert cell.value.startswith("'=")
    again, _report = sheet.read(data)
    assert again.tasks[0].name == '=HYPERLINK("http://evil","x")'


def _workbook(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_bad_rows_are_reported_with_the_sheets_row_numbers():
    data = _workbook(
        [
            ["标识号", "任务名称", "工期", "前置任务"],
            [1, "需求调研", 5, ""],
            [2, "开发", "five", "1FS+2"],
            [3, "测试", 3, "9"],
            [4, "上线", 1, "3，x"],
        ]
    )
    plan, report = sheet.read(data)
    problems = {(problem.code, problem.element) for problem in report.problems}
    assert problems == {
        ("duration_unreadable", "row 3"),
        ("predecessor_missing", "row 4"),
        ("predecessor_syntax", "row 5"),
    }
    assert [t.name for t in plan.tasks] == ["需求调研", "开发", "测试", "上线"]


def test_a_sheet_without_a_name_column_is_refused():
    with pytest.raises(sheet.NotASheet) as error:
        sheet.read(_workbook([["a", "b"], [1, 2]]))
    assert error.value.code == "no_header"
    with pytest.raises(sheet.NotASheet):
        sheet.read(b"not a workbook")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_export_headers_of_either_language_are_read_back(language):
    from django.utils import translation

    from clientfolio.interchange.messages import sheet_headers

    with translation.override(language):
        headers = sheet_headers()
    data = sheet.write(p.Plan(tasks=[p.PlanTask("1", "需求调研", duration=3)]), headers)
    plan, report = sheet.read(data)
    assert report.ok
    assert "column" not in report.fields
    assert (plan.tasks[0].name, plan.tasks[0].duration) == ("需求调研", 3)
