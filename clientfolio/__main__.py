"""The ``clientfolio`` command: ``manage.py`` with a few friendlier spellings.

``clientfolio demo``, ``clientfolio seed-scale`` and ``clientfolio import clients FILE``
map onto the management commands ``demo``, ``seed_scale`` and ``import_clients``; every
other argument list is passed to Django unchanged.

``clientfolio runserver`` with DEBUG off (the default) first collects the static files
when they were never collected or changed since: every page names them through the
manifest that ``collectstatic`` writes, and would answer 500 without it.
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from django.contrib.staticfiles.storage import ManifestFilesMixin

__all__ = ["collect_static_if_needed", "main"]

ALIASES = {
    "seed-scale": ["seed_scale"],
    "recompute-tiers": ["recompute_tiers"],
    "documents-orphans": ["documents_orphans"],
}


def translate_argv(argv: list[str]) -> list[str]:
    """Return Django's argument list for a ``clientfolio`` argument list."""
    if not argv:
        return argv
    head, *rest = argv
    if head in ALIASES:
        return ALIASES[head] + rest
    if head in {"import", "export"} and rest:
        return [f"{head}_{rest[0].replace('-', '_')}", *rest[1:]]
    return argv


def _static_files_out_of_date(storage: "ManifestFilesMixin") -> str | None:
    """Why the collected static files cannot serve the pages, or None if they can."""
    from django.contrib.staticfiles.finders import get_finders

    manifest_storage = storage.manifest_storage  # the storage itself unless configured
    assert manifest_storage is not None
    manifest = Path(manifest_storage.path(storage.manifest_name))
    if not manifest.exists():
        return f"No static files collected in {manifest.parent} yet"
    collected = manifest.stat().st_mtime
    for finder in get_finders():
        for path, source in finder.list([]):
            if Path(source.path(path)).stat().st_mtime > collected:
                return f"Static files changed since they were collected ({path})"
    return None


def collect_static_if_needed(stdout: TextIO = sys.stdout) -> bool:
    """With DEBUG off, WhiteNoise serves the collected files under hashed names; collect
    them (``collectstatic --noinput``) when that was never done or the sources changed
    since. Returns whether it collected. Needs Django set up."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import (
        ManifestFilesMixin,
        staticfiles_storage,
    )
    from django.core.management import call_command

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return False
    reason = _static_files_out_of_date(staticfiles_storage)
    if reason is None:
        return False
    stdout.write(f"{reason}: running `clientfolio collectstatic --noinput` first.\n")
    stdout.flush()
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientfolio.settings")
    from django.core.management import execute_from_command_line

    argv = translate_argv(sys.argv[1:])
    if argv[:1] == ["runserver"]:
        import django

        django.setup()
        collect_static_if_needed()
    execute_from_command_line([sys.argv[0], *argv])


if __name__ == "__main__":
    main()
