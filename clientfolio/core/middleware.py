"""Activate the language a signed-in user chose; otherwise LocaleMiddleware's choice stands."""

from django.utils import translation

__all__ = ["UserLanguageMiddleware"]


class UserLanguageMiddleware:
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
