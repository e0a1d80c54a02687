"""Authorization rows of the blueprints pages and API, merged into
tests/test_authorization.py (see tests/authz.py).

Templates are the firm's: every staff persona reads them and starts projects from them;
administrators (and a template's author) change and delete them; a project's manager
saves the project as a template."""

import json

from tests.authz import (
    ADMIN_WRITE,
    API,
    FOLDER_MANAGE,
    FOLDER_MANAGE_WRITE,
    LOGIN,
    PAGE,
    WRITE,
    Rule,
    statuses,
)

SMALL = {
    "tasks": [
        {"ref": "a", "name": {"zh": "调研", "en": "Discovery"}, "duration": 3},
        {"ref": "b", "name": {"zh": "上线", "en": "Launch"}, "milestone": True},
    ],
    "links": [{"from": "a", "to": "b"}],
}


def template_pk(world):
    return {"pk": world.project_template.pk}


def import_data(world, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = json.dumps({**SMALL, "name": {"zh": "导入的模板"}}).encode()
    return {"file": SimpleUploadedFile("t.json", body, "application/json")}


def start_data(world, persona):
    return {
        "template": world.project_template.pk,
        "client": world.client.pk,
        "name": "模板启动的项目",
        "manager": world.staff.pk,
        "starts_on": "2026-10-01",
        "calendar": "cn",
        "language": "zh",
    }


ADMIN_ONLY_PAGE = statuses(LOGIN, 403, 403, 200)
POST_ONLY = statuses(LOGIN, 403, 405, 405)

RULES: dict = {
    "blueprints:template_list": Rule(get=PAGE),
    "blueprints:builtin_install": Rule(
        get=statuses(LOGIN, 403, 403, 405), post=ADMIN_WRITE
    ),
    "blueprints:project_start": Rule(get=PAGE, post=WRITE, data=start_data),
    "blueprints:template_detail": Rule(kwargs=template_pk, get=PAGE),
    "blueprints:template_export": Rule(kwargs=template_pk, get=PAGE),
    "blueprints:template_import": Rule(
        get=ADMIN_ONLY_PAGE, post=ADMIN_WRITE, data=import_data
    ),
    "blueprints:template_edit": Rule(
        kwargs=template_pk,
        get=ADMIN_ONLY_PAGE,
        post=ADMIN_WRITE,
        data=lambda world, persona: {
            "name_zh": "改名的模板",
            "name_en": "Renamed",
            "version": world.project_template.version,
        },
    ),
    "blueprints:template_delete": Rule(
        kwargs=template_pk, get=POST_ONLY, post=ADMIN_WRITE
    ),
    "blueprints:save_as_template": Rule(
        kwargs=lambda world: {"pk": world.project.pk},
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {"name": "项目模板"},
    ),
    # --- API -------------------------------------------------------------------------
    "project-template-list": Rule(
        get=API,
        post=statuses(401, 403, 403, 201),
        data=lambda world, persona: {
            "name_zh": "小模板",
            "content": json.dumps(SMALL),
        },
    ),
    "project-template-detail": Rule(kwargs=template_pk, get=API),
    "project-template-instantiate": Rule(
        kwargs=template_pk,
        get=statuses(401, 403, 405, 405),
        post=statuses(401, 403, 201, 201),
        data=start_data,
    ),
    "project-template-from-project": Rule(
        get=statuses(401, 403, 405, 405),
        post=statuses(401, 403, 400, 201, pm=201, member=403, viewer=403),
        data=lambda world, persona: {"project": world.project.pk, "name": "接口模板"},
    ),
}


def world(world) -> dict:
    """A small template kept by the administrator."""
    from clientfolio.blueprints import services

    template = services.create_template(
        user=world.admin, content=SMALL, name_zh="小型实施", name_en="Small rollout"
    )
    return {"project_template": template}
