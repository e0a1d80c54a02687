"""GET /api/v1/search/: the groups as JSON, 400 with field errors for bad input."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


@pytest.fixture
def api(search_world):
    http = APIClient(headers={"accept-language": "en"})
    http.force_login(search_world.staff)
    return http


def test_it_answers_every_group_with_its_first_hits(api, search_world):
    response = api.get(URL, {"q": "琥珀"})

    assert response.status_code == 200
    body = response.json()
    assert body["q"] == "琥珀"
    assert [group["kind"] for group in body["groups"]] == [
        "clients",
        "contacts",
        "projects",
        "tasks",
        "records",
        "documents",
        "requirements",
        "changes",
        "risks",
    ]
    tasks = body["groups"][3]
    world = search_world
    assert tasks == {
        "kind": "tasks",
        "name": "Tasks",
        "total": 1,
        "capped": False,
        "offset": 0,
        "hits": [
            {
                "kind": "tasks",
                "title": "琥珀接口联调",
                "snippet": {"before": "", "match": "琥珀", "after": "接口联调"},
                "url": f"/projects/{world.project.pk}/schedule/tasks/{world.task.pk}/",
                "project": f"{world.project.code} · 琥珀平台一期",
                "client": "琥珀数据有限公司",
            }
        ],
    }


def test_one_kind_pages_with_page_and_page_size(api):
    response = api.get(
        URL, {"q": "琥珀", "kind": "requirements", "page": 2, "page_size": 1}
    )

    assert response.status_code == 200
    (group,) = response.json()["groups"]
    assert (group["total"], group["offset"]) == (2, 1)
    assert [hit["title"] for hit in group["hits"]] == ["琥珀移动端审批"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({}, {"q": ["This field is required."]}),
        ({"q": "  "}, {"q": ["Enter a word to search for."]}),
        ({"q": "a" * 101}, {"q": ["Search for at most 100 characters."]}),
        ({"q": "琥\x00珀"}, {"q": ["Null characters are not allowed."]}),
        (
            {"q": "琥珀", "kind": "planets"},
            {"kind": ['"planets" is not a valid choice.']},
        ),
        (
            {"q": "琥珀", "page": "0"},
            {"page": ["Ensure this value is greater than or equal to 1."]},
        ),
        (
            {"q": "琥珀", "page_size": "x"},
            {"page_size": ["A valid integer is required."]},
        ),
    ],
)
def test_bad_input_is_400_with_field_errors(api, params, errors):
    response = api.get(URL, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_a_client_contact_gets_404_and_anonymous_401(search_world):
    client_api = APIClient()
    client_api.force_login(search_world.client_user)

    assert client_api.get(URL, {"q": "琥珀"}).status_code == 404
    assert APIClient().get(URL, {"q": "琥珀"}).status_code == 401


def test_the_schema_documents_it(api, search_world):
    api.force_login(search_world.admin)
    schema = api.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "kind", "page"}
    assert "200" in operation["responses"]
