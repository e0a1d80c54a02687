"""The PDF font: Noto Sans CJK SC cut to each document's characters and embedded, so
poppler (as any viewer) shows Chinese, Latin text and "·" as we wrote them."""

import io

import pytest
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from clientfolio.core import pdf
from tests.pdf import pdf_fonts, pdf_page_png, pdf_text, skip_or_fail

TEXT = "P2026-004 Customer portal · UAT passed · 客户数据平台一期 — 需求确认（早 1 个工作日）"


def _document(text: str) -> bytes:
    buffer = io.BytesIO()
    font = pdf.font_name()
    with pdf.embedded_font(font, text):
        page = canvas.Canvas(buffer, initialFontName=font)
        page.setFont(font, 12)
        page.drawString(40, 700, text)
        page.showPage()
        page.save()
    return buffer.getvalue()


def test_the_face_of_the_noto_collection_is_the_simplified_chinese_one():
    from fontTools.ttLib import TTFont

    path = pdf.cjk_font_path()
    if path is None:
        skip_or_fail("no CJK font: install fonts-noto-cjk")
    index = pdf.cjk_face_index(path)
    if path.endswith(".ttc"):
        family = TTFont(path, fontNumber=index, lazy=True)["name"].getDebugName(1)
        assert family.endswith(" SC")


def test_the_font_is_embedded_and_the_text_reads_back_intact():
    content = _document(TEXT)
    fonts = pdf_fonts(content)
    # one font, ours, embedded (no substitute Helvetica or CID font left to the viewer)
    assert [f["embedded"] for f in fonts] == ["yes"]
    assert "NotoSansCJKsc" in fonts[0]["name"]
    text = pdf_text(content)
    for words in ("Customer portal", "UAT passed", "·", "客户数据平台一期", "需求确认"):
        assert words in text


def test_poppler_draws_the_page():
    picture = Image.open(io.BytesIO(pdf_page_png(_document(TEXT)))).convert("L")
    low, high = picture.getextrema()
    assert high == 255  # a white page
    assert low < 100  # with dark text on it
    assert sum(picture.histogram()[:128]) > 200  # text, not a stray dot


def test_each_document_gets_the_glyphs_of_its_own_text():
    # (ReportLab keeps one font per PostScript name: a shared name gave the second
    # document the first one's glyphs)
    assert "需求确认" in pdf_text(_document("需求确认"))
    assert "延期完成" in pdf_text(_document("延期完成"))


def test_each_documents_font_is_released_afterwards():
    before = set(pdfmetrics.getRegisteredFontNames())
    faces = set(pdfmetrics._dynFaceNames)
    _document("一")
    _document("二")
    assert set(pdfmetrics.getRegisteredFontNames()) == before
    assert set(pdfmetrics._dynFaceNames) == faces


def test_without_a_cjk_font_a_pdf_fails_naming_the_debian_package(monkeypatch):
    monkeypatch.setattr(pdf, "FONT_PATTERNS", ("/nonexistent/*.ttc",))
    pdf.cjk_font_path.cache_clear()
    try:
        with pytest.raises(pdf.FontMissing, match="fonts-noto-cjk"):
            _document("中文")
        [warning] = pdf.check_pdf_font()
        assert warning.id == "clientfolio.W001"
        assert "fonts-noto-cjk" in warning.msg
    finally:
        monkeypatch.undo()
        pdf.cjk_font_path.cache_clear()
    assert pdf.check_pdf_font() == []
