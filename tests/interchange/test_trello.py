"""The Trello board export (pure reader) and its import through the API."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clientfolio.interchange import trello
from clientfolio.schedule.models import Task
from tests.core.factories import UserFactory

BOARD = {
    "name": "官网改版看板",
    "members": [{"id": "m1", "username": "li.na", "fullName": "李娜"}],
    "lists": [
        {"id": "l2", "name": "进行中", "pos": 2, "closed": False},
        {"id": "l1", "name": "待办", "pos": 1, "closed": False},
        {"id": "l3", "name": "Done", "pos": 3, "closed": False},
        {"id": "l4", "name": "旧列表", "pos": 4, "closed": True},
    ],
    "cards": [
        {
            "id": "c1",
            "idShort": 1,
            "idList": "l1",
            "name": "首页设计",
            "pos": 1,
            "due": "2026-03-20T10:00:00.000Z",
            "idMembers": ["m1"],
            "desc": "按新品牌色",
            "idLabels": ["x"],
        },
        {"id": "c2", "idShort": 2, "idList": "l2", "name": "接口联调", "pos": 1},
        {"id": "c3", "idShort": 3, "idList": "l3", "name": "域名备案", "pos": 1},
        {"id": "c4", "idShort": 4, "idList": "l1", "name": "作废", "closed": True},
    ],
    "checklists": [
        {
            "idCard": "c1",
            "checkItems": [
                {"name": "线框图", "state": "complete", "pos": 1},
                {"name": "视觉稿", "state": "incomplete", "pos": 2},
            ],
        }
    ],
    "actions": [
        {
            "type": "commentCard",
            "date": "2026-03-02T08:00:00Z",
            "memberCreator": {"fullName": "王强"},
            "data": {"card": {"id": "c1"}, "text": "客户要求加视频"},
        },
    ],
}


def test_lists_become_phases_and_cards_tasks_with_their_details():
    plan, report = trello.read_board(BOARD)
    assert report.ok, report.problems
    assert [(t.outline_level, t.name) for t in plan.tasks] == [
        (1, "待办"),
        (2, "首页设计"),
        (3, "线框图"),
        (3, "视觉稿"),
        (1, "进行中"),
        (2, "接口联调"),
        (1, "Done"),
        (2, "域名备案"),
    ]
    design = plan.tasks[1]
    assert (design.constraint, design.constraint_date.isoformat()) == (
        "fnlt",
        "2026-03-20",
    )
    assert "☑ 线框图" in design.notes
    assert "王强: 客户要求加视频" in design.notes
    assert plan.tasks[2].percent_complete == 100
    assert plan.tasks[-1].percent_complete == 100  # in the Done list
    assert report.fields["task"].dropped == 1  # the archived card
    assert report.fields["phase"].dropped == 1
    assert report.fields["labels"].dropped == 1


def test_json_that_is_not_a_board_is_refused():
    with pytest.raises(trello.NotTrello):
        trello.read_board({"issues": []})


def test_a_board_is_imported_as_a_new_project_over_the_api(api_as, client_record):
    li_na = UserFactory(username="li.na")
    api = api_as("staff")
    data = json.dumps(BOARD, ensure_ascii=False).encode()
    run = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("board.json", data)},
        format="multipart",
    ).json()
    assert (run["source"], run["status"]) == ("trello", "checked")
    done = api.post(
        f"/api/v1/imports/{run['id']}/confirm/",
        {"client": client_record.pk},
        format="json",
    )
    assert done.status_code == 200, done.json()
    task = Task.objects.get(project=done.json()["project"], name="首页设计")
    assert task.owner == li_na
    assert task.is_summary


def test_json_of_another_tool_gets_a_clear_message(api_as):
    response = api_as("staff").post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("x.json", b'{"issues": []}')},
        format="multipart",
    )
    assert response.status_code == 400
    assert "not a Trello board export" in response.json()["file"][0]
