"""The Excel plan layout and the predecessor notation (pure)."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from clientfolio.interchange import plan as p
from clientfolio.interchange import sheet
from clientfolio.schedule import notation
from tests.interchange.plans import plans, shape

ENGLISH = {key: names[0] for key, names in sheet.COLUMNS.items()}
Item = sheet.SheetPredecessor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", [Item(3)]),
        ("3FS+2", [Item(3, "FS", 2)]),
        ("5ss-1d", [Item(5, "SS", -1)]),
        ("4FF, 2SF+1w", [Item(4, "FF"), Item(2, "SF", 5)]),
        ("3、4；5", [Item(3), Item(4), Item(5)]),
        ("７ＦＳ＋２ 个工作日，8SS+50%", [Item(7, "FS", 2), Item(8, "SS", 0, 50)]),
        ("3FS+1.5d", [Item(3, "FS", 1.5)]),
        ("3FS-2ed", [Item(3, "FS", -2)]),
        ("", []),
    ],
)
def test_predecessors_are_read_in_the_grids_notation_and_a_files_extras(text, expected):
    assert sheet.read_predecessors(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("three", "syntax"),
        ("3FS+2x", "lag"),
        ("3XY", "kind"),
        ("3FS+2000", "lag_range"),
    ],
)
def test_an_unreadable_predecessor_says_which_item(text, code):
    with pytest.raises(notation.NotationError) as error:
        sheet.read_predecessors(text)
    assert (error.value.item, error.value.code) == (text, code)


@settings(max_examples=40)
@given(
    st.lists(
        st.builds(
            notation.Predecessor,
            st.integers(1, 9999),
            st.sampled_from(p.LINK_KINDS),
            st.integers(-20, 20),
        ),
        max_size=5,
        unique_by=lambda item: item.row,
    )
)
def test_what_the_export_writes_the_import_reads_back(items):
    expected = sorted((Item(i.row, i.kind, i.lag) for i in items), key=lambda i: i.row)
    assert sheet.read_predecessors(notation.format_predecessors(items)) == expected


@settings(max_examples=40)
@given(
    st.integers(1, 999),
    st.sampled_from(p.LINK_KINDS),
    st.integers(-100, 100),
)
def test_a_percent_lag_the_grid_refuses_is_read_for_the_import(row, kind, percent):
    text = f"{row}{kind}{percent:+d}%"
    with pytest.raises(notation.NotationError):
        notation.parse_predecessors(text)
    assert sheet.read_predecessors(text) == [Item(row, kind, 0, percent)]


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
