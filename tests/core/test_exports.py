"""The one guard against formula injection, and every CSV and Excel export going
through it: a name like ``=HYPERLINK(…)`` arrives as text, never as a formula."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clientfolio.core.exports import csv_stream, restore_cell, safe_cell, safe_row
from clientfolio.schedule import exports as schedule_exports
from clientfolio.schedule.gantt import timeline_data
from tests.clients.factories import ClientFactory
from tests.finance.billing_factories import issued
from tests.finance.factories import TimeEntryFactory
from tests.schedule.factories import TaskFactory

ATTACK = '=HYPERLINK("http://evil.example/","点击查看")'


# --- the guard (no database) -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        ATTACK,
        "=1+1",
        "+1+HYPERLINK(1)",
        "-1+cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "＝HYPERLINK(1)",
        "＋1",
        "－1",
        "＠SUM(1)",
    ],
)
def test_text_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    assert restore_cell(safe_cell(text)) == text


@pytest.mark.parametrize(
    "value",
    [
        "客户数据平台",
        "-12.5",
        "+86",
        "-1,000.00",
        "",
        "'already",
        12,
        Decimal("-3"),
        None,
    ],
)
def test_plain_text_numbers_and_other_values_are_unchanged(value):
    assert safe_cell(value) == value
    assert restore_cell(value) == value


def test_rows_and_csv_lines_are_defused():
    assert safe_row([ATTACK, 5, date(2026, 5, 1)]) == [
        "'" + ATTACK,
        5,
        date(2026, 5, 1),
    ]
    text = b"".join(csv_stream([["name", "day"], [ATTACK, date(2026, 5, 1)]]))
    assert text.decode("utf-8-sig") == (
        'name,day\r\n"\'=HYPERLINK(""http://evil.example/"",""点击查看"")",2026-05-01\r\n'
    )


# --- every export -------------------------------------------------------------------------


def _is_text(cell, expected):
    assert cell.data_type == "s"
    assert cell.value == "'" + expected


@pytest.mark.django_db
def test_the_timeline_workbook_keeps_names_as_text(project):
    # given a client-visible milestone whose name is a formula
    TaskFactory(project=project, name=ATTACK, milestone=True, is_client_visible=True)

    # when the timeline is exported for the client
    sheet = load_workbook(
        io.BytesIO(schedule_exports.timeline_xlsx(timeline_data(project)))
    ).active

    # then the names are text cells, not formulas
    names = [sheet.cell(row, 3) for row in range(5, sheet.max_row + 1)]
    (milestone,) = [cell for cell in names if cell.value and "HYPERLINK" in cell.value]
    _is_text(milestone, ATTACK)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_client_export_keeps_names_as_text(staff_browser, staff, kind):
    ClientFactory(name=ATTACK, owner=staff)
    response = staff_browser.get(reverse("clients:client_export") + f"?format={kind}")
    if kind == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "\"'=HYPERLINK(" in text
        return
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
    (cell,) = [row[0] for row in rows if "HYPERLINK" in str(row[0].value)]
    _is_text(cell, ATTACK)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_invoice_export_keeps_numbers_as_text(project, as_persona, kind):
    issued(project, ATTACK)
    url = reverse("finance:invoice_export", kwargs={"pk": project.pk})
    response = as_persona("project_manager").get(f"{url}?format={kind}")
    if kind == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "\"'=HYPERLINK(" in text
        return
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
    _is_text(rows[1][0], ATTACK)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_time_export_keeps_notes_as_text(project, member, as_persona, kind):
    TimeEntryFactory(project=project, user=member, note=ATTACK)
    url = reverse("finance:time_export", kwargs={"pk": project.pk})
    response = as_persona("accountant").get(f"{url}?format={kind}")
    if kind == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "\"'=HYPERLINK(" in text
        return
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
    cells = [cell for row in rows for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells
    for cell in cells:
        _is_text(cell, ATTACK)
