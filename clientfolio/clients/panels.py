"""Panels that the apps built on the client library add to a client's detail page.

Projects, reports and the rest build on clients, so clients cannot import them. An app
registers a panel in its ``AppConfig.ready()``; ``panel(request, client)`` returns None
(nothing to show) or a dict with the ``template`` to include and its context, which the
page includes in registration order as ``panel``.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

__all__ = ["ClientPanel", "client_panels", "register_client_panel"]

ClientPanel = Callable[[HttpRequest, Any], dict[str, Any] | None]

_PANELS: list[ClientPanel] = []


def register_client_panel(panel: ClientPanel) -> None:
    """Add ``panel`` to every client's page; registering it again changes nothing."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def client_panels(request: HttpRequest, client: Any) -> list[dict[str, Any]]:
    """What every registered panel shows of ``client`` to this request's user."""
    return [shown for panel in _PANELS if (shown := panel(request, client))]
