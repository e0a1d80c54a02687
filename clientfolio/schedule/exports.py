"""Exports of the schedule: the client timeline chart as PNG (Pillow), PDF (ReportLab)
and Excel (openpyxl), and iCalendar feeds of milestones and due dates.

The chart is laid out once as a list of drawing primitives (``chart_shapes``) and then
painted by either renderer, so the picture and the PDF cannot drift apart. Both write
with the CJK font that ``core.pdf.cjk_font_path`` finds (Noto Sans CJK, from Debian's
fonts-noto-cjk); the PDF embeds it (``core.pdf.embedded_font``), so every viewer shows
the same Chinese, Latin text and punctuation, and its text stays searchable.

The iCalendar text is written by hand after RFC 5545: CRLF line ends, lines folded at
75 octets, TEXT values escaped, all-day events with an exclusive DTEND.
"""

import glob
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clientfolio.core.exports import safe_cell, set_cell
from clientfolio.core.pdf import cjk_font_path, embedded_font, font_name
from clientfolio.schedule.gantt import (
    AT_RISK,
    DONE,
    DONE_LATE,
    LATE,
    ON_TRACK,
    STATUS_LABELS,
    Timeline,
    TimelineRow,
)

__all__ = [
    "STATUS_COLOURS",
    "CalendarEvent",
    "chart_shapes",
    "ics_calendar",
    "new_token",
    "timeline_pdf",
    "timeline_png",
    "timeline_xlsx",
]

# In the order of the legend.
STATUS_COLOURS = {
    DONE: "#2fb344",
    DONE_LATE: "#ae3ec9",
    ON_TRACK: "#206bc4",
    AT_RISK: "#f59f00",
    LATE: "#d63939",
}
GREY, TEXT, MUTED, GRID = "#9aa0ac", "#1d273b", "#667382", "#e6e7e9"

WIDTH = 1600
LABEL_WIDTH = 420
NOTE_WIDTH = 380  # right of the chart: "2026-12-03 · Done late · 47 working days late"
ROW = 36
TOP = 130


# --- layout -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One drawing primitive; coordinates in pixels, y downwards, text at its baseline."""

    kind: str  # rect, diamond, line, text
    x: float
    y: float
    w: float = 0
    h: float = 0
    fill: str | None = None
    stroke: str | None = None
    text: str = ""
    size: float = 14
    anchor: str = "start"  # start, middle, end
    bold: bool = False
    dash: bool = False


def _month_label(day: date, first: bool) -> str:
    chinese = (translation.get_language() or "").startswith("zh")
    if chinese:
        label = f"{day.month}月"
        return f"{day.year}年{label}" if first or day.month == 1 else label
    label = date_format(day, "M")
    return f"{label} {day.year}" if first or day.month == 1 else label


def _months(first: date, last: date) -> list[date]:
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _short(day: date | None) -> str:
    return day.isoformat() if day else "—"


