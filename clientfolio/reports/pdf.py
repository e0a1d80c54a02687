"""A progress report version as a PDF (A4 portrait) that renders Chinese: ReportLab with
the embedded Noto Sans CJK subset of ``core.pdf``, as the closure report does, the
firm's logo and sections in the order of its template, and charts drawn with ReportLab
graphics, labelled in the report's language: the percent complete, progress over the
periods (planned against actual), the budget burn (internal version only) and the
milestones' slip against the first baseline (working days)."""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clientfolio.core.pdf import embedded_font, font_name
from clientfolio.reports.labels import label, schedule_words, slip_words
from clientfolio.reports.progress import SECTION_LABELS

__all__ = ["report_pdf", "section_tables"]

Table_ = tuple[list[str], list[list[str]]]


def _dash(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _plain(markdown: str) -> list[str]:
    text = re.sub(r"[*_`#>]+", "", markdown or "")
    return [
        escape(p.strip()).replace("\n", "<br/>")
        for p in text.split("\n\n")
        if p.strip()
    ]


_slip = slip_words


def section_tables(
    snapshot: dict[str, Any], section: str, *, internal: bool = True
) -> list[tuple[str, Table_]]:
    """The tables of one section (a caption, the header and the rows), in the active
    language: what the PDF prints. The client's version says where the project stands
    in plain words (behind or ahead of schedule by so many working days), not SPI."""
    data = snapshot.get(section) or {}
    if section == "progress":
        rows = [[_("Percent complete"), f"{data.get('percent_complete', 0)}%"]]
        if internal:
            rows.append([_("Schedule performance index (SPI)"), _dash(data.get("spi"))])
        else:
            rows.append([_("Schedule"), schedule_words(data.get("slip_days"))])
        if "cpi" in data:
            rows.append([_("Cost performance index (CPI)"), _dash(data.get("cpi"))])
        rows += [
            [_("Forecast finish"), _dash(data.get("finish"))],
            [_("Baseline finish"), _dash(data.get("baseline_finish"))],
            [_("Slip"), _slip(data.get("slip_days"))],
        ]
        milestones = [
            [
                m["name"],
                _dash(m.get("baseline_finish")),
                _dash(m.get("finish")),
                _slip(m.get("slip_days")),
                label("milestone_status", m.get("status")),
            ]
            for m in data.get("milestones", [])
        ]
        header = [
            _("Next milestones"),
            _("Baseline"),
            _("Forecast"),
            _("Slip"),
            _("Status"),
        ]
        return [("", ([], rows)), ("", (header, milestones))]
    if section == "tasks":
        done = [
            [_dash(t["wbs"]), t["name"], _dash(t["finish"])]
            for t in data.get("completed", [])
        ]
        planned = [
            [_dash(t["wbs"]), t["name"], _dash(t["start"]), _dash(t["finish"])]
            for t in data.get("planned", [])
        ]
        return [
            (
                _("Completed in the period (%(count)s)")
                % {"count": data.get("completed_count", 0)},
                ([_("WBS"), _("Task"), _("Finished")], done),
            ),
            (
                _("Planned for the next period (%(count)s)")
                % {"count": data.get("planned_count", 0)},
                ([_("WBS"), _("Task"), _("Start"), _("Finish")], planned),
            ),
        ]
    if section == "milestones":
        reached = [[m["name"], _dash(m.get("finish"))] for m in data.get("reached", [])]
        moved = [
            [
                m["name"],
                _dash(m.get("baseline_finish")),
                _dash(m.get("finish")),
                _slip(m.get("slip_days")),
            ]
            for m in data.get("moved", [])
        ]
        return [
            (_("Reached in the period"), ([_("Milestone"), _("Reached on")], reached)),
            (
                _("Moved against the baseline"),
                ([_("Milestone"), _("Baseline"), _("Forecast"), _("Slip")], moved),
            ),
        ]
    if section == "communication":
        rows = [
            [
                _dash(r.get("date")),
                label("comm_kind", r.get("kind")),
                r["subject"],
                r.get("decisions", ""),
            ]
            for r in data.get("records", [])
        ]
        return [("", ([_("Date"), _("Kind"), _("Subject"), _("Decisions")], rows))]
    if section == "changes":
        header = [
            _("No."),
            _("Change request"),
            _("Status"),
            _("Schedule (days)"),
            _("Scope"),
        ]
        has_cost = any("cost_impact" in r for r in data.get("requests", []))
        if has_cost:
            header.append(_("Cost"))
        rows = []
        for r in data.get("requests", []):
            row = [
                f"CR-{r['number']}",
                r["title"],
                label("change_status", r.get("status")),
                _dash(r.get("schedule_impact_days")),
                _dash(r.get("scope_impact")),
            ]
            if has_cost:
                row.append(_dash(r.get("cost_impact")))
            rows.append(row)
        return [("", (header, rows))]
    if section == "risks":
        risks = [
            [
                r["title"],
                label("risk_level", r.get("level")),
                _dash(r.get("score")),
                label("risk_status", r.get("status")),
            ]
            for r in data.get("risks", [])
        ]
        issues = [
            [
                i["title"],
                label("issue_severity", i.get("severity")),
                label("issue_status", i.get("status")),
                _dash(i.get("due_on")),
            ]
            for i in data.get("issues", [])
        ]
        return [
            (_("Top risks"), ([_("Risk"), _("Level"), _("Score"), _("Status")], risks)),
            (
                _("Open issues"),
                ([_("Issue"), _("Severity"), _("Status"), _("Due")], issues),
            ),
        ]
    if section == "budget":
        rows = [
            [_("Hours in the period"), _dash(data.get("hours_in_period"))],
            [_("Hours in total"), _dash(data.get("hours_total"))],
            [_("Cost in the period (CNY)"), _dash(data.get("cost_in_period"))],
            [_("Budget (CNY)"), _dash(data.get("budget"))],
            [_("Actual cost (CNY)"), _dash(data.get("actual_cost"))],
            [
                _("Budget burn"),
                "—" if data.get("burn_percent") is None else f"{data['burn_percent']}%",
            ],
            [_("Cost performance index (CPI)"), _dash(data.get("cpi"))],
        ]
        return [("", ([], rows))]
    if section == "waiting":
        rows = [
            [
                _("Decide on a change"),
                f"CR-{c['number']} {c['title']}",
                _dash(c.get("since")),
            ]
            for c in data.get("change_requests", [])
        ]
        rows += [
            [_("Accept a deliverable"), d["name"], _dash(d.get("due_on"))]
            for d in data.get("deliverables", [])
        ]
        rows += [
            [_("Confirm the minutes"), m["subject"], _dash(m.get("date"))]
            for m in data.get("minutes", [])
        ]
        return [("", ([_("What"), _("Item"), _("Since / due")], rows))]
    return []


def _progress_chart(
    progress: dict[str, Any], font: str, width: float
) -> tuple[Any, list[str]] | None:
    """Planned against actual percent complete at the end of each period (lines)."""
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    series = progress.get("series") or []
    if len(series) < 2:
        return None
    title = _("Progress over the periods: planned and actual percent complete")
    planned_name, actual_name = _("Planned (baseline)"), _("Actual")
    labels = [str(p["end"])[5:] for p in series]
    height = 150
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=font, fontSize=9))
    chart = HorizontalLineChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = width - 140, height - 50
    has_plan = any(p.get("planned") is not None for p in series)
    data = [[p.get("actual") for p in series]]
    if has_plan:
        data.insert(0, [p.get("planned") or 0 for p in series])
    chart.data = data
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    shades = ["#9aa0ac", "#206bc4"] if has_plan else ["#206bc4"]
    for index, colour in enumerate(shades):
        chart.lines[index].strokeColor = colors.HexColor(colour)
        chart.lines[index].strokeWidth = 1.5
    if has_plan:
        chart.lines[0].strokeDashArray = [3, 2]
    chart.lineLabelFormat = lambda v: "" if v is None else f"{v:.0f}%"
    chart.lineLabels.fontName = font
    chart.lineLabels.fontSize = 6
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 100, height - 30
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    names = [planned_name, actual_name] if has_plan else [actual_name]
    legend.colorNamePairs = [
        (colors.HexColor(c), n) for c, n in zip(shades, names, strict=True)
    ]
    drawing.add(legend)
    return drawing, [title, *names, *labels, "%0123456789"]


