"""Every Tabler icon our templates and scripts name exists in the vendored webfont CSS,
outline or filled (a missing one renders as nothing, and shifts what follows it)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "clientfolio"
VENDOR = ROOT / "static" / "vendor" / "tabler-icons-3.49.0"
ICON = re.compile(r"\bti-([a-z0-9]+(?:-[a-z0-9]+)*)")


def _defined() -> set[str]:
    names: set[str] = set()
    for css in ("tabler-icons.min.css", "tabler-icons-filled.min.css"):
        names |= set(
            re.findall(r"\.ti-([a-z0-9-]+):before", (VENDOR / css).read_text())
        )
    return names


def _used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/*/*.js")]
    files += [p for p in ROOT.glob("**/*.py") if "migrations" not in p.parts]
    for path in files:
        for name in ICON.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return used


def test_the_filled_icons_have_their_font_and_stylesheet():
    css = (VENDOR / "tabler-icons-filled.min.css").read_text()
    assert (VENDOR / "fonts" / "tabler-icons-filled.woff2").stat().st_size > 10_000
    assert 'url("fonts/tabler-icons-filled.woff2")' in css
    assert '.ti-diamond-filled:before{content:"\\f73d"}' in css
    assert '.ti-star-filled:before{content:"\\f6a6"}' in css


@pytest.mark.parametrize("base", ["base.html", "portal/base.html"])
def test_both_frames_load_the_filled_icons(base):
    assert "tabler-icons-filled.min.css" in (ROOT / "templates" / base).read_text()


def test_every_icon_used_is_defined():
    defined = _defined()
    # Class names that are ours or Tabler UI's, not icons.
    ours = {"toggle-space"}
    missing = {
        name: sorted(paths)
        for name, paths in _used().items()
        if name not in defined and name not in ours and not name.endswith("-")
    }
    assert not missing
