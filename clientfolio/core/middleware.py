"""Request middleware: the signed-in user's language, and the boundary that keeps client
contacts inside the portal."""

from django.http import Http404
from django.utils import translation

from clientfolio.core.permissions import reaches_url

__all__ = ["ClientBoundaryMiddleware", "UserLanguageMiddleware"]


class UserLanguageMiddleware:
    """Activate the language a signed-in user chose; otherwise LocaleMiddleware's choice
    stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = (
            getattr(user, "language", "") if user and user.is_authenticated else ""
        )
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class ClientBoundaryMiddleware:
    """Every URL outside the portal answers a client contact 404, as if it did not exist
    (``permissions.reaches_url``). API requests signed with a token are checked by the
    API's permission class, which knows the user only once DRF has authenticated it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and not reaches_url(
            request.user, match.namespace, match.url_name or ""
        ):
            raise Http404
        return
