"""Authorization rows of the interchange pages and API, merged into
tests/test_authorization.py (see tests/authz.py).

Import runs are their uploader's own: the world's run belongs to the project manager,
and for everyone else (administrators included) it does not exist. Importing into a
project is its manager's; exporting its plan is for those who may export its tasks."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz import (
    FOLDER_CONTRIBUTE,
    FOLDER_MANAGE,
    FOLDER_MANAGE_WRITE,
    LOGIN,
    PAGE,
    WRITE,
    Rule,
    statuses,
)

PLAN_XML = (
    b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'
    b"<Title>Matrix plan</Title><Tasks><Task><UID>1</UID><ID>1</ID><Name>Design</Name>"
    b"<OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration></Task></Tasks>"
    b"</Project>"
)

OWNER_ONLY = statuses(
    LOGIN, 404, 404, 404, pm=200, member=404, viewer=404, accountant=404
)
# The world's run was refused: confirming it again is a 400 for its owner.
OWNER_ONLY_REFUSED = statuses(
    LOGIN, 404, 404, 404, pm=400, member=404, viewer=404, accountant=404
)
API_OWNER_ONLY = statuses(
    401, 403, 404, 404, pm=200, member=404, viewer=404, accountant=404
)
API_OWNER_ONLY_REFUSED = statuses(
    401, 403, 404, 404, pm=400, member=404, viewer=404, accountant=404
)
API_POST_ONLY = statuses(401, 403, 405, 405)
API_EXPORT = statuses(401, 403, 404, 200, pm=200, member=200, viewer=403)


def plan_upload(world, persona):
    return {"file": SimpleUploadedFile("plan.xml", PLAN_XML, "application/xml")}


def world(world):
    from clientfolio.interchange.models import ImportRun

    return {
        "import_run": ImportRun.objects.create(
            user=world.project_manager,
            project=world.project,
            source=ImportRun.Source.MSPDI,
            filename="矩阵计划.xml",
            status=ImportRun.Status.REFUSED,
            report={"fields": {}, "problems": [{"code": "project_not_empty"}]},
        )
    }


def _project(world):
    return {"pk": world.project.pk}


def _run(world):
    return {"pk": world.import_run.pk}


RULES: dict = {
    "interchange:run_list": Rule(get=PAGE),
    "interchange:new_project_import": Rule(get=PAGE, post=WRITE, data=plan_upload),
    "interchange:run_detail": Rule(
        kwargs=_run, get=OWNER_ONLY, post=OWNER_ONLY_REFUSED
    ),
    # The world's project has tasks: the upload is checked, refused, and the run shown.
    "interchange:project_import": Rule(
        kwargs=_project,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=plan_upload,
    ),
    "interchange:project_export_mspdi": Rule(kwargs=_project, get=FOLDER_CONTRIBUTE),
    "interchange:project_export_xlsx": Rule(kwargs=_project, get=FOLDER_CONTRIBUTE),
    "import-run-list": Rule(
        get=statuses(401, 403, 200, 200),
        post=statuses(401, 403, 201, 201),
        data=plan_upload,
    ),
    "import-run-detail": Rule(kwargs=_run, get=API_OWNER_ONLY),
    "import-run-confirm": Rule(
        kwargs=_run, get=API_POST_ONLY, post=API_OWNER_ONLY_REFUSED
    ),
    "project-plan-export": Rule(kwargs=_project, get=API_EXPORT),
}
