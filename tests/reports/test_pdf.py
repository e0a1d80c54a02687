"""The PDFs render Chinese with the embedded font, and the client one carries no
internal figure (poppler's pdftotext and pdffonts read them back)."""

import shutil
import subprocess

import pytest
from django.utils import translation

from clientfolio.reports.pdf import report_pdf
from clientfolio.reports.sections import client_snapshot, internal_snapshot
from tests.reports.test_sections import DATA, NARRATIVE

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils is not installed"
)


def _text(content: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return text, fonts


def test_the_client_pdf_is_chinese_with_an_embedded_font_and_no_cpi(tmp_path):
    snapshot = client_snapshot(DATA, ["progress", "changes"], NARRATIVE)
    with translation.override("zh-hans"):
        text, fonts = _text(report_pdf(snapshot, internal=False), tmp_path)
    assert "平台" in text
    assert "进度报告" in text
    assert "顺利" in text
    assert "成本绩效" not in text
    assert "人手紧张" not in text
    assert "12000" not in text
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows
    assert all(" yes yes " in row for row in rows)


def test_the_internal_pdf_has_the_budget_and_the_internal_notes(tmp_path):
    with translation.override("en"):
        text, _fonts = _text(
            report_pdf(internal_snapshot(DATA, NARRATIVE), internal=True), tmp_path
        )
    assert "Hours in total" in text
    assert "人手紧张" in text
    assert "Slip of the next milestones" in text
