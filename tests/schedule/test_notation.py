"""Predecessors, durations and constraints typed in the plan grid. Pure, no database."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.schedule.notation import (
    KINDS,
    MAX_LAG,
    Constraint,
    NotationError,
    Predecessor,
    format_constraint,
    format_predecessors,
    parse_constraint,
    parse_duration,
    parse_pasted_rows,
    parse_predecessors,
)

links = st.lists(
    st.builds(
        Predecessor,
        row=st.integers(1, 20000),
        kind=st.sampled_from(KINDS),
        lag=st.integers(-MAX_LAG, MAX_LAG),
    ),
    max_size=8,
    unique_by=lambda link: link.row,
)
FULL_WIDTH = str.maketrans("0123456789+-,FSfs", "０１２３４５６７８９＋－，ＦＳｆｓ")


@settings(max_examples=60)
@given(links)
def test_formatting_then_parsing_gives_the_same_links(given_links):
    text = format_predecessors(given_links)
    assert parse_predecessors(text) == sorted(given_links)
    assert format_predecessors(parse_predecessors(text)) == text


@settings(max_examples=60)
@given(links, st.lists(st.sampled_from([" ", "\t", "　", "  "]), min_size=1))
def test_spaces_and_full_width_forms_change_nothing(given_links, spaces):
    text = format_predecessors(given_links)
    spaced = "".join(ch + spaces[i % len(spaces)] for i, ch in enumerate(text))
    assert parse_predecessors(spaced) == sorted(given_links)
    assert parse_predecessors(text.translate(FULL_WIDTH)) == sorted(given_links)
    assert parse_predecessors(text.lower().replace(", ", "、")) == sorted(given_links)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", [Predecessor(3)]),
        ("3FS+2", [Predecessor(3, "FS", 2)]),
        ("5SS-1", [Predecessor(5, "SS", -1)]),
        ("4FF", [Predecessor(4, "FF", 0)]),
        ("2SF+3d", [Predecessor(2, "SF", 3)]),
        ("2fs+1w", [Predecessor(2, "FS", 5)]),
        ("3FS+2天", [Predecessor(3, "FS", 2)]),
        ("1、2；3,4", [Predecessor(r) for r in (1, 2, 3, 4)]),
        ("２ＳＳ－１", [Predecessor(2, "SS", -1)]),
        ("3 FS + 2 days", [Predecessor(3, "FS", 2)]),
        ("", []),
        (" , ", []),
    ],
)
def test_ms_project_forms_are_read(text, expected):
    assert parse_predecessors(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "row"),
    [
        ("7FS-20%", "percent_lag", 7),
        ("3FS+2ed", "elapsed_lag", 3),
        ("3XX", "kind", 3),
        ("3FS+x", "lag", 3),
        ("3FS+1.5", "lag", 3),
        ("3FS+1001", "lag_range", 3),
        ("abc", "syntax", None),
        ("9", "unknown_row", 9),
        ("4", "self", 4),
        ("2, 2SS", "duplicate", 2),
    ],
)
def test_bad_predecessors_name_the_item_and_the_reason(text, code, row):
    with pytest.raises(NotationError) as caught:
        parse_predecessors(text, {1, 2, 3, 4, 5, 7}, own_row=4)
    assert caught.value.code == code
    assert caught.value.row == row
    assert caught.value.item


@pytest.mark.parametrize(
    ("text", "days"),
    [("5", 5), ("5d", 5), ("5 天", 5), ("2w", 10), ("0", 0), ("３", 3), ("1周", 5)],
)
def test_durations_are_read_in_working_days(text, days):
    assert parse_duration(text) == days


@pytest.mark.parametrize("text", ["", "five", "1.5", "-2", "5001", "3h"])
def test_bad_durations_are_refused(text):
    with pytest.raises(NotationError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Constraint()),
        ("ASAP", Constraint()),
        ("2026-10-12", Constraint("snet", date(2026, 10, 12))),
        ("SNET 2026-10-12", Constraint("snet", date(2026, 10, 12))),
        ("不早于 2026-10-12", Constraint("snet", date(2026, 10, 12))),
        ("FNLT 2026/11/2", Constraint("fnlt", date(2026, 11, 2))),
        ("不晚于 2026年11月2日", Constraint("fnlt", date(2026, 11, 2))),
        ("≤2026-11-02", Constraint("fnlt", date(2026, 11, 2))),
    ],
)
def test_constraints_are_read(text, expected):
    assert parse_constraint(text) == expected


@settings(max_examples=30)
@given(
    st.sampled_from(["snet", "fnlt"]),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.sampled_from([("", ""), ("SNET", "FNLT"), ("不早于", "不晚于")]),
)
def test_a_formatted_constraint_reads_back(kind, day, words):
    constraint = Constraint(kind, day)
    assert parse_constraint(format_constraint(constraint, words)) == constraint


@pytest.mark.parametrize("text", ["2026-13-01", "tomorrow", "SNET"])
def test_bad_constraint_dates_are_refused(text):
    with pytest.raises(NotationError) as caught:
        parse_constraint(text)
    assert caught.value.code == "date"


def test_pasted_excel_rows_keep_quoted_cells_and_drop_blank_lines():
    text = '需求调研\t3\t\tli.na\r\n"多行\n名称"\t2\t1\t\r\n\r\n上线\t0\t2FS+1\n'
    assert parse_pasted_rows(text) == [
        ["需求调研", "3", "", "li.na"],
        ["多行\n名称", "2", "1", ""],
        ["上线", "0", "2FS+1"],
    ]
