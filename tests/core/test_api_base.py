"""Every API endpoint goes through the one object-permission check of the viewset base.

The check of creates and updates lives in ``ScopedGenericViewSet.perform_create`` and
``perform_update`` (core/api.py). A viewset that does not derive from it, or that lists
DRF's mixins before it (so that their ``perform_create`` runs instead), would write
without the check: these tests walk the URL configuration so a new endpoint cannot."""

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import mixins
from rest_framework.viewsets import ViewSetMixin

from clientfolio.clients.api.imports import ImportCheckView, ImportColumnsView
from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.api_views import TokenObtainView, TokenViewSet
from clientfolio.reports.api.survey_views import AnswerByTokenView

# Endpoints that are not records of the permission layer, each with its own rule.
EXEMPT = {
    # The signed-in user's own tokens: listed and revoked only, never created here.
    TokenViewSet,
    # Signing in: answers anyone with the right password.
    TokenObtainView,
    # A survey answer: the signed token of the invitation is the credential, as the
    # e-mailed link's (reports.surveys.read_token checks it, and the contact).
    AnswerByTokenView,
    # The client import's mapping step: nothing is a record until the import, which
    # asks can(IMPORT, Client) first, as the page does (clients/api/imports.py).
    ImportColumnsView,
    ImportCheckView,
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def api_views() -> dict[str, type]:
    """The view class of every URL under ``api/``, by route."""
    found: dict[str, type] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                callback = pattern.callback
                view = getattr(callback, "cls", None) or getattr(
                    callback, "view_class", None
                )
                if view is not None:
                    found[route] = view

    walk(get_resolver().url_patterns, "")
    return found


def test_the_walk_finds_the_api():
    views = set(api_views().values())

    names = {view.__name__ for view in views}
    assert len(views) > 30
    assert {
        "DocumentVersionViewSet",
        "ProjectClosureViewSet",
        "ExchangeRateViewSet",
        "InvoiceViewSet",
    } <= names


def test_every_api_viewset_derives_from_the_scoped_base():
    outside = sorted(
        f"{route} ({view.__module__}.{view.__qualname__})"
        for route, view in api_views().items()
        if issubclass(view, ViewSetMixin)
        and view not in EXEMPT
        and not issubclass(view, ScopedGenericViewSet)
    )

    assert outside == []


def test_no_viewset_lets_drfs_mixins_skip_the_write_check():
    # DRF's mixins define perform_create/perform_update too: listed before the base,
    # theirs would run and save without the check.
    skipped = sorted(
        f"{view.__qualname__}.{hook}"
        for view in set(api_views().values())
        if issubclass(view, ScopedGenericViewSet)
        for hook, mixin in (
            ("perform_create", mixins.CreateModelMixin),
            ("perform_update", mixins.UpdateModelMixin),
        )
        if getattr(view, hook) is getattr(mixin, hook)
    )

    assert skipped == []


def test_api_views_outside_the_viewsets_only_read():
    writers = sorted(
        f"{route} ({view.__qualname__})"
        for route, view in api_views().items()
        if not issubclass(view, ViewSetMixin)
        and view not in EXEMPT
        and WRITE_METHODS
        & {name for name in view.http_method_names if hasattr(view, name)}
    )

    assert writers == []
