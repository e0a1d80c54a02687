"""The client timeline chart: statuses and buffer consumption, the page, and its exports
as PNG, PDF (Chinese text) and Excel."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from PIL import Image

from clientfolio.schedule import exports, services
from clientfolio.schedule.gantt import (
    AT_RISK,
    DONE,
    DONE_LATE,
    LATE,
    ON_TRACK,
    timeline_data,
)
from clientfolio.schedule.models import Task
from tests.pdf import pdf_fonts, pdf_page_png, pdf_text
from tests.schedule.gantt_plan import START, build_plan

EARLY = START  # "today" before anything is due


# --- the data -----------------------------------------------------------------------------------


@pytest.fixture
def plan(project, member):
    return build_plan(project, owner=member)


@pytest.fixture
def baseline(project, plan, project_manager):
    return services.save_baseline(project, "签约基线", user=project_manager)


def _slip_coding(plan, days):
    plan.c.refresh_from_db()
    plan.c.duration += days
    services.update_task(plan.c, plan.c.version)


@pytest.mark.django_db
def test_timeline_shows_phases_and_client_visible_milestones(project, plan):
    timeline = timeline_data(project, today=EARLY)
    assert [(r.kind, r.name) for r in timeline.rows] == [
        ("phase", "设计"),
        ("phase", "开发"),
        ("milestone", "验收里程碑"),
    ]
    assert all(r.status == ON_TRACK for r in timeline.rows)
    assert project.name in timeline.title
    assert START.isoformat() in timeline.title


@pytest.mark.django_db
def test_internal_milestones_are_shown_only_on_request(project, plan):
    plan.milestone.is_client_visible = False
    plan.milestone.save()
    assert not timeline_data(project, today=EARLY).milestones
    assert timeline_data(project, all_milestones=True, today=EARLY).milestones


@pytest.mark.django_db
def test_slipping_consumes_the_milestone_and_project_buffers(project, plan, baseline):
    # given the baseline, when the coding task slips 3 working days
    _slip_coding(plan, 3)
    timeline = timeline_data(project, today=EARLY)

    # then the milestone has used 3 of its 5 days (at risk) and the project 3 of 4
    milestone = timeline.milestones[0]
    assert (milestone.slip_days, milestone.buffer_days) == (3, 5)
    assert milestone.consumption_percent == 60
    assert milestone.status == AT_RISK
    assert (timeline.slip_days, timeline.consumption_percent) == (3, 75)
    assert timeline.status == AT_RISK

    # when it slips 3 more, the buffer is gone: late
    _slip_coding(plan, 3)
    timeline = timeline_data(project, baseline, today=EARLY)
    assert timeline.milestones[0].status == LATE
    assert timeline.status == LATE
    # and it is all of the buffer that is used, never more than all of it
    assert (timeline.slip_days, timeline.buffer_used) == (6, 4)
    assert timeline.consumption_percent == 100
    assert timeline.milestones[0].consumption_percent == 100


@pytest.mark.django_db
def test_done_phases_are_green(project, plan):
    for task in (plan.a, plan.b):
        task.refresh_from_db()
        task.status = "done"
        task.actual_start = task.actual_finish = task.start
        services.update_task(task, task.version)
    timeline = timeline_data(project, today=EARLY + timedelta(days=30))
    assert timeline.phases[0].status == DONE


def _finish_milestone_on(plan, day):
    milestone = plan.milestone
    milestone.refresh_from_db()
    milestone.status = "done"
    milestone.actual_start = milestone.actual_finish = day
    services.update_task(milestone, milestone.version)


@pytest.mark.django_db
def test_a_milestone_done_after_its_buffer_is_done_late_by_its_actual_finish(
    project, plan, baseline
):
    # given the milestone's baseline finish on Friday March 13 and 5 days of buffer,
    # when it is done on March 25: 8 working days after its baseline
    _finish_milestone_on(plan, date(2026, 3, 25))
    with translation.override("en"):
        milestone = timeline_data(project, today=date(2026, 3, 26)).milestones[0]

        # then it is "done late", not green "done", by its actual finish
        assert milestone.status == DONE_LATE
        assert milestone.finish == date(2026, 3, 25)
        assert (milestone.slip_days, milestone.buffer_days) == (8, 5)
        # all of its buffer is used, and no more than all of it (not "160 %")
        assert (milestone.buffer_used, milestone.consumption_percent) == (5, 100)
        assert milestone.note == "2026-03-25 · Done late · 8 working days late"


@pytest.mark.django_db
def test_a_milestone_done_within_its_buffer_is_done(project, plan, baseline):
    _finish_milestone_on(plan, date(2026, 3, 17))  # 2 working days late, 5 of buffer
    with translation.override("en"):
        milestone = timeline_data(project, today=date(2026, 3, 26)).milestones[0]
        assert milestone.status == DONE
        assert (milestone.slip_days, milestone.buffer_used) == (2, 2)
        assert milestone.note == "2026-03-17 · Done · 2 working days late"


@pytest.mark.django_db
def test_finishing_early_uses_none_of_the_project_buffer(
    project, plan, baseline, as_persona
):
    # given the coding task one day shorter than in the baseline
    _slip_coding(plan, -1)
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        timeline = timeline_data(project)
        response = as_persona("viewer").get(
            reverse("schedule:timeline", args=[project.pk])
        )

    # then the project is a day early and has used none of its buffer
    assert timeline.slip_days == -1
    assert (timeline.buffer_used, timeline.consumption_percent) == (0, 0)
    body = response.content.decode()
    assert "1 working day early" in body
    assert "0 of 4 working days (0%)" in body
    assert "-1 of" not in body
    assert "-1 /" not in body


@pytest.mark.django_db
def test_work_reported_complete_without_actual_dates_stays_at_its_planned_dates(
    project, plan, baseline
):
    # given both design tasks marked complete without actual dates (as an import or an
    # old row may leave them), computed with the status date three weeks later
    Task.objects.filter(pk__in=[plan.a.pk, plan.b.pk]).update(
        status="done", percent_complete=100
    )
    services.recompute(project, status_date=date(2026, 3, 20))

    # then they are drawn where they were planned, not finishing on the status date
    plan.a.refresh_from_db()
    plan.b.refresh_from_db()
    assert (plan.a.start, plan.a.finish) == (date(2026, 3, 2), date(2026, 3, 4))
    assert (plan.b.start, plan.b.finish) == (date(2026, 3, 5), date(2026, 3, 6))
    design = timeline_data(project, today=date(2026, 3, 20)).phases[0]
    assert (design.finish, design.slip_days, design.status) == (
        date(2026, 3, 6),
        0,
        DONE,
    )


@pytest.mark.django_db
def test_a_new_projects_milestone_is_on_the_client_timeline(project, as_persona):
    # given a new project whose manager adds a milestone, saying nothing of the client
    services.create_task(Task(project=project, name="合同签订", is_milestone=True))

    # then the client timeline shows it, as shared with the client
    milestones = timeline_data(project).milestones
    assert [(m.name, m.is_client_visible) for m in milestones] == [("合同签订", True)]
    body = (
        as_persona("viewer")
        .get(reverse("schedule:timeline", args=[project.pk]))
        .content.decode()
    )
    assert "合同签订" in body
    assert "No phases or milestones yet" not in body


# --- the page and the exports -------------------------------------------------------------------


@pytest.mark.django_db
def test_timeline_page_shows_chart_data_and_table(project, plan, baseline, as_persona):
    response = as_persona("viewer").get(reverse("schedule:timeline", args=[project.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="timeline-data"' in body
    assert 'id="timeline-table"' in body
    assert "验收里程碑" in body


@pytest.mark.django_db
def test_png_export_is_a_picture_with_content(project, plan, baseline, as_persona):
    # when the manager exports the timeline as a picture
    response = as_persona("project_manager").get(
        reverse("schedule:timeline_png", args=[project.pk])
    )

    # then it is a PNG attachment named after the project, of a sensible size, not blank
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{project.code}-timeline'
    )
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.width == 1600
    assert 200 < image.height < 2000
    colours = image.getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 20  # text, bars, grid: far more than a blank page
    assert any(rgb == (32, 107, 196) for _count, rgb in colours)  # an on-track bar


def _timeline_pdf(browser, project, language):
    response = browser.get(
        reverse("schedule:timeline_pdf", args=[project.pk]),
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response.content


def _assert_fonts_embedded_and_page_drawn(content):
    fonts = pdf_fonts(content)
    assert fonts
    assert all(f["embedded"] == "yes" for f in fonts), fonts
    picture = Image.open(io.BytesIO(pdf_page_png(content))).convert("L")
    assert picture.getextrema()[0] < 100  # not a blank page
    assert sum(picture.histogram()[:128]) > 300  # text and bars, not a stray dot


@pytest.mark.django_db
def test_pdf_export_embeds_its_font_and_reads_back_in_chinese(
    project, plan, baseline, as_persona
):
    content = _timeline_pdf(as_persona("project_manager"), project, "zh-hans")
    _assert_fonts_embedded_and_page_drawn(content)
    text = pdf_text(content)
    assert project.name in text
    assert "验收里程碑" in text
    assert "客户时间节点图" in text
    assert "·" in text


@pytest.mark.django_db
def test_pdf_export_in_english_keeps_latin_words_and_separators_intact(
    project, plan, baseline, as_persona
):
    # given an English project whose milestone is "UAT passed"
    project.name = "Customer portal"
    project.save(update_fields=["name"])
    Task.objects.filter(pk=plan.milestone.pk).update(name="UAT passed")

    content = _timeline_pdf(as_persona("project_manager"), project, "en")

    # then poppler reads the words whole ("Customer", not "C ustomer") and the dots
    _assert_fonts_embedded_and_page_drawn(content)
    text = pdf_text(content)
    for words in ("Customer portal", "UAT passed", "client timeline", "On track"):
        assert words in text
    assert "·" in text
    assert "C ustomer" not in text
    assert "U AT" not in text


@pytest.mark.django_db
def test_xlsx_export_holds_the_table(project, plan, baseline, as_persona):
    response = as_persona("project_manager").get(
        reverse("schedule:timeline_xlsx", args=[project.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert project.name in sheet["A1"].value
    names = [sheet.cell(row, 3).value for row in range(5, 8)]
    assert names == ["设计", "开发", "验收里程碑"]
    assert sheet.cell(7, 5).value.date() == plan.milestone.finish


@pytest.mark.django_db
def test_a_viewer_may_see_but_not_export_the_timeline(project, plan, as_persona):
    browser = as_persona("viewer")
    assert (
        browser.get(reverse("schedule:timeline", args=[project.pk])).status_code == 200
    )
    assert (
        browser.get(reverse("schedule:timeline_png", args=[project.pk])).status_code
        == 403
    )


@pytest.mark.django_db
def test_an_empty_project_still_exports(project, as_persona):
    timeline = timeline_data(project)
    assert exports.timeline_png(timeline)[:4] == b"\x89PNG"
    assert exports.timeline_pdf(timeline)[:4] == b"%PDF"
    assert exports.timeline_xlsx(timeline)[:2] == b"PK"


# --- the language of each request (issue 12) ------------------------------------------------

CHINESE_LABELS = ("正常", "已完成", "有风险", "已延误")
ENGLISH_LABELS = ("On track", "Done", "At risk", "Late")


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(
        str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value
    )


@pytest.mark.django_db
def test_the_english_timeline_speaks_english_after_a_chinese_one(
    project, plan, baseline, as_persona
):
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        _request_in_chinese_then_english(project, as_persona)


def _request_in_chinese_then_english(project, as_persona):
    # given a Chinese request for the page and every export, then the same in English,
    # in one process (the labels were once frozen in the first request's language)
    browser = as_persona("project_manager")

    def get(name, language):
        response = browser.get(
            reverse(f"schedule:{name}", args=[project.pk]),
            headers={"accept-language": language},
        )
        assert response.status_code == 200
        return response.content

    texts = {}
    for language in ("zh-hans", "en"):
        texts[language] = {
            "page": get("timeline", language).decode(),
            "pdf": pdf_text(get("timeline_pdf", language)),
            "xlsx": _xlsx_text(get("timeline_xlsx", language)),
        }
        with translation.override(language):
            # The PNG paints exactly these shapes; its pixels cannot be read back as text.
            shapes, _width, _height = exports.chart_shapes(timeline_data(project))
            texts[language]["png"] = "\n".join(s.text for s in shapes)
        assert get("timeline_png", language)[:4] == b"\x89PNG"

    # then each output of the English request has the English status labels only
    for kind, text in texts["en"].items():
        assert "On track" in text, kind
        for label in CHINESE_LABELS:
            assert label not in text, (kind, label)
    # and the Chinese request had the Chinese ones
    for kind, text in texts["zh-hans"].items():
        assert "正常" in text, kind
    # the chart's legend names every status
    for label in ENGLISH_LABELS:
        assert label in texts["en"]["png"]
        assert label in texts["en"]["pdf"]
