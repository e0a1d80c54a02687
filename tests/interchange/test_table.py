"""CSV files as other tools write them (pure): encodings, separators, row numbers,
defused cells, dates and working days."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientfolio.core.exports import restore_cell, safe_cell
from clientfolio.interchange import table

# Text a GBK file can hold too: CJK, ASCII letters and digits, some punctuation.
cell_text = st.text(
    alphabet=st.sampled_from(
        list("abcXYZ019 ,;\"'=+-@\n") + list("需求调研开发测试上线客户项目经理张伟李娜")
    ),
    max_size=12,
)


def _csv(rows, delimiter=","):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@settings(max_examples=30, deadline=None)
@given(
    width=st.integers(2, 4),  # one column has no separator to guess from
    body=st.lists(st.lists(cell_text, min_size=4, max_size=4), max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_table_reads_back_with_the_rows_numbered_as_a_spreadsheet_shows_them(
    width, body, encoding, delimiter
):
    header = ["任务名称", "Due date", "负责人", "Notes"][:width]
    body = [[safe_cell(cell) for cell in row[:width]] for row in body]
    data = _csv([header, *body], delimiter).encode(encoding)
    result = table.read_csv(data)
    assert result.header == header
    # a cell with line breaks does not move the numbers on; blank rows are skipped;
    # defused cells (as our exports write them) read back as the text written
    written = [
        (number, [str(restore_cell(cell)).strip() for cell in row])
        for number, row in enumerate(body, start=2)
    ]
    assert result.rows == [(number, row) for number, row in written if any(row)]


def test_gbk_and_bom_files_read_as_chinese():
    text = "任务名称,工期\r\n需求调研,5\r\n"
    for data in (text.encode("gbk"), b"\xef\xbb\xbf" + text.encode()):
        assert table.read_csv(data).rows == [(2, ["需求调研", "5"])]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"a,b\x00c", "not_text"),
        (b"\xff\xfe\x00\xd8", "encoding"),
    ],
)
def test_what_is_not_a_csv_table_is_refused_with_a_reason(data, code):
    with pytest.raises(table.NotATable) as error:
        table.read_csv(data)
    assert error.value.code == code


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(table, "MAX_ROWS", 3)
    with pytest.raises(table.NotATable) as error:
        table.read_csv(b"name\n" + b"x\n" * 4)
    assert error.value.code == "too_many_rows"


@settings(max_examples=60)
@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - wall-clock times, as written
        max_value=datetime(2099, 12, 31),  # noqa: DTZ001
    ),
    st.sampled_from(
        ["%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]
    ),
)
def test_dates_read_as_jira_and_spreadsheets_write_them(moment, pattern):
    moment = moment.replace(second=0, microsecond=0)
    assert table.parse_datetime(moment.strftime(pattern)) == moment.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("04/Dec/26 10:15 AM", datetime(2026, 12, 4, 10, 15, tzinfo=UTC)),
        ("04/十二月/26 2:30 下午", datetime(2026, 12, 4, 14, 30, tzinfo=UTC)),
        ("04/12月/26 12:05 上午", datetime(2026, 12, 4, 0, 5, tzinfo=UTC)),
        ("2026-12-04T10:15:00.000+0800", datetime(2026, 12, 4, 10, 15, tzinfo=UTC)),
        ("2026年12月4日", datetime(2026, 12, 4, tzinfo=UTC)),
        ("31/Feb/26", None),
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_dates_in_english_and_chinese_exports(text, expected):
    assert table.parse_datetime(text) == expected


@settings(max_examples=60)
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(-3, 60))
def test_working_days_between_two_dates_count_weekdays(start, span):
    finish = start + timedelta(days=span)
    brute = sum(
        (start + timedelta(days=i)).weekday() < 5 for i in range(max(span + 1, 0))
    )
    assert table.workdays_between(start, finish) == brute
