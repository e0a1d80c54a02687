"""Responses the pages of every app share: a list page or, for htmx, only its list."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

__all__ = ["render_list"]


def render_list(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The whole page, or only its list when htmx asks (filters, pagination)."""
    chosen = (
        partial
        if request.htmx and not request.htmx.history_restore_request  # type: ignore[attr-defined]
        else template
    )
    response = render(request, chosen, context)
    # Same URL, partial or full page: keep the browser cache from serving the partial
    # on Back (hx-push-url).
    patch_vary_headers(response, ["HX-Request"])
    return response
