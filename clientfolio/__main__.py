"""The ``clientfolio`` command: ``manage.py`` with a few friendlier spellings.

``clientfolio demo``, ``clientfolio seed-scale`` and ``clientfolio import clients FILE``
map onto the management commands ``demo``, ``seed_scale`` and ``import_clients``; every
other argument list is passed to Django unchanged.
"""

import os
import sys

__all__ = ["main"]

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


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientfolio.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], *translate_argv(sys.argv[1:])])


if __name__ == "__main__":
    main()