def _burn_chart(
    budget: dict[str, Any], percent: int, font: str, width: float
) -> tuple[Any, list[str]] | None:
    """Budget burn (internal): the share of the budget spent against the share of the
    work done, as two bars on a 0–100 % scale."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    burn = budget.get("burn_percent")
    if burn is None:
        return None
    title = _(
        "Budget burn: %(burn)s%% of the budget spent, %(done)s%% of the work done"
    ) % {
        "burn": burn,
        "done": percent,
    }
    rows = [
        (_("Budget spent"), int(burn), "#d63939" if burn > percent else "#f59f00"),
        (_("Work done"), int(percent), "#206bc4"),
    ]
    label_width, row, height = width * 0.22, 16, 64
    scale_width = width - label_width - 40
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=font, fontSize=9))
    for index, (name, value, colour) in enumerate(rows):
        y = height - 32 - index * row
        drawing.add(String(0, y + 2, name, fontName=font, fontSize=8))
        drawing.add(
            Rect(
                label_width,
                y,
                scale_width,
                11,
                fillColor=colors.HexColor("#e9ecef"),
                strokeColor=None,
            )
        )
        drawing.add(
            Rect(
                label_width,
                y,
                scale_width * min(max(value, 0), 150) / 150,
                11,
                fillColor=colors.HexColor(colour),
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                label_width + scale_width + 4,
                y + 2,
                f"{value}%",
                fontName=font,
                fontSize=8,
            )
        )
    full = label_width + scale_width * 100 / 150
    drawing.add(
        Line(full, 2, full, height - 18, strokeColor=colors.grey, strokeWidth=0.5)
    )
    drawing.add(String(full, 0, "100%", fontName=font, fontSize=6, textAnchor="middle"))
    words = [title, *(name for name, _v, _c in rows), "%0123456789"]
    return drawing, words


def _slip_chart(
    progress: dict[str, Any], font: str, width: float
) -> tuple[Any, list[str]] | None:
    """The next milestones' slip against the first baseline (working days)."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    milestones = progress.get("milestones") or []
    if not milestones:
        return None
    words: list[str] = []
    row, label_width = 18, width * 0.4
    height = 26 + row * len(milestones)
    chart = Drawing(width, height)
    title = _("Slip of the next milestones against the first baseline (working days)")
    words.append(title)
    chart.add(String(0, height - 10, title, fontName=font, fontSize=9))
    span = max([abs(m.get("slip_days") or 0) for m in milestones] + [5])
    zero = label_width + (width - label_width) / 2
    scale = (width - label_width) / 2 / span
    chart.add(
        Line(zero, 0, zero, height - 18, strokeColor=colors.grey, strokeWidth=0.5)
    )
    for index, m in enumerate(milestones):
        y = height - 34 - index * row
        name = m["name"][:24]
        slip = m.get("slip_days") or 0
        text = _slip(slip)
        words += [name, text]
        chart.add(String(0, y + 3, name, fontName=font, fontSize=8))
        colour = "#d63939" if slip > 0 else "#2fb344"
        chart.add(
            Rect(
                min(zero, zero + slip * scale),
                y,
                abs(slip * scale) or 1,
                11,
                fillColor=colors.HexColor(colour),
                strokeColor=None,
            )
        )
        anchor = zero + slip * scale + (4 if slip >= 0 else -4)
        chart.add(
            String(
                anchor,
                y + 2,
                text,
                fontName=font,
                fontSize=7,
                textAnchor="start" if slip >= 0 else "end",
            )
        )
    return chart, words


