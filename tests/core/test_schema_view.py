"""The OpenAPI schema view builds the schema once per language and API version for the
process, and serves every other request from that (tests/test_api_schema.py checks the
schema itself)."""

import json

import pytest

from clientfolio.core.schema_view import built_schema

SCHEMA = "/api/schema/"


@pytest.fixture(autouse=True)
def _empty_cache():
    built_schema.cache_clear()
    yield
    built_schema.cache_clear()


def test_the_schema_is_built_once_per_language_and_version(admin_api, staff_api):
    # when the schema is asked for twice in English (JSON, then YAML, by another user),
    # once in Chinese and once for another version
    first = admin_api.get(SCHEMA, {"format": "json"})
    again = staff_api.get(SCHEMA)
    chinese = admin_api.get(SCHEMA, {"format": "json", "lang": "zh-hans"})
    other = admin_api.get(SCHEMA, {"format": "json", "version": "2"})

    # then it was built three times and served once from the cache
    assert [r.status_code for r in (first, again, chinese, other)] == [200] * 4
    info = built_schema.cache_info()
    assert (info.misses, info.hits) == (3, 1)
    assert again["Content-Type"].startswith("application/vnd.oai.openapi")
    english, translated = json.loads(first.content), json.loads(chinese.content)
    assert english["paths"] == json.loads(other.content)["paths"]
    assert json.loads(other.content)["info"]["version"] == "1 (2)"
    assert english != translated
    assert english["paths"].keys() == translated["paths"].keys()


def test_a_cached_schema_is_still_refused_to_whoever_may_not_read_it(
    admin_api, client_user, api_as
):
    # given the schema in the cache
    assert admin_api.get(SCHEMA, {"format": "json"}).status_code == 200

    # then the permission check still runs before it is served
    anonymous = api_as("anonymous").get(SCHEMA, {"format": "json"})
    client = api_as("client_user").get(SCHEMA, {"format": "json"})

    # the staff API's schema does not exist for client contacts
    assert (anonymous.status_code, client.status_code) == (401, 404)
    assert b'"paths"' not in anonymous.content + client.content
