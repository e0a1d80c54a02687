"""Reading the PDFs we make with poppler's command-line tools (Debian: poppler-utils),
as a client's viewer would: the text (``pdftotext``), the fonts (``pdffonts``) and a page
rendered as a picture (``pdftoppm``).

Without poppler the tests that need it are skipped, except in CI (``CI=true``), where
``.ci/run`` installs it and a missing tool is a failure.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["pdf_fonts", "pdf_page_png", "pdf_text", "require_poppler", "skip_or_fail"]


def require_poppler(*tools: str) -> None:
    """Skip the test (fail in CI) unless every tool is on the PATH."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    skip_or_fail(f"{', '.join(missing)} missing: install poppler-utils")


def skip_or_fail(message: str) -> None:
    """Skip on a developer's machine without a system package; fail in CI, which has it."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _run(tool: str, data: bytes, *args: str) -> bytes:
    require_poppler(tool)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        return subprocess.run(
            [tool, *args, str(path), *(["-"] if tool != "pdffonts" else [])],
            capture_output=True,
            check=True,
        ).stdout


def pdf_text(data: bytes) -> str:
    """The text of every page, in reading order (``pdftotext -layout``)."""
    return _run("pdftotext", data, "-layout", "-enc", "UTF-8").decode("utf-8")


def pdf_fonts(data: bytes) -> list[dict[str, str]]:
    """One dict per font: ``name``, ``type``, ``embedded`` ("yes"/"no"), ``unicode``."""
    lines = _run("pdffonts", data).decode("utf-8").splitlines()
    fonts = []
    for line in lines[2:]:  # a header and a rule of dashes
        # The type may hold spaces ("CID TrueType"): read the fixed columns from the end.
        parts = line.split()
        name, rest = parts[0], parts[1:]
        fonts.append(
            {
                "name": name,
                "type": " ".join(rest[:-6]),
                "embedded": rest[-5],
                "unicode": rest[-3],
            }
        )
    return fonts


def pdf_page_png(data: bytes, page: int = 1, dpi: int = 60) -> bytes:
    """Page ``page`` rendered by poppler as PNG bytes (fails if poppler cannot draw it)."""
    require_poppler("pdftoppm")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        result = subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(path),
                str(Path(folder) / "page"),
            ],
            capture_output=True,
            check=True,
        )
        assert not result.stderr.strip(), result.stderr.decode("utf-8", "replace")
        return (Path(folder) / "page.png").read_bytes()