def _charts(
    snapshot: dict[str, Any], font: str, width: float, *, internal: bool = False
) -> tuple[dict[str, list[Any]], list[str]]:
    """The report's charts as ReportLab drawings by the section they open, with the
    words they print (for the font subset): in the progress section the percent
    complete bar, progress over the periods and the milestone slip; in the budget
    section (internal version only) the budget burn."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors

    progress = snapshot.get("progress") or {}
    words: list[str] = []
    percent = int(progress.get("percent_complete") or 0)
    bar = Drawing(width, 34)
    caption = _("Percent complete: %(percent)s%%") % {"percent": percent}
    words.append(caption)
    bar.add(String(0, 24, caption, fontName=font, fontSize=9))
    bar.add(
        Rect(0, 4, width, 14, fillColor=colors.HexColor("#e9ecef"), strokeColor=None)
    )
    bar.add(
        Rect(
            0,
            4,
            width * min(percent, 100) / 100,
            14,
            fillColor=colors.HexColor("#206bc4"),
            strokeColor=None,
        )
    )
    by_section: dict[str, list[Any]] = {"progress": [bar], "budget": []}
    found = [
        ("progress", _progress_chart(progress, font, width)),
        ("progress", _slip_chart(progress, font, width)),
        (
            "budget",
            _burn_chart(snapshot.get("budget") or {}, percent, font, width)
            if internal and "budget" in snapshot
            else None,
        ),
    ]
    for section, item in found:
        if item is not None:
            drawing, chart_words = item
            by_section[section].append(drawing)
            words += chart_words
    return by_section, words


def _logo(data: bytes | None, width: float) -> Any:
    """The firm's logo as a flowable at most 16 mm high, or None."""
    if not data:
        return None
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    reader = ImageReader(io.BytesIO(data))
    pixels_wide, pixels_high = reader.getSize()
    height = 16 * mm
    wide = height * pixels_wide / pixels_high
    if wide > width / 3:
        wide, height = width / 3, width / 3 * pixels_high / pixels_wide
    image = Image(io.BytesIO(data), width=wide, height=height)
    image.hAlign = "LEFT"
    return image


