"""Request bodies nested absurdly deep are refused as bad input (400), never 500: on the
API (signed in or not), form-encoded, and on the pages that read JSON."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.core.parsers import MAX_DEPTH, TooDeep, loads

pytestmark = pytest.mark.django_db

DEEP = "[" * 10_000 + "]" * 10_000


def nested(depth):
    return json.dumps(json.loads("[" * depth + "]" * depth))


def english_api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


TOO_DEEP = {"detail": f"JSON parse error - nested more than {MAX_DEPTH} levels deep."}


def test_a_token_request_nested_ten_thousand_levels_is_400_without_signing_in():
    # when someone not signed in posts a body nested 10,000 levels deep
    response = english_api().post(
        "/api/v1/auth/token/", DEEP, content_type="application/json"
    )

    # then it is refused as bad input
    assert response.status_code == 400
    assert response.json() == TOO_DEEP


def test_a_body_deeper_than_the_limit_is_400_on_any_endpoint(staff):
    # given a signed-in staff user
    api = english_api()
    api.force_authenticate(staff)

    # when they post a body just too deep, as an object inside the fields
    body = json.dumps({"name": "x", "notes": json.loads(nested(MAX_DEPTH))})
    response = api.post("/api/v1/clients/", body, content_type="application/json")

    # then it is refused before any serializer sees it
    assert response.status_code == 400
    assert response.json() == TOO_DEEP


def test_a_body_within_the_limit_is_parsed_as_usual(staff):
    api = english_api()
    api.force_authenticate(staff)

    response = api.post(
        "/api/v1/clients/",
        json.dumps({"name": "深圳前海科技", "kind": "company", "status": "prospect"}),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "深圳前海科技"


def test_a_form_encoded_token_request_full_of_brackets_is_an_ordinary_400():
    response = english_api().post(
        "/api/v1/auth/token/",
        f"username={'[' * 10_000}&password={'{' * 10_000}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert response.json() == {
        "username": ["Ensure this field has no more than 150 characters."]
    }


def test_a_token_request_with_a_name_too_long_for_any_account_is_an_ordinary_400():
    response = english_api().post(
        "/api/v1/auth/token/",
        {"username": "张" * 300, "password": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["username"]


def test_the_gantt_chart_refuses_a_deeply_nested_edit(project, as_persona):
    # given the project manager on the chart
    browser = as_persona("project_manager")

    # when a deeply nested body is posted as an edit
    response = browser.post(
        reverse("schedule:gantt_update", args=[project.pk]),
        DEEP,
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    # then it is refused as an invalid request
    assert response.status_code == 400
    assert response.json() == {"error": "The request is not valid."}


def test_loads_reads_ordinary_json_and_refuses_deep_nesting():
    assert loads('{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}
    assert loads(nested(MAX_DEPTH - 1))
    with pytest.raises(TooDeep):
        loads(nested(MAX_DEPTH + 1))
    with pytest.raises(ValueError, match="nested too deeply"):
        loads(DEEP)
