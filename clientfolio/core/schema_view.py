"""The OpenAPI schema, served from a cache: building it walks every API view and
serializer (a second or more on each request), and it changes only with the code and the
settings, so a process builds it once per language and API version.

The schema is built without the request (``public``: every operation, whoever asks), so
nothing of the first reader can end up in what the next one is served.
"""

from functools import lru_cache
from typing import Any

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

__all__ = ["CachedSchemaView", "built_schema"]


class CachedSchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, answering from ``built_schema``."""

    def _get_schema_response(self, request):
        version = (
            self.api_version or request.version or self._get_version_parameter(request)
        )
        filename = self._get_filename(request, version)
        # A class is hashable; typeshed's ``type.__hash__`` does not say so to mypy.
        view: Any = type(self)
        return Response(
            data=built_schema(view, translation.get_language(), version),
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )


# Bounded: ``?version=`` is free text when the API declares no versions.
@lru_cache(maxsize=16)
def built_schema(
    view: type[SpectacularAPIView], language: str | None, version: str | None
) -> dict[str, Any]:
    """The schema ``view`` serves in ``language`` for ``version``, built on the first call
    with these arguments (the active language must be ``language``). Tests that change
    what the schema is made of call ``built_schema.cache_clear()``."""
    generator = view.generator_class(
        urlconf=view.urlconf, api_version=version, patterns=view.patterns
    )
    return generator.get_schema(request=None, public=view.serve_public)