def chart_shapes(timeline: Timeline) -> tuple[list[Shape], float, float]:
    """The timeline chart as shapes, with the picture's width and height in pixels."""
    rows = [r for r in timeline.rows if r.start or r.finish]
    dates = [d for r in rows for d in (r.start, r.finish, r.baseline_finish) if d]
    dates.append(timeline.today)
    first = min(dates) - timedelta(days=7)
    last = max(dates) + timedelta(days=21)
    span = max(1, (last - first).days)
    left, right = LABEL_WIDTH + 20, WIDTH - NOTE_WIDTH
    height = TOP + 40 + ROW * max(1, len(rows)) + 50

    def x_of(day: date) -> float:
        return left + (day - first).days * (right - left) / span

    shapes: list[Shape] = [
        Shape("rect", 0, 0, WIDTH, height, fill="#ffffff"),
        Shape("text", 24, 40, text=timeline.title, size=24, bold=True, fill=TEXT),
        Shape("text", 24, 72, text=timeline.summary, size=15, fill=MUTED),
    ]
    # Legend.
    legend_x = 24.0
    for status, colour in STATUS_COLOURS.items():
        label = str(STATUS_LABELS[status])
        shapes.append(Shape("rect", legend_x, 88, 14, 14, fill=colour))
        shapes.append(Shape("text", legend_x + 20, 100, text=label, size=13, fill=TEXT))
        legend_x += 30 + 14 * max(4, len(label)) * (1.0 if ord(label[0]) > 255 else 0.6)
    shapes.append(Shape("diamond", legend_x + 7, 95, 7, 7, fill=None, stroke=GREY))
    shapes.append(
        Shape("text", legend_x + 20, 100, text=_("Baseline"), size=13, fill=TEXT)
    )
    # Month grid and labels.
    axis_y = TOP + 16
    months = _months(first, last)
    if len(months) > 1 and x_of(months[1]) - x_of(first) < 90:
        months = months[1:]  # a month cut short at the left edge: no room for its label
    for index, month in enumerate(months):
        x = x_of(max(month, first))
        shapes.append(Shape("line", x, axis_y + 6, x, height - 40, stroke=GRID))
        shapes.append(
            Shape(
                "text",
                x + 4,
                axis_y,
                text=_month_label(month, index == 0),
                size=13,
                fill=MUTED,
            )
        )
    # Rows.
    for index, row in enumerate(rows):
        top = TOP + 30 + index * ROW
        middle = top + ROW / 2
        colour = STATUS_COLOURS[row.status]
        if index % 2:
            shapes.append(Shape("rect", 0, top, WIDTH, ROW, fill="#f6f8fb"))
        name = f"{row.wbs} {row.name}".strip()
        if len(name) > 30:
            name = name[:29] + "…"
        shapes.append(
            Shape(
                "text",
                24 + (0 if row.kind == "phase" else 18),
                middle + 5,
                text=name,
                size=15,
                bold=row.kind == "phase",
                fill=TEXT,
            )
        )
        if row.kind == "phase" and row.start and row.finish:
            x1, x2 = x_of(row.start), x_of(row.finish + timedelta(days=1))
            shapes.append(
                Shape("rect", x1, top + 8, max(3, x2 - x1), ROW - 16, fill=colour)
            )
        else:
            day = row.finish or row.start
            assert day is not None
            if row.baseline_finish and row.baseline_finish != day:
                bx = x_of(row.baseline_finish)
                shapes.append(Shape("diamond", bx, middle, 8, 8, stroke=GREY))
            shapes.append(Shape("diamond", x_of(day), middle, 10, 10, fill=colour))
        shapes.append(
            Shape("text", right + 24, middle + 5, text=row.note, size=13, fill=TEXT)
        )
    # Today.
    tx = x_of(timeline.today)
    shapes.append(
        Shape(
            "line",
            tx,
            axis_y + 6,
            tx,
            height - 40,
            stroke=STATUS_COLOURS[LATE],
            dash=True,
        )
    )
    shapes.append(
        Shape(
            "text",
            tx,
            height - 20,
            text=_("Today %(date)s") % {"date": timeline.today.isoformat()},
            size=13,
            anchor="middle",
            fill=STATUS_COLOURS[LATE],
        )
    )
    if not rows:
        shapes.append(
            Shape(
                "text",
                WIDTH / 2,
                TOP + 60,
                text=_("No phases or milestones yet."),
                size=16,
                anchor="middle",
                fill=MUTED,
            )
        )
    return shapes, WIDTH, height


# --- PNG ----------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _font(size: int, bold: bool) -> Any:
    from PIL import ImageFont

    path = cjk_font_path()
    if path is None:
        return ImageFont.load_default(size=size)
    if bold:
        bold_path = path.replace("Regular", "Bold")
        if bold_path != path and glob.glob(bold_path):
            path = bold_path
    # In a collection, prefer the Simplified Chinese face (Noto: JP, KR, SC, TC, HK).
    for index in (2, 0):
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            continue
        if index == 0 or "SC" in " ".join(str(n) for n in font.getname()):
            return font
    return ImageFont.load_default(size=size)


