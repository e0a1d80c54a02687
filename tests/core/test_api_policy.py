"""The API policy shared by every endpoint: unknown HTTP methods are 405, never 500."""

import pytest
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

UNKNOWN_METHODS = ("TRACE", "QUERY", "PROPFIND", "BREW")


def api_urls() -> list[str]:
    """One URL per named API pattern of the URL configuration, every argument 1."""
    resolver = get_resolver()
    urls: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace is None:
                    walk(pattern.url_patterns)
            elif pattern.name:
                for (
                    possibility,
                    _regex,
                    _defaults,
                    _converters,
                ) in resolver.reverse_dict.getlist(pattern.name):
                    for _format, params in possibility:
                        if "format" not in params:
                            kwargs = dict.fromkeys(params, 1)
                            url = reverse(pattern.name, kwargs=kwargs)
                            if url.startswith("/api/"):
                                urls.add(url)

    walk(resolver.url_patterns)
    return sorted(urls)


URLS = api_urls()


def test_the_url_walk_finds_the_api():
    assert len(URLS) > 50
    assert {"/api/v1/clients/", "/api/v1/clients/1/", "/api/v1/auth/token/"} <= set(
        URLS
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_an_unknown_http_method_is_405_on_every_api_url(url, admin):
    # given an administrator, who may do everything, and someone not signed in
    signed_in = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    signed_in.force_authenticate(admin)

    for client in (signed_in, APIClient(HTTP_ACCEPT_LANGUAGE="en")):
        for method in UNKNOWN_METHODS:
            # when either sends a method the API does not know
            response = client.generic(method, url)

            # then it is refused as a method, not a server error
            assert response.status_code == 405, (method, response.content[:300])
            if response["Content-Type"] == "application/json":
                assert response.json() == {"detail": f'Method "{method}" not allowed.'}
