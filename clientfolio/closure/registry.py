"""What the apps built on closure add to it: the client's satisfaction in the final
evaluation (the reports app's surveys) and what happens once a project is closed (a
closure survey). Closure cannot import them; they register in ``AppConfig.ready()``."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

__all__ = [
    "notify_closed",
    "register_closed_listener",
    "register_satisfaction_source",
    "satisfaction_from_sources",
]

#: ``source(project)`` returns the client's satisfaction 1–5, or None without data.
SatisfactionSource = Callable[[Any], int | None]
#: ``listener(project_id, key)`` runs after the closing commits; ``key`` names this
#: closing (so a listener acts once per closing).
ClosedListener = Callable[[int, str], None]

_SOURCES: list[SatisfactionSource] = []
_LISTENERS: list[ClosedListener] = []


def register_satisfaction_source(source: SatisfactionSource) -> None:
    """Add ``source``; registering it again changes nothing."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def satisfaction_from_sources(project: Any) -> int | None:
    """The first satisfaction a registered source knows, or None."""
    for source in _SOURCES:
        value = source(project)
        if value is not None:
            return value
    return None


def register_closed_listener(listener: ClosedListener) -> None:
    """Add ``listener``; registering it again changes nothing."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def notify_closed(project_id: int, key: str) -> None:
    """Call every listener once the current transaction commits."""
    for listener in _LISTENERS:
        transaction.on_commit(
            lambda listener=listener: listener(project_id, key)  # type: ignore[misc]
        )
