"""The Excel plan layout, written from a ``plan.Plan`` and read back into one.

One sheet, a header row and one row per task in outline order: ID, WBS, name, duration
(working days), start, finish, predecessors in MS Project notation (by ID), milestone,
% complete, constraint and its date, actual start and finish, baseline start and finish,
and the people assigned (e-mail addresses). The outline comes from the WBS codes. Headers
are recognised in English and in Chinese, in any order; row numbers in reports are the
spreadsheet's own (the header is row 1).

Every text cell is written through ``core.exports.safe_cell`` (a task named ``=cmd|…``
stays text) and read back with ``restore_cell``. Pure apart from openpyxl.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from clientfolio.core.exports import restore_cell, safe_cell
from clientfolio.interchange import plan as p
from clientfolio.schedule import notation

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "NotASheet",
    "SheetPredecessor",
    "read",
    "read_predecessors",
    "read_rows",
    "write",
]

MAX_ROWS = 20000
# Column key -> header names recognised (lower case), English and Chinese.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "标识号", "序号"),
    "wbs": ("wbs", "wbs code", "wbs 编码", "wbs编码"),
    "name": ("name", "task name", "任务名称", "名称"),
    "duration": ("duration (working days)", "duration", "工期（工作日）", "工期"),
    "start": ("start", "开始日期", "开始时间", "开始"),
    "finish": ("finish", "完成日期", "完成时间", "完成"),
    "predecessors": ("predecessors", "前置任务"),
    "milestone": ("milestone", "里程碑"),
    "percent_complete": ("% complete", "完成百分比"),
    "constraint": ("constraint", "限制类型", "约束"),
    "constraint_date": ("constraint date", "限制日期", "约束日期"),
    "actual_start": ("actual start", "实际开始日期", "实际开始时间", "实际开始"),
    "actual_finish": ("actual finish", "实际完成日期", "实际完成时间", "实际完成"),
    "baseline_start": ("baseline start", "基线开始日期", "基线开始时间", "基线开始"),
    "baseline_finish": ("baseline finish", "基线完成日期", "基线完成时间", "基线完成"),
    "assigned": ("assigned to", "分配给", "资源名称", "负责人"),
}
REQUIRED = ("name",)
CONSTRAINT_WORDS = {
    "asap": "asap",
    "as soon as possible": "asap",
    "越早越好": "asap",
    "尽快": "asap",
    "snet": "snet",
    "start no earlier than": "snet",
    "不得早于...开始": "snet",
    "不早于开始": "snet",
    "fnlt": "fnlt",
    "finish no later than": "fnlt",
    "不得晚于...完成": "fnlt",
    "不晚于完成": "fnlt",
}
TRUE_WORDS = {"yes", "y", "true", "1", "是", "√", "✓", "x"}
_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(d|days?|天|工作日|个工作日|w|wks?|weeks?|周)?\s*\??\s*$",
    re.I,
)


@dataclass(frozen=True)
class SheetPredecessor:
    """One predecessor of a spreadsheet cell: row ``row`` (the sheet's ID), link
    ``kind``, ``lag`` working days as written (possibly a fraction), or ``percent`` of the
    predecessor's duration."""

    row: int
    kind: str = "FS"
    lag: float = 0
    percent: float | None = None


_NUMBER_UNIT = re.compile(r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>.*)$")


def _lenient(raw: str, error: notation.NotationError) -> SheetPredecessor:
    """What the plan grid refuses but a plan file may hold, read so that the import can
    approximate it: a percent lag (``2SF+50%``), a fractional lag (``3FS+1.5d``) or an
    elapsed lag (``3FS+2ed``, taken as working days). Anything else raises ``error``."""
    if error.code not in ("percent_lag", "lag", "elapsed_lag"):
        raise error
    match = notation.ITEM.match(notation.normalise(raw))
    if (
        match is None
        or not match["sign"]
        or match["kind"]
        not in (
            None,
            *notation.KINDS,
        )
    ):
        raise error
    lag = _NUMBER_UNIT.match(match["lag"] or "")
    if lag is None:
        raise error
    number = float(lag["number"])
    sign = -1 if match["sign"] == "-" else 1
    unit = lag["unit"]
    row, kind = int(match["row"]), match["kind"] or "FS"
    if unit == "%":
        return SheetPredecessor(row, kind, 0, sign * number)
    if unit in ("ED", "EDAY", "EDAYS"):
        unit = ""
    if unit in ("", "D", "DAY", "DAYS", "天", "工作日", "个工作日"):
        return SheetPredecessor(row, kind, sign * number)
    if unit in notation.WEEK_UNITS:
        return SheetPredecessor(row, kind, sign * number * notation.DAYS_PER_WEEK)
    raise error


def read_predecessors(text: str) -> list[SheetPredecessor]:
    """The predecessors of a sheet's cell, in the plan grid's notation
    (``schedule.notation``: ``3``, ``3FS+2``, ``5SS-1d``, ``4FF+1w``, separated by
    ``,`` ``、`` ``;``), plus the percent, fractional and elapsed lags a plan file may hold
    (see ``_lenient``). Rows are not checked here. Raises ``notation.NotationError``."""
    result = []
    for raw in notation.SEPARATORS.split(unicodedata.normalize("NFKC", text or "")):
        if not raw.strip():
            continue
        try:
            items = notation.parse_predecessors(raw)
        except notation.NotationError as error:
            result.append(_lenient(raw, error))
            continue
        result.extend(SheetPredecessor(i.row, i.kind, i.lag) for i in items)
    return result


class NotASheet(ValueError):
    """The file is not a readable .xlsx workbook (``code``: ``not_xlsx``, ``no_header``,
    ``too_many_rows``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def write(plan: p.Plan, headers: dict[str, str], title: str = "Plan") -> bytes:
    """The plan as an .xlsx workbook; ``headers`` gives each column key's label in the
    reader's language."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Plan"
    keys = list(COLUMNS)
    sheet.append([headers.get(key, key) for key in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
    ids = {task.key: index for index, task in enumerate(plan.tasks, start=1)}
    incoming: dict[str, list[p.Link]] = {}
    for link in plan.links:
        incoming.setdefault(link.successor, []).append(link)
    people: dict[str, list[str]] = {}
    emails = {r.key: r.email or r.name for r in plan.resources}
    for assignment in plan.assignments:
        people.setdefault(assignment.task, []).append(emails[assignment.resource])
    codes = p.wbs_codes(plan.tasks)
    for index, task in enumerate(plan.tasks):
        predecessors = notation.format_predecessors(
            notation.Predecessor(ids[link.predecessor], link.kind, link.lag)
            for link in incoming.get(task.key, [])
        )
        row: list[Any] = [
            index + 1,
            codes[index],
            ("    " * (task.outline_level - 1)) + task.name,
            task.duration,
            task.start,
            task.finish,
            predecessors,
            "✓" if task.is_milestone else "",
            task.percent_complete,
            task.constraint.upper() if task.constraint != "asap" else "",
            task.constraint_date,
            task.actual_start,
            task.actual_finish,
            task.baseline_start,
            task.baseline_finish,
            ", ".join(people.get(task.key, [])),
        ]
        sheet.append([safe_cell(value) for value in row])
    for column, width in zip(
        "ABCDEFGHIJKLMNOP",
        (6, 10, 44, 10, 12, 12, 18, 8, 8, 10, 12, 12, 12, 12, 12, 28),
        strict=True,
    ):
        sheet.column_dimensions[column].width = width
        for cell in sheet[column][1:]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(restore_cell(value)).strip()


def _as_date(value: Any, element: str, field: str, report: p.Report) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for candidate in (text[:10], text.replace("/", "-")[:10]):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    match = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    report.problem("date_unreadable", element, field=field, value=text[:40])
    return None


def read(data: bytes) -> tuple[p.Plan, p.Report]:
    """The plan in a workbook of this layout (the first sheet) and the report. Raises
    ``NotASheet`` for a file that is not .xlsx, has no recognisable header or too many
    rows; problems of rows go to the report with the row number."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
    ) as error:
        raise NotASheet("not_xlsx") from error
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise NotASheet("not_xlsx") from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise NotASheet("no_header")
    return read_rows(header, enumerate(rows, start=2))


def read_rows(
    header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]]
) -> tuple[p.Plan, p.Report]:
    """The plan in rows of this layout: ``header`` (row 1) and the data rows, each with
    its row number as the user counts it (an .xlsx sheet's own row, a CSV file's record
    number with the header as 1). Raises ``NotASheet`` (``no_header``, ``too_many_rows``)."""
    positions: dict[str, int] = {}
    unknown = []
    for index, label in enumerate(header):
        name = _text(label).lower()
        if not name:
            continue
        for key, names in COLUMNS.items():
            if (name in names or name == key) and key not in positions:
                positions[key] = index
                break
        else:
            unknown.append(_text(label))
    if "name" not in positions:
        raise NotASheet("no_header")
    report = p.Report()
    plan = p.Plan()
    for label in unknown:
        report.dropped("column", "row 1", "unknown_column", column=label[:60])
    by_row_id: dict[int, p.PlanTask] = {}
    pending: list[tuple[p.PlanTask, str]] = []
    people: list[tuple[str, str, str]] = []
    for count, (number, values) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise NotASheet("too_many_rows", limit=MAX_ROWS)

        def cell(key: str, values: Sequence[Any] = values) -> Any:
            index = positions.get(key)
            return values[index] if index is not None and index < len(values) else None

        raw_name = _text(cell("name"))
        if not raw_name and not any(v not in (None, "") for v in values):
            continue
        element = f"row {number}"
        name = raw_name.strip()
        wbs = _text(cell("wbs"))
        level = len(wbs.split(".")) if wbs else 1
        if not wbs and raw_name != raw_name.lstrip():
            indent = len(_text(cell("name"))) - len(_text(cell("name")).lstrip())
            level = 1 + indent // 4
        row_id_text = _text(cell("id"))
        row_id = (
            int(row_id_text)
            if row_id_text.isascii() and row_id_text.isdigit()
            else number - 1
        )
        task = p.PlanTask(
            key=str(row_id),
            name=name[: p.MAX_NAME],
            outline_level=level,
            element=element,
        )
        report.mapped("name")
        duration = cell("duration")
        if duration not in (None, ""):
            match = _DURATION.match(_text(duration))
            if match is None:
                report.problem(
                    "duration_unreadable", element, value=_text(duration)[:40]
                )
            else:
                value = float(match[1]) * (
                    5 if (match[2] or "").lower()[:1] in ("w", "周") else 1
                )
                if not value.is_integer():
                    report.approximated(
                        "duration",
                        element,
                        "fraction_rounded",
                        value=value,
                        days=math.floor(value + 0.5),
                    )
                else:
                    report.mapped("duration")
                task.duration = math.floor(value + 0.5)
        milestone = _text(cell("milestone")).lower()
        task.is_milestone = milestone in TRUE_WORDS
        if task.is_milestone:
            task.duration = 0
        task.start = _as_date(cell("start"), element, "start", report)
        task.finish = _as_date(cell("finish"), element, "finish", report)
        percent = _text(cell("percent_complete")).rstrip("%")
        if percent:
            try:
                value = float(percent)
                task.percent_complete = round(
                    value * 100 if 0 < value < 1 and "." in percent else value
                )
                report.mapped("percent_complete")
            except ValueError:
                report.problem("percent_unreadable", element, value=percent[:20])
        constraint = _text(cell("constraint")).lower()
        if constraint:
            if constraint in CONSTRAINT_WORDS:
                task.constraint = CONSTRAINT_WORDS[constraint]
                report.mapped("constraint")
            else:
                report.problem("constraint_unknown", element, value=constraint[:40])
        task.constraint_date = _as_date(
            cell("constraint_date"), element, "constraint_date", report
        )
        if task.constraint == "asap":
            task.constraint_date = None
        task.actual_start = _as_date(
            cell("actual_start"), element, "actual_start", report
        )
        task.actual_finish = _as_date(
            cell("actual_finish"), element, "actual_finish", report
        )
        task.baseline_start = _as_date(
            cell("baseline_start"), element, "baseline_start", report
        )
        task.baseline_finish = _as_date(
            cell("baseline_finish"), element, "baseline_finish", report
        )
        if task.baseline_start or task.baseline_finish:
            report.mapped("baseline")
        if row_id in by_row_id:
            report.problem("duplicate_key", element, key=row_id)
        by_row_id[row_id] = task
        plan.tasks.append(task)
        pending.append((task, _text(cell("predecessors"))))
        for address in re.split(r"[,，、;；]", _text(cell("assigned"))):
            if address.strip():
                people.append((task.key, address.strip(), element))
    for task, text in pending:
        try:
            items = read_predecessors(text)
        except notation.NotationError as error:
            code = (
                "predecessor_lag_range"
                if error.code == "lag_range"
                else ("predecessor_syntax")
            )
            report.problem(code, task.element, item=error.item[:40])
            continue
        for item in items:
            source = by_row_id.get(item.row)
            lag = item.lag
            if item.percent is not None:
                lag = round((source.duration if source else 0) * item.percent / 100)
                report.approximated(
                    "lag", task.element, "percent_lag", percent=item.percent, days=lag
                )
            elif not float(lag).is_integer():
                report.approximated(
                    "lag", task.element, "fraction_rounded", value=lag, days=round(lag)
                )
            else:
                report.mapped("lag")
            if source is None:
                report.problem("predecessor_missing", task.element, key=item.row)
                continue
            plan.links.append(
                p.Link(
                    source.key,
                    task.key,
                    item.kind,
                    round(lag),
                    item.percent,
                    task.element,
                )
            )
            report.mapped("link")
    keys: dict[str, p.Resource] = {}
    for task_key, address, element in people:
        if address not in keys:
            keys[address] = p.Resource(
                address, address, address if "@" in address else "", element
            )
            report.mapped("resource")
        plan.assignments.append(p.Assignment(task_key, address, Decimal("0"), element))
        report.mapped("assignment")
    plan.resources = list(keys.values())
    if plan.has_baseline:
        plan.baseline_name = "Baseline"
    p.drop_summary_links(plan, report)
    p.validate(plan, report)
    return plan, report
