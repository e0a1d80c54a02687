"""The font of every PDF we make with ReportLab: Noto Sans CJK SC, embedded in the
document, for Chinese, Latin text and punctuation alike.

Why a font per document: the Adobe CID font STSong-Light that ReportLab ships is never
embedded, so each viewer substitutes a font of its own; in poppler the "·" separators
became boxes and English text fell apart ("C ustomer", "U AT") (issue 12). ReportLab
embeds only TrueType outlines, and the free CJK faces (Noto Sans CJK, Source Han Sans)
have PostScript (CFF) outlines. So ``embedded_font`` cuts the characters a document uses
out of the face with fontTools and converts their outlines to TrueType (a few tenths of a
second), and ReportLab embeds that small font (and subsets it again).

The face is found by ``cjk_font_path`` (Debian's fonts-noto-cjk installs it at
/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc); in a collection the Simplified
Chinese face is used. Without one, ``embedded_font`` raises ``FontMissing``, which names
the package to install: a PDF with missing glyphs is not sent to a client.
"""

import glob
import io
import itertools
import string
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

__all__ = [
    "FONT_PATTERNS",
    "FontMissing",
    "check_pdf_font",
    "cjk_font_path",
    "cjk_face_index",
    "embedded_font",
    "font_name",
]

# Noto Sans CJK (or Source Han Sans, the same design) first; other CJK faces after it.
FONT_PATTERNS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*Regular*.[ot]t[cf]",
    "/usr/share/fonts/**/NotoSansSC*.[ot]tf",
    "/usr/share/fonts/**/SourceHanSans*Regular*.[ot]t[cf]",
    "/usr/share/fonts/**/wqy-*.tt[cf]",
    "/usr/share/fonts/**/*CJK*.[ot]t[cf]",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
PACKAGE = "fonts-noto-cjk"
# Always in the font, whatever the document says: ASCII and the separators we write.
ALWAYS = string.printable + "·—–…%（）：，。、 "
# Largest distance, in font units (1000 to the em), of the TrueType curves from the
# original ones: far below a pixel at any size a client reads.
MAX_ERROR = 1.0


class FontMissing(RuntimeError):
    """No CJK font on this machine: a PDF cannot be made."""

    def __init__(self) -> None:
        super().__init__(
            "No CJK font found for PDFs (looked for Noto Sans CJK and others): install "
            f"the Debian package {PACKAGE} (apt-get install {PACKAGE})."
        )


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """A font file with Chinese glyphs that also covers Latin text, or None."""
    for pattern in FONT_PATTERNS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    return None


def check_pdf_font(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """System check (``clientfolio check``, every start): warn when PDFs cannot be made
    for want of a CJK font, naming the package that brings one."""
    from django.core.checks import Warning

    if cjk_font_path() is not None:
        return []
    return [
        Warning(
            str(FontMissing()),
            hint=f"apt-get install {PACKAGE}",
            id="clientfolio.W001",
        )
    ]


@lru_cache(maxsize=4)
def cjk_face_index(path: str) -> int:
    """The Simplified Chinese face of a font collection (Noto Sans CJK: JP, KR, SC, TC,
    HK, so 2), or 0 for a single font or a collection without one."""
    from fontTools.ttLib import TTCollection

    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        names = font["name"]
        family = str(names.getDebugName(16) or names.getDebugName(1) or "")
        if "Mono" not in family and family.endswith((" SC", " CN")):
            return index
    return 0


def _characters(text: str) -> str:
    return "".join(sorted(set(text) | set(ALWAYS)))


def _truetype_subset(path: str, index: int, characters: str, name: str) -> bytes:
    """The face reduced to ``characters``, with TrueType outlines and ``name`` as its
    PostScript name, as font file bytes."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(path, fontNumber=index, lazy=True)
    options = subset.Options()
    options.layout_features = []  # ReportLab shapes nothing: plain glyphs suffice
    options.hinting = False
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    if "glyf" not in font:
        order = font.getGlyphOrder()
        glyphs = font.getGlyphSet()
        glyf: Any = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {}
        for glyph in order:
            pen = TTGlyphPen(glyphs)
            glyphs[glyph].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
            glyf.glyphs[glyph] = pen.glyph()
        for tag in ("CFF ", "CFF2", "VORG"):
            if tag in font:
                del font[tag]
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        maxp: Any = newTable("maxp")
        maxp.tableVersion = 0x00010000
        maxp.numGlyphs = len(order)
        for attribute in (
            "maxTwilightPoints",
            "maxStorage",
            "maxFunctionDefs",
            "maxInstructionDefs",
            "maxStackElements",
            "maxSizeOfInstructions",
            "maxComponentElements",
        ):
            setattr(maxp, attribute, 0)
        maxp.maxZones = 1
        font["maxp"] = maxp
        font["head"].glyphDataFormat = 0
        font["post"].formatType = 3.0  # no glyph names: TrueType fonts need none
        font.sfntVersion = "\x00\x01\x00\x00"
    # ReportLab keeps one font per PostScript name, whatever it is registered as: every
    # document's font needs a name of its own, or it would get an earlier one's glyphs.
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = name
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


_serial = itertools.count(1)


def font_name() -> str:
    """A new name for one document's font, unique in this process: styles and canvases
    can name the font before ``embedded_font`` makes it from the finished text."""
    return f"NotoSansCJKsc-Document{next(_serial)}"


@contextmanager
def embedded_font(name: str, text: str) -> Iterator[None]:
    """Register ``name`` as a font holding the glyphs of ``text`` (and ASCII) while the
    block lays out and builds the document, so ReportLab embeds it. (Paragraphs need the
    font registered when they are made, so make them inside the block.)

    Raises ``FontMissing`` without a CJK font. The font is taken out of ReportLab's
    registry afterwards, so a long-running process does not keep one per document."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = cjk_font_path()
    if path is None:
        raise FontMissing
    data = _truetype_subset(path, cjk_face_index(path), _characters(text), name)
    pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    try:
        yield
    finally:
        # ReportLab has no way to unregister a font but its dicts.
        pdfmetrics._fonts.pop(name, None)
        pdfmetrics._dynFaceNames.pop(name.encode("ascii"), None)  # the face's PS name