def timeline_png(timeline: Timeline) -> bytes:
    """The timeline chart as a PNG image (1600 pixels wide)."""
    from PIL import Image, ImageDraw

    shapes, width, height = chart_shapes(timeline)
    image = Image.new("RGB", (int(width), int(height)), "#ffffff")
    draw = ImageDraw.Draw(image)
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for s in shapes:
        if s.kind == "rect":
            draw.rectangle(
                (s.x, s.y, s.x + s.w, s.y + s.h), fill=s.fill, outline=s.stroke
            )
        elif s.kind == "diamond":
            points = [
                (s.x, s.y - s.h),
                (s.x + s.w, s.y),
                (s.x, s.y + s.h),
                (s.x - s.w, s.y),
            ]
            draw.polygon(points, fill=s.fill, outline=s.stroke or s.fill, width=2)
        elif s.kind == "line":
            if s.dash:
                y = s.y
                while y < s.h:
                    draw.line((s.x, y, s.w, min(y + 6, s.h)), fill=s.stroke, width=2)
                    y += 10
            else:
                draw.line((s.x, s.y, s.w, s.h), fill=s.stroke, width=1)
        elif s.kind == "text":
            draw.text(
                (s.x, s.y),
                s.text,
                fill=s.fill or TEXT,
                font=_font(int(s.size), s.bold),
                anchor=anchors[s.anchor],
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------


def timeline_pdf(timeline: Timeline) -> bytes:
    """The timeline chart on an A4 landscape page, followed by its data as a table, in
    an embedded Noto Sans CJK font (``core.pdf``; raises ``FontMissing`` without one)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    shapes, width, height = chart_shapes(timeline)
    columns, rows = _table(timeline)
    text = "".join(
        [timeline.title, *(s.text for s in shapes), *(c for c, _x in columns)]
        + [value for row in rows for value in row]
    )
    page_width, page_height = landscape(A4)
    margin = 24
    scale = min((page_width - 2 * margin) / width, (page_height - 2 * margin) / height)
    buffer = io.BytesIO()
    font = font_name()
    with embedded_font(font, text):
        pdf = canvas.Canvas(
            buffer, pagesize=(page_width, page_height), initialFontName=font
        )
        pdf.setTitle(timeline.title)
        pdf.setAuthor("Clientfolio")

        def px(x: float) -> float:
            return margin + x * scale

        def py(y: float) -> float:
            return page_height - margin - y * scale

        for s in shapes:
            if s.kind == "rect":
                if s.fill:
                    pdf.setFillColor(HexColor(s.fill))
                pdf.rect(
                    px(s.x), py(s.y + s.h), s.w * scale, s.h * scale, stroke=0, fill=1
                )
            elif s.kind == "diamond":
                path = pdf.beginPath()
                path.moveTo(px(s.x), py(s.y - s.h))
                path.lineTo(px(s.x + s.w), py(s.y))
                path.lineTo(px(s.x), py(s.y + s.h))
                path.lineTo(px(s.x - s.w), py(s.y))
                path.close()
                if s.fill:
                    pdf.setFillColor(HexColor(s.fill))
                pdf.setStrokeColor(HexColor(s.stroke or s.fill or GREY))
                pdf.drawPath(path, stroke=1, fill=1 if s.fill else 0)
            elif s.kind == "line":
                pdf.setStrokeColor(HexColor(s.stroke or GRID))
                pdf.setLineWidth(1 if s.dash else 0.5)
                pdf.setDash(4, 3) if s.dash else pdf.setDash()
                pdf.line(px(s.x), py(s.y), px(s.w), py(s.h))
                pdf.setDash()
            elif s.kind == "text":
                pdf.setFillColor(HexColor(s.fill or TEXT))
                pdf.setFont(font, s.size * scale * (1.05 if s.bold else 1))
                draw = {
                    "start": pdf.drawString,
                    "middle": pdf.drawCentredString,
                    "end": pdf.drawRightString,
                }[s.anchor]
                draw(px(s.x), py(s.y), s.text)
        pdf.showPage()
        _pdf_table(pdf, font, timeline.title, columns, rows, page_height, margin)
        pdf.save()
    return buffer.getvalue()


def _buffer_cell(row: TimelineRow) -> str:
    """The buffer used, short enough for a table cell: "2/5 (40%)"."""
    if not row.has_baseline:
        return "—"
    return f"{row.buffer_used}/{row.buffer_days} ({row.consumption_percent}%)"


def _table(timeline: Timeline) -> tuple[list[tuple[str, int]], list[list[str]]]:
    """The PDF table: its column headings with their x offsets, and its rows of text."""
    columns = [
        (_("Phase or milestone"), 0),
        (_("Start"), 300),
        (_("Finish"), 375),
        (_("Baseline finish"), 450),
        (_("Status"), 530),
        (_("Slip (working days)"), 600),
        (_("Buffer used (working days)"), 690),
    ]
    rows = [
        [
            f"{row.wbs} {row.name}".strip()[:34],
            _short(row.start),
            _short(row.finish),
            _short(row.baseline_finish),
            row.status_label,
            str(row.slip_days) if row.has_baseline else "—",
            _buffer_cell(row),
        ]
        for row in timeline.rows
    ]
    return columns, rows


def _pdf_table(
    pdf: Any,
    font: str,
    title: str,
    columns: list[tuple[str, int]],
    rows: list[list[str]],
    height: float,
    margin: float,
) -> None:
    y = height - margin - 20
    pdf.setFont(font, 14)
    pdf.drawString(margin, y, title)
    y -= 28

    def header() -> float:
        pdf.setFont(font, 9)
        for label, x in columns:
            pdf.drawString(margin + x, y, label)
        return y - 16

    y = header()
    for values in rows:
        if y < margin + 20:
            pdf.showPage()
            y = height - margin - 20
            y = header()
        pdf.setFont(font, 9)
        for (_label, x), value in zip(columns, values, strict=True):
            pdf.drawString(margin + x, y, value)
        y -= 14
    pdf.showPage()


# --- Excel --------------------------------------------------------------------------------------


def timeline_xlsx(timeline: Timeline) -> bytes:
    """The timeline as a workbook: a table of phases and milestones with dates, status
    and buffer, and beside it a bar chart drawn with cell fills (one column per week)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Timeline")[:31]
    # Names come from users and the file goes to the client: every one is defused.
    sheet["A1"] = safe_cell(timeline.title)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = timeline.summary
    headers = [
        _("Kind"),
        _("WBS"),
        _("Name"),
        _("Start"),
        _("Finish"),
        _("Baseline finish"),
        # xgettext:no-python-format
        _("% complete"),
        _("Status"),
        _("Slip (working days)"),
        _("Buffer (working days)"),
        _("Buffer used"),
    ]
    header_row = 4
    for column, label in enumerate(headers, start=1):
        cell = sheet.cell(header_row, column, label)
        cell.font = Font(bold=True)
    fills = {
        k: PatternFill("solid", fgColor=v.lstrip("#"))
        for k, v in STATUS_COLOURS.items()
    }
    rows = timeline.rows
    dates = [d for r in rows for d in (r.start, r.finish) if d] or [timeline.today]
    first = min(dates) - timedelta(days=min(dates).weekday())
    weeks = max(1, ((max(dates) - first).days // 7) + 1)
    chart_column = len(headers) + 2
    for week in range(min(weeks, 150)):
        column = chart_column + week
        monday = first + timedelta(weeks=week)
        cell = sheet.cell(header_row, column, monday.strftime("%m-%d"))
        cell.alignment = Alignment(text_rotation=90)
        sheet.column_dimensions[get_column_letter(column)].width = 3
    for index, row in enumerate(rows, start=header_row + 1):
        values = [
            _("Phase") if row.kind == "phase" else _("Milestone"),
            row.wbs,
            row.name,
            row.start,
            row.finish,
            row.baseline_finish,
            row.percent / 100,
            row.status_label,
            row.slip_days if row.has_baseline else None,
            row.buffer_days,
            row.consumption if row.has_baseline else None,
        ]
        for column, value in enumerate(values, start=1):
            cell = set_cell(sheet, index, column, value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        sheet.cell(index, 7).number_format = "0%"
        sheet.cell(index, 11).number_format = "0%"
        sheet.cell(index, 8).fill = fills[row.status]
        begin = row.start or row.finish
        end = row.finish or row.start
        if begin and end:
            for week in range((begin - first).days // 7, (end - first).days // 7 + 1):
                if week < 150:
                    sheet.cell(index, chart_column + week).fill = fills[row.status]
    widths = (10, 8, 36, 12, 12, 14, 10, 10, 12, 12, 12)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 4)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- iCalendar ----------------------------------------------------------------------------------


def new_token() -> str:
    """A fresh secret for a feed URL (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class CalendarEvent:
    """An all-day event: a milestone or a task's due date."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never inside a UTF-8
    character; continuation lines start with a space (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    size = 0
    for char in line:
        length = len(char.encode("utf-8"))
        if size + length > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += length
    parts.append(current)
    return "\r\n ".join(parts)


def ics_calendar(
    name: str, events: Iterable[CalendarEvent], *, now: datetime | None = None
) -> str:
    """A VCALENDAR with ``events`` as all-day VEVENTs, CRLF line ends, folded lines."""
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Clientfolio//Schedule feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(event.day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(event.summary)}",
            "TRANSP:TRANSPARENT",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
