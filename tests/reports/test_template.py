"""The firm's progress-report template: sections, their order and the logo (checked by
its content), applied to new drafts, the page and the PDF; the PDF's charts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from clientfolio.reports import services
from clientfolio.reports.models import ReportTemplate
from clientfolio.reports.pdf import report_pdf
from clientfolio.reports.sections import client_snapshot, internal_snapshot
from tests.pdf import pdf_text
from tests.reports.conftest import TODAY
from tests.reports.test_sections import DATA, NARRATIVE

URL = reverse("reports:report_template")


def png(width=120, height=40) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#206bc4").save(buffer, "PNG")
    return buffer.getvalue()


def upload(data: bytes, name="logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def form_data(order, client=(), **extra):
    data = {}
    for place, section in enumerate(order, start=1):
        data[f"{section}_shown"] = "on"
        data[f"{section}_order"] = str(place)
    for section in ("progress", "tasks", "milestones", "communication", "changes"):
        data.setdefault(f"{section}_order", "50")
    for section in ("risks", "budget", "waiting"):
        data.setdefault(f"{section}_order", "50")
    for section in client:
        data[f"{section}_client"] = "on"
    return {**data, **extra}


@pytest.mark.django_db
def test_a_draft_follows_the_template_s_sections_order_and_client_default(
    plan, project, project_manager
):
    services.save_template(
        sections=["risks", "progress", "budget", "waiting"],
        client_sections=["progress", "waiting"],
        logo=upload(png()),
        expected_version=None,
    )
    report, _created = services.draft_report(project, today=TODAY, user=project_manager)
    assert report.data["layout"] == ["risks", "progress", "budget", "waiting"]
    assert report.client_sections == ["progress", "waiting"]
    with pytest.raises(services.ReportError, match="Unknown report section"):
        services.save_narrative(
            report,
            summary="",
            next_steps="",
            client_notes="",
            internal_notes="",
            client_sections=["tasks"],  # not in this firm's reports
            expected_version=report.version,
        )
    version = services.publish_report(
        report, user=project_manager, expected_version=report.version
    )
    assert version.client_data["sections"] == ["progress", "waiting"]
    assert version.internal_data["sections"] == [
        "risks",
        "progress",
        "budget",
        "waiting",
    ]
    internal = version.internal_pdf.read()
    assert b"/Subtype /Image" in internal  # the logo
    text = pdf_text(internal)
    risks, progress = text.index("Risks and issues"), text.index("Percent complete")
    assert risks < progress < text.index("Hours and budget")
    assert "Tasks" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a picture at all", "must be a PNG or JPEG"),
        (png()[:40], "must be a PNG or JPEG"),  # a cut file
        (png(8, 8), "between 16 and 4000 pixels"),
        (b"GIF89a" + b"\x00" * 40, "must be a PNG or JPEG"),
    ],
)
def test_a_logo_is_judged_by_its_content_and_nothing_is_saved(data, message):
    with pytest.raises(services.ReportError, match=message) as error:
        services.save_template(
            sections=["progress"],
            client_sections=[],
            logo=upload(data),
            expected_version=None,
        )
    assert error.value.field == "logo"
    assert not ReportTemplate.objects.exists()


@pytest.mark.django_db
def test_the_budget_section_is_never_the_client_s_by_default():
    with pytest.raises(services.ReportError, match="never shown to the client"):
        services.save_template(
            sections=["progress", "budget"],
            client_sections=["budget"],
            expected_version=None,
        )


@pytest.mark.django_db
def test_an_administrator_sets_the_template_on_its_page(as_persona):
    admin = as_persona("admin")
    bad = admin.post(
        URL, form_data(["progress"], logo=upload(b"<svg></svg>", "logo.png"))
    )
    assert bad.status_code == 400
    assert 'id="logo-error"' in bad.content.decode()
    assert not ReportTemplate.objects.exists()
    response = admin.post(
        URL,
        form_data(["waiting", "progress"], client=["progress"], logo=upload(png())),
    )
    assert response.status_code == 302
    template = ReportTemplate.objects.get()
    assert template.sections == ["waiting", "progress"]
    assert template.client_sections == ["progress"]
    page = admin.get(URL).content.decode()
    assert 'id="template-logo" ' in page or 'id="template-logo">' in page
    assert "data:image/png;base64," in page


def test_the_pdf_charts_are_labelled_in_the_report_s_language():
    data = {
        **DATA,
        "progress": {
            **DATA["progress"],
            "slip_days": 2,
            "series": [
                {"end": "2026-10-25", "planned": 10, "actual": 8},
                {"end": "2026-11-01", "planned": 30, "actual": 20},
                {"end": "2026-11-11", "planned": 60, "actual": 52},
            ],
        },
        "budget": {**DATA["budget"], "burn_percent": 61},
    }
    with translation.override("en"):
        internal = pdf_text(
            report_pdf(internal_snapshot(data, NARRATIVE), internal=True)
        )
        client = pdf_text(
            report_pdf(
                client_snapshot(data, ["progress", "changes"], NARRATIVE),
                internal=False,
            )
        )
    assert "Progress over the periods" in internal
    assert "Planned (baseline)" in internal
    assert "Budget burn: 61% of the budget spent, 52% of the work done" in internal
    assert "Schedule performance index (SPI)" in internal
    assert "Progress over the periods" in client
    assert "Budget burn" not in client
    assert "SPI" not in client
    assert "Behind schedule by 2 working days" in client
    with translation.override("zh-hans"):
        chinese = pdf_text(
            report_pdf(internal_snapshot(data, NARRATIVE), internal=True)
        )
    assert "Progress over the periods" not in chinese
    assert "Budget burn" not in chinese