def report_pdf(
    snapshot: dict[str, Any], *, internal: bool, logo: bytes | None = None
) -> bytes:
    """The PDF of one version's snapshot (client or internal) in the active language,
    its sections in the snapshot's order (the firm's template), the firm's ``logo``
    (PNG or JPEG bytes) at the top. Raises ``core.pdf.FontMissing`` without a CJK
    font."""
    from reportlab.graphics import shapes
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    project = snapshot.get("project", {})
    period = snapshot.get("period", {})
    title_text = _("Progress report") + (f" · {_('internal')}" if internal else "")
    heading_text = f"{project.get('code', '')} {project.get('name', '')}"
    facts = [
        [_("Client"), _dash(project.get("client"))],
        [
            _("Period"),
            f"{label('period', period.get('kind'))} {period.get('start')} – {period.get('end')}",
        ],
        [_("As of"), _dash(snapshot.get("as_of"))],
        [_("Version"), _dash(snapshot.get("version"))],
    ]
    narrative = snapshot.get("narrative", {})
    narrative_parts = [
        (pgettext("progress report", "Summary"), narrative.get("summary", "")),
        (_("Next steps"), narrative.get("next_steps", "")),
        (_("Notes for the client"), narrative.get("client_notes", "")),
    ]
    if internal:
        narrative_parts.append(
            (_("Internal notes"), narrative.get("internal_notes", ""))
        )
    sections = [
        (s, str(SECTION_LABELS[s]), section_tables(snapshot, s, internal=internal))
        for s in snapshot.get("sections", [])
        if s in SECTION_LABELS
    ]
    width = A4[0] - 36 * mm
    font = font_name()
    _drawings, chart_words = _charts(snapshot, "Helvetica", width, internal=internal)
    empty = _("Nothing in this period.")
    text = "".join(
        [title_text, heading_text, empty, *chart_words]
        + [c for row in facts for c in row]
        + [h + t for h, t in narrative_parts]
        + [
            heading
            + caption
            + "".join(header)
            + "".join(c for row in rows for c in row)
            for _key, heading, tables in sections
            for caption, (header, rows) in tables
        ]
    )
    buffer = io.BytesIO()
    with embedded_font(font, text):
        base = ParagraphStyle(
            "cf", fontName=font, fontSize=9, leading=13, wordWrap="CJK"
        )
        title = ParagraphStyle(
            "cf-title", parent=base, fontSize=18, leading=24, spaceAfter=4
        )
        heading = ParagraphStyle(
            "cf-h", parent=base, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4
        )
        caption_style = ParagraphStyle(
            "cf-c", parent=base, fontSize=10, leading=14, spaceBefore=4, spaceAfter=2
        )
        muted = ParagraphStyle("cf-m", parent=base, textColor=colors.grey)

        def table(header: list[str], rows: list[list[str]]) -> Table:
            data = ([header] if header else []) + rows
            cells = [[Paragraph(escape(str(c)), base) for c in row] for row in data]
            columns = len(data[0])
            result = Table(
                cells,
                colWidths=[width / columns] * columns,
                hAlign="LEFT",
                repeatRows=1 if header else 0,
            )
            style = [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d7de")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), font),
            ]
            if header:
                style.append(
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6f8fa"))
                )
            else:
                style.append(
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f6f8fa"))
                )
            result.setStyle(TableStyle(style))
            return result

        picture = _logo(logo, width)
        story: list[Any] = [picture] if picture is not None else []
        story += [
            Paragraph(escape(title_text), title),
            Paragraph(escape(heading_text), heading),
            table([], facts),
        ]
        for name, body in narrative_parts:
            paragraphs = _plain(body)
            if paragraphs:
                story.append(Paragraph(escape(name), heading))
                story += [Paragraph(p, base) for p in paragraphs]
        charts, _words = _charts(snapshot, font, width, internal=internal)
        for key, name, tables in sections:
            story.append(Paragraph(escape(name), heading))
            for drawing in charts.get(key, []):
                story += [drawing, Spacer(1, 3 * mm)]
            for caption, (header, rows) in tables:
                if caption:
                    story.append(Paragraph(escape(caption), caption_style))
                if rows:
                    story.append(table(header, rows))
                else:
                    story.append(Paragraph(escape(empty), muted))
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=f"{heading_text} · {title_text}",
            author="Clientfolio",
            initialFontName=font,
        )
        # The charts' renderer starts every drawing in STATE_DEFAULTS' font
        # (Helvetica, never embedded): start them in the document's font instead.
        default_font = shapes.STATE_DEFAULTS["fontName"]
        shapes.STATE_DEFAULTS["fontName"] = font
        try:
            document.build(story)
        finally:
            shapes.STATE_DEFAULTS["fontName"] = default_font
    return buffer.getvalue()
