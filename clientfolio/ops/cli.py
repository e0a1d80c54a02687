"""What the backup and restore commands share: the language of their messages, and
turning failures into messages and exit codes."""

from __future__ import annotations

import os

from django.conf import settings
from django.utils import translation

__all__ = ["EXIT_CODES", "activate_terminal_language"]

# The exit statuses of `clientfolio backup` and `clientfolio restore`.
EXIT_CODES = {
    0: "success",
    1: "failed: the archive is damaged or differs, or the database could not be read",
    2: "usage: a missing file or argument",
    3: "refused: the target is not empty, or the archive is from a newer version",
    4: "wrong or missing passphrase",
}


def activate_terminal_language() -> None:
    """Speak the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext
    reads them): Chinese for zh_*, English for en_*, else the site's LANGUAGE_CODE."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").split(":")[0].lower()
        if not value or value in {"c", "posix"} or value.startswith("c."):
            continue
        if value.startswith("zh"):
            translation.activate("zh-hans")
            return
        if value.startswith("en"):
            translation.activate("en")
            return
    translation.activate(settings.LANGUAGE_CODE)
