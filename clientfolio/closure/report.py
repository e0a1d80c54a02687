"""The final evaluation as a PDF report (A4 portrait) that renders Chinese: ReportLab with
the Adobe CID font STSong-Light it ships, as the schedule exports do."""

import io
import re
from decimal import Decimal
from html import escape
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.closure.services import EvaluationFigures, checklist_rows
from clientfolio.schedule.exports import PDF_FONT, _register_pdf_font

__all__ = ["evaluation_pdf"]


def _no_data(value: Any, fmt: str = "{}") -> str:
    return _("no data") if value is None else fmt.format(value)


def _ratio(value: Decimal | None) -> str:
    return _no_data(None if value is None else f"{Decimal(value):.2f}")


def _money(value: Decimal | None, currency: str) -> str:
    if value is None:
        return _("no data")
    symbol = "¥" if currency == "CNY" else f"{currency} "
    return f"{symbol}{Decimal(value):,.2f}"


def _plain(markdown: str) -> list[str]:
    """The narrative's paragraphs without Markdown markup, escaped for ReportLab."""
    text = re.sub(r"[*_`#>]+", "", markdown or "")
    return [
        escape(p.strip()).replace("\n", "<br/>")
        for p in text.split("\n\n")
        if p.strip()
    ]


def evaluation_pdf(project, figures: EvaluationFigures, evaluation) -> bytes:
    """The project's final evaluation: facts, schedule, cost, quality, satisfaction, the
    closure checklist and the manager's narrative."""
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

    _register_pdf_font()
    base = ParagraphStyle(
        "cf", fontName=PDF_FONT, fontSize=10, leading=15, wordWrap="CJK"
    )
    title = ParagraphStyle(
        "cf-title", parent=base, fontSize=18, leading=24, spaceAfter=4
    )
    heading = ParagraphStyle(
        "cf-h", parent=base, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4
    )
    small = ParagraphStyle("cf-small", parent=base, fontSize=8, textColor=colors.grey)

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        data = [[Paragraph(escape(str(cell)), base) for cell in row] for row in rows]
        result = Table(data, colWidths=widths, hAlign="LEFT")
        result.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d7de")),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f6f8fa")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return result

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{project.code} {project.name} · {_('Final evaluation')}",
        author="Clientfolio",
    )
    wide = [62 * mm, 112 * mm]
    story: list[Any] = [
        Paragraph(escape(_("Final evaluation")), title),
        Paragraph(escape(f"{project.code} {project.name}"), heading),
        table(
            [
                [_("Client"), project.client.name],
                [_("Project manager"), str(project.manager)],
                [_("Status"), project.get_status_display()],
            ],
            wide,
        ),
        Paragraph(escape(_("Schedule")), heading),
        table(
            [
                [_("Planned finish"), _no_data(figures.planned_finish)],
                [_("Actual finish"), _no_data(figures.actual_finish)],
                [_("Slip (calendar days)"), _no_data(figures.slip_days)],
                [_("Schedule performance index (SPI)"), _ratio(figures.spi)],
            ],
            wide,
        ),
        Paragraph(escape(_("Cost")), heading),
        table(
            [
                [_("Budget"), _money(figures.budget, figures.currency)],
                [_("Actual cost"), _money(figures.actual_cost, figures.currency)],
                [_("Cost variance"), _money(figures.cost_variance, figures.currency)],
                [_("Cost performance index (CPI)"), _ratio(figures.cpi)],
            ],
            wide,
        ),
        Paragraph(escape(_("Quality")), heading),
        table(
            [
                [_("Reviews passed"), str(figures.reviews_passed)],
                [_("Reviews failed"), str(figures.reviews_failed)],
                [_("Acceptances rejected"), str(figures.acceptances_rejected)],
            ],
            wide,
        ),
        Paragraph(escape(_("Client satisfaction")), heading),
        table([[_("Score (1–5)"), _no_data(figures.satisfaction, "{} / 5")]], wide),
        Paragraph(escape(_("Closure checklist")), heading),
        table(
            [
                [
                    row.label,
                    f"{row.status_label}" + (f" ({row.count})" if row.count else ""),
                ]
                for row in checklist_rows(project)
            ],
            [110 * mm, 64 * mm],
        ),
        Paragraph(escape(_("Narrative")), heading),
    ]
    paragraphs = _plain(evaluation.narrative if evaluation else "")
    if not paragraphs:
        paragraphs = [escape(_("No narrative written yet."))]
    story += [Paragraph(p, base) for p in paragraphs]
    story += [
        Spacer(1, 8 * mm),
        Paragraph(
            escape(
                _("Generated by Clientfolio on %(date)s")
                % {"date": timezone.localdate().isoformat()}
            ),
            small,
        ),
    ]
    document.build(story)
    return buffer.getvalue()
