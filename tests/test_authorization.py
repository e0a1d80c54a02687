"""The authorization matrix, generated from the URL configuration.

Every named URL needs a row in RULES: how to build its arguments and which status each
persona gets for GET (and for POST where the view writes). A new URL without a row fails
``test_every_url_has_an_authorization_rule``. On every denial the response must not leak
the object's name and the database must be unchanged.

Personas: anonymous, a client contact, ``staff`` (a staff user who is on no project),
``admin``, and the shared project's ``project_manager``, ``member`` and ``viewer``. A rule
that does not mention the project roles gives them what it gives ``staff``.

Rows of the apps added later live in ``tests/<app>/authz.py`` (see tests/authz.py). The
world of records is built once per module and xdist worker; each case runs in a savepoint
that is rolled back, so cases see the same world whatever ran before them.
"""

import copy
import functools
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.test import Client as BrowserClient
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from clientfolio.clients import services
from clientfolio.clients.models import Client, Payment
from clientfolio.comms import services as comms_services
from clientfolio.core.models import User
from tests.authz import (
    ADMIN,
    ADMIN_PAGE,
    ADMIN_WRITE,
    ALL_PERSONAS,
    ANON,
    API,
    API_CREATE,
    API_FOLDER_READ,
    CLIENT,
    CLIENT_OPEN_URLS,
    CLIENT_PERSONAS,
    FOLDER_CONTRIBUTE,
    FOLDER_CONTRIBUTE_WRITE,
    FOLDER_MANAGE,
    FOLDER_MANAGE_WRITE,
    FOLDER_POST_ONLY_GET,
    FOLDER_READ,
    LOGIN,
    OTHER_CLIENT,
    PAGE,
    POST_ONLY_GET,
    STAFF,
    WRITE,
    Rule,
    is_portal_url,
    statuses,
)
from tests.authz import extensions as find_extensions
from tests.clients.factories import ClientFactory
from tests.comms.factories import ActionItemFactory, CommRecordFactory
from tests.conftest import (
    make_accountant,
    make_admin,
    make_client_record,
    make_client_user,
    make_member,
    make_project,
    make_project_manager,
    make_staff,
    make_viewer,
    shared_records,
)
from tests.core.factories import PASSWORD, UserFactory
from tests.projects.factories import ChangeRequestFactory, ProjectRequirementFactory
from tests.schedule.factories import DependencyFactory, TaskFactory


def _no_kwargs(world):
    return {}


def client_pk(world):
    return {"pk": world.client.pk}


def archived_pk(world):
    return {"pk": world.archived.pk}


def record(kind, attr):
    def build(world):
        return {
            "pk": world.client.pk,
            "kind": kind,
            "record_pk": getattr(world, attr).pk,
        }

    return build


def project_pk(world):
    return {"pk": world.project.pk}


def membership_pk(world):
    return {"pk": world.project.pk, "member_pk": world.member_membership.pk}


def requirement_pk(world):
    return {"pk": world.project.pk, "requirement_pk": world.project_requirement.pk}


def change_number(world):
    return {"pk": world.project.pk, "number": world.change_request.number}


def requirement_data(world, persona):
    return {
        "title": "统一身份认证（调整）",
        "priority": "high",
        "version": world.project_requirement.version,
    }


def requirement_move_data(world, persona):
    return {
        "to_status": "confirmed",
        "confirmed_by": world.contact.pk,
        "version": world.project_requirement.version,
    }


def change_data(world, persona):
    return {
        "title": "增加报表模块",
        "requested_on": "2026-04-01",
        "schedule_impact_days": "3",
        "cost_impact": "1000.00",
        "currency": "CNY",
        "version": world.change_request.version,
    }


def change_step_data(world, persona):
    return {"to_status": "evaluating", "version": world.change_request.version}


def api_change_data(world, persona):
    return {"project": world.project.pk, "title": "接口提交的变更"}


def project_edit_data(world, persona):
    return {
        "name": "客户数据平台一期（调整）",
        "code": world.project.code,
        "manager": world.project.manager_id,
        "priority": "high",
        "status": "active",
        "phase": "planning",
        "version": world.project.version,
    }


def api_pk(attr):
    return lambda world: {"pk": getattr(world, attr).pk}


def client_edit_data(world, persona):
    return {
        "name": "改名后的客户",
        "kind": "company",
        "status": "active",
        "version": world.client.version,
    }


def token_data(world, persona):
    if persona == ANON:
        return {}
    return {"username": getattr(world, persona).username, "password": PASSWORD}


def comm_record_pk(world):
    return {"pk": world.project.pk, "record_pk": world.comm_record.pk}


def action_item_pk(world):
    return {"pk": world.project.pk, "item_pk": world.action_item.pk}


def comm_record_data(world, persona):
    return {
        "kind": "meeting",
        "subject": "需求澄清会（改）",
        "occurred_at": "2026-03-12T10:00",
        "version": world.comm_record.version,
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }


def api_comm_record_data(world, persona):
    return {
        "project": world.project.pk,
        "subject": "接口记录的电话",
        "occurred_at": "2026-03-12T10:00:00+08:00",
    }


# Comms pages that only take a POST and need a contributor's role.
FOLDER_CONTRIBUTE_POST_ONLY_GET = statuses(
    LOGIN, 404, 404, 405, pm=405, member=405, viewer=403
)
API_POST_ONLY_GET = statuses(401, 403, 405, 405)


def task_pk(attr):
    return lambda world: {"pk": world.project.pk, "task_pk": getattr(world, attr).pk}


def task_form_data(world, persona):
    return {
        "name": "接口设计（改）",
        "duration": "4",
        "constraint": "asap",
        "priority": "medium",
        "status": "todo",
        "percent_complete": "0",
        "buffer_days": "0",
        "version": world.task.version,
    }


# --- documents ----------------------------------------------------------------------------
def document_pk(attr):
    return lambda world: {
        "pk": world.project.pk,
        "document_pk": getattr(world, attr).pk,
    }


def version_pk(world):
    return {"pk": world.project.pk, "version_pk": world.document.current_version.pk}


def document_upload_data(world, persona):
    from tests.documents.factories import upload

    return {"files": [upload("权限测试.pdf")], "visibility": "internal"}


def document_edit_data(world, persona):
    return {
        "title": "一期实施合同（改）",
        "visibility": "internal",
        "version": world.document.version,
    }


def api_document_data(world, persona):
    from tests.documents.factories import upload

    return {"project": world.project.pk, "file": upload("接口上传.pdf")}


def api_version_data(world, persona):
    from tests.documents.factories import upload

    return {"document": world.document.pk, "file": upload("接口新版本.pdf")}


ADMIN_API = statuses(401, 403, 403, 200)
API_CONTRIBUTE_CREATE = statuses(401, 403, 400, 201, pm=201, member=201, viewer=403)
DOCUMENT_RULES: dict[str, Rule] = {
    "documents:document_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "documents:upload": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=document_upload_data,
    ),
    "documents:trash": Rule(kwargs=project_pk, get=FOLDER_READ),
    "documents:settings": Rule(
        kwargs=project_pk,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {"naming_rule": "{project_code}-{title}"},
    ),
    "documents:document_detail": Rule(kwargs=document_pk("document"), get=FOLDER_READ),
    "documents:document_edit": Rule(
        kwargs=document_pk("document"),
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=document_edit_data,
    ),
    "documents:version_upload": Rule(
        kwargs=document_pk("document"),
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {
            "file": document_upload_data(world, persona)["files"][0],
            "note": "第二版",
        },
    ),
    "documents:document_visibility": Rule(
        kwargs=document_pk("document"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {
            "visibility": "shared",
            "version": world.document.version,
        },
    ),
    "documents:document_delete": Rule(
        kwargs=document_pk("document"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
    ),
    "documents:document_restore": Rule(
        kwargs=document_pk("trashed_document"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
    ),
    "documents:document_purge": Rule(
        kwargs=document_pk("trashed_document"),
        get=statuses(LOGIN, 404, 404, 405, pm=403, member=403, viewer=403),
        post=statuses(LOGIN, 404, 404, 302, pm=403, member=403, viewer=403),
    ),
    "documents:version_download": Rule(kwargs=version_pk, get=FOLDER_READ),
    "documents:version_preview": Rule(kwargs=version_pk, get=FOLDER_READ),
    "documents:folder_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"name": "新文件夹"},
    ),
    "documents:folder_edit": Rule(
        kwargs=lambda world: {"pk": world.project.pk, "folder_pk": world.folder.pk},
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"name": "改名", "version": world.folder.version},
    ),
    "folder-template-list": Rule(
        get=ADMIN_API,
        post=statuses(401, 403, 403, 201),
        data=lambda world, persona: {"name_zh": "其他", "name_en": "Other"},
    ),
    "folder-template-detail": Rule(
        kwargs=lambda world: {"pk": world.folder_template.pk}, get=ADMIN_API
    ),
    "document-folder-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {"project": world.project.pk, "name": "接口文件夹"},
    ),
    "document-folder-detail": Rule(kwargs=api_pk("folder"), get=API_FOLDER_READ),
    "document-list": Rule(get=API, post=API_CONTRIBUTE_CREATE, data=api_document_data),
    "document-detail": Rule(kwargs=api_pk("document"), get=API_FOLDER_READ),
    "document-restore": Rule(
        kwargs=api_pk("trashed_document"),
        get=API_POST_ONLY_GET,
        post=statuses(401, 403, 404, 200, pm=200, member=200, viewer=403),
    ),
    "document-purge": Rule(
        kwargs=api_pk("trashed_document"),
        get=API_POST_ONLY_GET,
        post=statuses(401, 403, 403, 204),
    ),
    "document-version-list": Rule(
        get=API, post=API_CONTRIBUTE_CREATE, data=api_version_data
    ),
    "document-version-detail": Rule(
        kwargs=lambda world: {"pk": world.document.current_version.pk},
        get=API_FOLDER_READ,
    ),
    "document-version-download": Rule(
        kwargs=lambda world: {"pk": world.document.current_version.pk},
        get=API_FOLDER_READ,
    ),
    # The folder template's pages: administrators only.
    "documents:folder_template_list": Rule(get=ADMIN_PAGE),
    "documents:folder_template_create": Rule(
        get=ADMIN_PAGE,
        post=ADMIN_WRITE,
        data=lambda world, persona: {"name_zh": "其他", "name_en": "Other"},
    ),
    "documents:folder_template_edit": Rule(
        kwargs=lambda world: {"template_pk": world.folder_template.pk},
        get=ADMIN_PAGE,
        post=ADMIN_WRITE,
        data=lambda world, persona: {"name_zh": "项目合同", "name_en": "Contracts"},
    ),
    "documents:folder_template_move": Rule(
        kwargs=lambda world: {"template_pk": world.folder_template.pk},
        get=statuses(LOGIN, 403, 403, 405),
        post=ADMIN_WRITE,
        data=lambda world, persona: {"direction": "down"},
    ),
    "documents:folder_template_delete": Rule(
        kwargs=lambda world: {"template_pk": world.folder_template.pk},
        get=statuses(LOGIN, 403, 403, 405),
        post=ADMIN_WRITE,
    ),
}


RULES: dict[str, Rule] = {
    # Client contacts start in the portal.
    "home": Rule(get=statuses(LOGIN, 302, 200, 200)),
    "core:login": Rule(get=statuses(200, 302, 302, 302)),
    "core:logout": Rule(
        get=statuses(LOGIN, 405, 405, 405), post=statuses(LOGIN, 302, 302, 302)
    ),
    "core:profile": Rule(get=statuses(LOGIN, 200, 200, 200)),
    "core:password_change": Rule(get=statuses(LOGIN, 200, 200, 200)),
    "core:set_language": Rule(
        post=statuses(302, 302, 302, 302),
        data=lambda world, persona: {"language": "en", "next": "/"},
    ),
    "core:user_list": Rule(get=ADMIN_PAGE),
    "core:user_create": Rule(get=ADMIN_PAGE),
    "core:user_edit": Rule(kwargs=lambda w: {"pk": w.other.pk}, get=ADMIN_PAGE),
    "core:user_password": Rule(
        kwargs=lambda w: {"pk": w.other.pk},
        get=statuses(LOGIN, 405, 405, 405),
        post=ADMIN_WRITE,
        data=lambda world, persona: {
            "new_password1": "Zx9-new-secret-42",
            "new_password2": "Zx9-new-secret-42",
        },
    ),
    "clients:client_list": Rule(get=PAGE),
    "clients:client_create": Rule(get=PAGE),
    "clients:duplicate_check": Rule(get=PAGE, query="?name=上海云帆信息科技有限公司"),
    "clients:client_export": Rule(get=PAGE),
    "clients:client_import": Rule(get=PAGE),
    "clients:import_template": Rule(get=PAGE),
    "clients:client_detail": Rule(kwargs=client_pk, get=PAGE),
    "clients:client_edit": Rule(
        kwargs=client_pk, get=PAGE, post=WRITE, data=client_edit_data
    ),
    "clients:client_archive": Rule(kwargs=client_pk, get=POST_ONLY_GET, post=WRITE),
    "clients:client_restore": Rule(kwargs=archived_pk, get=POST_ONLY_GET, post=WRITE),
    "clients:client_purge": Rule(
        kwargs=archived_pk, get=statuses(LOGIN, 403, 403, 405), post=ADMIN_WRITE
    ),
    "clients:record_create": Rule(
        kwargs=lambda w: {"pk": w.client.pk, "kind": "requirements"}, get=PAGE
    ),
    "clients:record_edit": Rule(kwargs=record("contacts", "contact"), get=PAGE),
    "clients:record_delete": Rule(
        kwargs=record("requirements", "requirement"), get=POST_ONLY_GET, post=WRITE
    ),
    # The token endpoint is open by design: it answers only to valid credentials.
    "api_token": Rule(
        get=statuses(405, 405, 405, 405),
        post=statuses(400, 200, 200, 200),
        data=token_data,
    ),
    "api-root": Rule(get=API),
    "api_schema": Rule(get=API),
    "api_docs": Rule(get=API),
    "api_redoc": Rule(get=API),
    "client-list": Rule(
        get=API,
        post=API_CREATE,
        data=lambda world, persona: {"name": "接口新建客户"},
    ),
    "client-detail": Rule(kwargs=api_pk("client"), get=API),
    "client-purge": Rule(
        kwargs=api_pk("archived"),
        get=statuses(401, 403, 405, 405),
        post=statuses(401, 403, 403, 204),
    ),
    "client-restore": Rule(
        kwargs=api_pk("archived"), get=statuses(401, 403, 405, 405), post=API
    ),
    "contact-list": Rule(get=API),
    "contact-detail": Rule(kwargs=api_pk("contact"), get=API),
    "requirement-list": Rule(get=API),
    "requirement-detail": Rule(kwargs=api_pk("requirement"), get=API),
    "contract-list": Rule(get=API),
    "contract-detail": Rule(kwargs=api_pk("contract"), get=API),
    "payment-list": Rule(get=API),
    "payment-detail": Rule(kwargs=api_pk("payment"), get=API),
    "feedback-list": Rule(get=API),
    "feedback-detail": Rule(kwargs=api_pk("feedback"), get=API),
    "followup-list": Rule(get=API),
    "followup-detail": Rule(kwargs=api_pk("follow_up"), get=API),
    # --- projects -----------------------------------------------------------------
    "projects:project_list": Rule(get=PAGE),
    "projects:project_create": Rule(get=PAGE),
    "projects:project_detail": Rule(kwargs=project_pk, get=FOLDER_READ),
    "projects:project_edit": Rule(
        kwargs=project_pk,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=project_edit_data,
    ),
    "projects:team": Rule(kwargs=project_pk, get=FOLDER_READ),
    "projects:team_add": Rule(kwargs=project_pk, get=FOLDER_MANAGE),
    "projects:team_edit": Rule(kwargs=membership_pk, get=FOLDER_MANAGE),
    "projects:team_remove": Rule(
        kwargs=membership_pk,
        get=statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403),
        post=FOLDER_MANAGE_WRITE,
    ),
    "project-list": Rule(get=API),
    "project-detail": Rule(kwargs=api_pk("project"), get=API_FOLDER_READ),
    "membership-list": Rule(get=API),
    "membership-detail": Rule(kwargs=api_pk("member_membership"), get=API_FOLDER_READ),
    # --- requirements and change requests -----------------------------------------------
    "projects:requirement_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "projects:requirement_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"title": "新增的需求"},
    ),
    "projects:requirement_edit": Rule(
        kwargs=requirement_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=requirement_data,
    ),
    "projects:requirement_transition": Rule(
        kwargs=requirement_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=requirement_move_data,
    ),
    "projects:change_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "projects:change_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=change_data,
    ),
    "projects:change_detail": Rule(kwargs=change_number, get=FOLDER_READ),
    "projects:change_edit": Rule(
        kwargs=change_number,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=change_data,
    ),
    "projects:change_transition": Rule(
        kwargs=change_number,
        get=statuses(LOGIN, 404, 404, 405, pm=405, member=405, viewer=403),
        post=FOLDER_CONTRIBUTE_WRITE,
        data=change_step_data,
    ),
    "projectrequirement-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=lambda world, persona: {"project": world.project.pk, "title": "接口需求"},
    ),
    "projectrequirement-detail": Rule(
        kwargs=api_pk("project_requirement"), get=API_FOLDER_READ
    ),
    "projectrequirement-transition": Rule(
        kwargs=api_pk("project_requirement"),
        get=statuses(401, 403, 405, 405),
        post=statuses(401, 403, 404, 200, pm=200, member=200, viewer=403),
        data=lambda world, persona: {"to_status": "rejected"},
    ),
    "changerequest-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=api_change_data,
    ),
    "changerequest-detail": Rule(kwargs=api_pk("change_request"), get=API_FOLDER_READ),
    "changerequest-transition": Rule(
        kwargs=api_pk("change_request"),
        get=statuses(401, 403, 405, 405),
        post=statuses(401, 403, 404, 200, pm=200, member=200, viewer=403),
        data=lambda world, persona: {"to_status": "evaluating"},
    ),
    # --- communication records ----------------------------------------------------------
    "comms:record_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "comms:record_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=comm_record_data,
    ),
    "comms:record_import": Rule(kwargs=project_pk, get=FOLDER_CONTRIBUTE),
    "comms:record_detail": Rule(kwargs=comm_record_pk, get=FOLDER_READ),
    "comms:record_edit": Rule(
        kwargs=comm_record_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=comm_record_data,
    ),
    "comms:record_delete": Rule(
        kwargs=comm_record_pk,
        get=statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403),
        post=FOLDER_MANAGE_WRITE,
    ),
    "comms:record_send": Rule(
        kwargs=comm_record_pk,
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
    ),
    # Only participants answer: the project manager takes part, the others do not.
    "comms:record_respond": Rule(
        kwargs=comm_record_pk,
        get=FOLDER_POST_ONLY_GET,
        post=statuses(LOGIN, 404, 404, 403, pm=302, member=403, viewer=403),
        data=lambda world, persona: {"state": "confirmed"},
    ),
    "comms:action_item_status": Rule(
        kwargs=action_item_pk,
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {
            "status": "done",
            "version": world.action_item.version,
        },
    ),
    "comms:client_timeline": Rule(kwargs=client_pk, get=PAGE),
    "comms:my_action_items": Rule(get=PAGE),
    # The e-mailed link is its own credential: anyone holding it may answer.
    "comms:confirm": Rule(
        kwargs=lambda world: {"token": world.confirm_token},
        get=statuses(200, 200, 200, 200),
        post=statuses(302, 302, 302, 302),
        data=lambda world, persona: {"state": "confirmed"},
    ),
    "comm-record-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=api_comm_record_data,
    ),
    "comm-record-detail": Rule(kwargs=api_pk("comm_record"), get=API_FOLDER_READ),
    "comm-record-send": Rule(
        kwargs=api_pk("comm_record"),
        get=API_POST_ONLY_GET,
        post=statuses(401, 403, 404, 200, pm=200, member=200, viewer=403),
    ),
    "comm-record-respond": Rule(
        kwargs=api_pk("comm_record"),
        get=API_POST_ONLY_GET,
        post=statuses(401, 403, 404, 403, pm=200, member=403, viewer=403),
        data=lambda world, persona: {"state": "confirmed"},
    ),
    "action-item-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=lambda world, persona: {
            "record": world.comm_record.pk,
            "text": "接口待办",
        },
    ),
    "action-item-detail": Rule(kwargs=api_pk("action_item"), get=API_FOLDER_READ),
    # --- schedule: task tree, board, calendar, baselines, workload ---------------------------
    "schedule:task_list": Rule(kwargs=project_pk, get=FOLDER_READ),
    "schedule:task_create": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=task_form_data,
    ),
    "schedule:task_detail": Rule(
        kwargs=task_pk("task"),
        get=FOLDER_READ,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=task_form_data,
    ),
    "schedule:task_row": Rule(
        kwargs=task_pk("task"),
        get=FOLDER_CONTRIBUTE,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=task_form_data,
    ),
    "schedule:task_move": Rule(
        kwargs=task_pk("task"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"direction": "down"},
    ),
    "schedule:task_delete": Rule(
        kwargs=task_pk("task"), get=FOLDER_MANAGE, post=FOLDER_MANAGE_WRITE
    ),
    "schedule:task_status": Rule(
        kwargs=task_pk("task"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {
            "status": "done",
            "version": world.task.version,
        },
    ),
    # The world's link already exists: adding it again is refused (400), nothing saved.
    "schedule:dependency_add": Rule(
        kwargs=task_pk("milestone"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=statuses(LOGIN, 404, 404, 400, pm=400, member=400, viewer=403),
        data=lambda world, persona: {
            "predecessor": world.task.pk,
            "successor": world.milestone.pk,
            "kind": "FS",
            "lag": "0",
        },
    ),
    "schedule:dependency_delete": Rule(
        kwargs=lambda world: {
            "pk": world.project.pk,
            "dependency_pk": world.dependency.pk,
        },
        get=statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403),
        post=FOLDER_MANAGE_WRITE,
    ),
    "schedule:assignments": Rule(
        kwargs=task_pk("task"),
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {f"hours-{world.member.pk}": "16"},
    ),
    "schedule:board": Rule(kwargs=project_pk, get=FOLDER_READ),
    "schedule:calendar": Rule(
        kwargs=project_pk,
        get=FOLDER_MANAGE,
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {
            "weekdays": ["0", "1", "2", "3", "4", "5"],
            "buffer_days": "2",
            "version": world.project.schedule.version,
        },
    ),
    "schedule:calendar_day_add": Rule(
        kwargs=project_pk,
        get=statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403),
        post=FOLDER_MANAGE_WRITE,
        data=lambda world, persona: {"day": "2026-12-31", "kind": "holiday"},
    ),
    "schedule:calendar_day_delete": Rule(
        kwargs=lambda world: {"pk": world.project.pk, "day_pk": world.calendar_day.pk},
        get=statuses(LOGIN, 404, 404, 405, pm=405, member=403, viewer=403),
        post=FOLDER_MANAGE_WRITE,
    ),
    "schedule:baselines": Rule(
        kwargs=project_pk,
        get=FOLDER_READ,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"name": "新基线"},
    ),
    "schedule:workload": Rule(kwargs=project_pk, get=FOLDER_READ),
    "schedule:my_tasks": Rule(get=PAGE),
    "task-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=lambda world, persona: {"project": world.project.pk, "name": "接口任务"},
    ),
    "task-detail": Rule(kwargs=api_pk("task"), get=API_FOLDER_READ),
    # A link back from the milestone would close a cycle: refused (400) for contributors.
    "dependency-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 400, pm=400, member=400, viewer=403),
        data=lambda world, persona: {
            "predecessor": world.milestone.pk,
            "successor": world.task.pk,
        },
    ),
    "dependency-detail": Rule(kwargs=api_pk("dependency"), get=API_FOLDER_READ),
    "assignment-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=lambda world, persona: {
            "task": world.task.pk,
            "user": world.project_manager.pk,
            "hours": "8",
        },
    ),
    "assignment-detail": Rule(kwargs=api_pk("assignment"), get=API_FOLDER_READ),
    "baseline-list": Rule(
        get=API,
        post=statuses(401, 403, 400, 201, pm=201, member=201, viewer=403),
        data=lambda world, persona: {"project": world.project.pk, "name": "接口基线"},
    ),
    "baseline-detail": Rule(kwargs=api_pk("baseline"), get=API_FOLDER_READ),
    "project-schedule-list": Rule(get=API),
    "project-schedule-detail": Rule(
        kwargs=lambda world: {"pk": world.project.schedule.pk}, get=API_FOLDER_READ
    ),
    "project-computed-schedule": Rule(kwargs=project_pk, get=API_FOLDER_READ),
    "project-forecast": Rule(kwargs=project_pk, get=API_FOLDER_READ),
    # --- Gantt, client timeline and calendar feeds -----------------------------------------
    "schedule:gantt": Rule(kwargs=project_pk, get=FOLDER_READ),
    "schedule:forecast": Rule(kwargs=project_pk, get=FOLDER_READ),
    "schedule:gantt_data": Rule(kwargs=project_pk, get=FOLDER_READ),
    "schedule:gantt_update": Rule(
        kwargs=project_pk,
        get=FOLDER_CONTRIBUTE_POST_ONLY_GET,
        post=statuses(LOGIN, 404, 404, 200, pm=200, member=200, viewer=403),
        data=lambda world, persona: {
            "task": world.gantt_task.pk,
            "version": world.gantt_task.version,
            "action": "progress",
            "value": "10",
        },
    ),
    "schedule:timeline": Rule(kwargs=project_pk, get=FOLDER_READ),
    "schedule:timeline_png": Rule(kwargs=project_pk, get=FOLDER_CONTRIBUTE),
    "schedule:timeline_pdf": Rule(kwargs=project_pk, get=FOLDER_CONTRIBUTE),
    "schedule:timeline_xlsx": Rule(kwargs=project_pk, get=FOLDER_CONTRIBUTE),
    # Feed URLs are their own credential (calendar apps cannot sign in).
    "schedule:ical_project": Rule(
        kwargs=lambda world: {"token": world.project_feed_token},
        get=statuses(200, 200, 200, 200),
    ),
    "schedule:ical_user": Rule(
        kwargs=lambda world: {"token": world.user_feed_token},
        get=statuses(200, 200, 200, 200),
    ),
    "schedule:ical_settings": Rule(
        get=statuses(LOGIN, 403, 200, 200),
        post=statuses(LOGIN, 403, 302, 302),
        data=lambda world, persona: {"scope": "user", "action": "regenerate"},
    ),
    **DOCUMENT_RULES,
}
# tests/<app>/authz.py of every app, found on disk (tests/authz.py).
EXTENSIONS = find_extensions()
for _extension in EXTENSIONS:
    RULES.update(_extension.RULES)


def url_names() -> set[str]:
    """Every named pattern of the URL configuration, as ``namespace:name``."""
    names: set[str] = set()

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{pattern.namespace}:" if pattern.namespace else ""
                walk(pattern, prefix + namespace)
            elif pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver(), "")
    return names


def test_every_url_has_an_authorization_rule():
    # given the URL configuration
    names = url_names()

    # then every URL has a rule and every rule names a URL
    missing = sorted(names - RULES.keys())
    stale = sorted(RULES.keys() - names)
    assert not missing, f"URLs without a rule in tests/test_authorization.py: {missing}"
    assert not stale, f"Rules for URLs that no longer exist: {stale}"


CASES = [
    pytest.param(name, method, persona, id=f"{name}-{method}-{persona}")
    for name, rule in RULES.items()
    for method in ("get", "post")
    if getattr(rule, method) is not None
    for persona in ALL_PERSONAS + ((OTHER_CLIENT,) if is_portal_url(name) else ())
]


def expected_status(name, method, persona):
    """The rule's status, except that both client personas get 404 from every URL
    outside the portal but the few open to them."""
    if (
        persona in CLIENT_PERSONAS
        and not is_portal_url(name)
        and name not in CLIENT_OPEN_URLS
    ):
        return 404
    return getattr(RULES[name], method)[persona]


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per module (and xdist worker) and rolled back at the end;
    every case runs in a savepoint inside it (tests/conftest.py ``shared_records``)."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        shared_records(django_db_blocker) as records,
    ):
        yield records.build(build_world)


@pytest.fixture
def world(built_world, db):
    """The module's world with a copy of each record: a test may change or refresh its
    objects, the next sees the originals (the database is rolled back to them)."""
    return SimpleNamespace(
        **{
            name: copy.copy(value) if isinstance(value, Model) else value
            for name, value in vars(built_world).items()
        }
    )


def _browser(world, persona, factory):
    # English messages, as in tests/conftest.py; signed in with the persona's session of
    # the world rather than a new one per case (force_login costs more than a request).
    http = factory(headers={"accept-language": "en"})
    if persona in world.persona_sessions:
        http.cookies[django_settings.SESSION_COOKIE_NAME] = world.persona_sessions[
            persona
        ]
    return http


@pytest.fixture
def as_persona(world):
    """``as_persona("staff")``: a test browser signed in as that persona."""
    return lambda persona: _browser(world, persona, BrowserClient)


@pytest.fixture
def api_as(world):
    """``api_as("staff")``: a DRF test client signed in (session) as that persona."""
    return lambda persona: _browser(world, persona, APIClient)


# The personas and the shared records of this module are the world's: these fixtures
# stand in for tests/conftest.py's, which would build new ones.
def _of_the_world(attribute):
    return lambda world: getattr(world, attribute)


for _name, _attribute in {
    **{persona: persona for persona in ALL_PERSONAS if persona != ANON},
    "client_record": "client",
    "project": "project",
}.items():
    globals()[_name] = pytest.fixture(name=_name)(_of_the_world(_attribute))


def build_world():
    staff, admin, client_user = make_staff(), make_admin(), make_client_user()
    client_record = make_client_record(staff)
    project_manager, member, viewer = (
        make_project_manager(),
        make_member(),
        make_viewer(),
    )
    project = make_project(client_record, project_manager, member, viewer)
    accountant = make_accountant(project)
    archived = services.archive_client(ClientFactory(name="归档的北京星河贸易有限公司"))
    world = SimpleNamespace(
        client=client_record,
        archived=archived,
        contact=client_record.contacts.get(name="张伟"),
        requirement=client_record.requirements.get(),
        contract=client_record.contracts.get(),
        payment=Payment.objects.get(contract__client=client_record),
        feedback=client_record.feedback.get(),
        follow_up=client_record.follow_ups.get(),
        other=UserFactory(username="other-staff", email="other.staff@example.com"),
        staff=staff,
        admin=admin,
        client_user=client_user,
        project=project,
        member_membership=project.memberships.get(user=member),
        project_requirement=ProjectRequirementFactory(
            project=project, title="统一身份认证"
        ),
        change_request=ChangeRequestFactory(project=project, title="增加报表模块"),
        **_comms_world(project, project_manager, member, client_record),
        **_gantt_world(project, project_manager),
        **_schedule_world(project, project_manager, member),
        **_documents_world(project, project_manager),
        project_manager=project_manager,
        member=member,
        viewer=viewer,
        accountant=accountant,
    )
    _tie_client_personas(world)
    for extension in EXTENSIONS:
        # An app's module may have rules and no records of its own.
        if hasattr(extension, "world"):
            vars(world).update(extension.world(world))
    world.persona_sessions = {}
    for persona in (*ALL_PERSONAS, OTHER_CLIENT):
        if persona != ANON:
            http = BrowserClient()
            http.force_login(getattr(world, persona))
            session = http.cookies[django_settings.SESSION_COOKIE_NAME].value
            world.persona_sessions[persona] = session
    return world


def _tie_client_personas(world):
    """The client persona is 张伟 of the world's client; the other client persona a
    contact of 杭州远景科技 with a project of its own."""
    from clientfolio.clients.models import Contact
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project

    Contact.objects.filter(pk=world.contact.pk).update(portal_user=world.client_user)
    world.contact.refresh_from_db()
    other_client = ClientFactory(name="杭州远景科技有限公司")
    world.other_client_user = make_client_user(username="other-client-contact")
    world.other_contact = Contact.objects.create(
        client=other_client, name="陈静", portal_user=world.other_client_user
    )
    world.other_client = other_client
    world.other_project = project_services.create_project(
        Project(
            name="远景数据迁移", client=other_client, manager=world.project_manager
        ),
        user=world.project_manager,
    )


def _comms_world(project, project_manager, member, client_record):
    """A meeting on the project with the manager and 张伟 taking part, an action item of
    the member, and 张伟's confirmation link."""
    record = CommRecordFactory(
        project=project,
        subject="需求澄清会",
        participant_users=[project_manager],
        participant_contacts=[client_record.contacts.get(name="张伟")],
    )
    return {
        "comm_record": record,
        "action_item": ActionItemFactory(record=record, owner=member),
        "confirm_token": comms_services.confirmation_token(
            record.participants.get(contact__isnull=False)
        ),
    }


def _gantt_world(project, project_manager):
    """A task to drag in the Gantt, and the manager's calendar feed tokens."""
    from clientfolio.schedule.models import FeedToken

    return {
        "gantt_task": TaskFactory(project=project, name="甘特图任务", duration=1),
        "project_feed_token": FeedToken.objects.create(
            user=project_manager, project=project, token="project-feed-token"
        ).token,
        "user_feed_token": FeedToken.objects.create(
            user=project_manager, token="user-feed-token"
        ).token,
    }


def _schedule_world(project, project_manager, member):
    """A task owned by the member, linked to a client-visible milestone; the member's
    hours on the task, a baseline and a project holiday."""
    from decimal import Decimal

    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import CalendarDay

    task = TaskFactory(project=project, name="接口设计", owner=member)
    milestone = TaskFactory(
        project=project, name="原型确认", milestone=True, is_client_visible=True
    )
    dependency = DependencyFactory(predecessor=task, successor=milestone)
    assignment = schedule_services.set_assignments(task, {member: Decimal("24")})[0]
    baseline = schedule_services.save_baseline(project, "基线", user=project_manager)
    calendar_day = CalendarDay.objects.create(
        schedule=project.schedule, day="2026-12-30", kind="holiday", name="年终"
    )
    task.refresh_from_db()
    return {
        "task": task,
        "milestone": milestone,
        "dependency": dependency,
        "assignment": assignment,
        "baseline": baseline,
        "calendar_day": calendar_day,
    }


def _documents_world(project, project_manager):
    """A contract PDF in a folder of its own, a trashed document, and the template's
    first folder; files go to the temporary media folder of ``built_world``."""
    from clientfolio.documents import services as document_services
    from clientfolio.documents.models import FolderTemplate
    from tests.documents.factories import DocumentFactory

    folder = document_services.create_folder(project, "合同")
    trashed = DocumentFactory(
        project=project, title="作废稿", created_by=project_manager
    )
    document_services.trash_document(trashed)
    return {
        "folder": folder,
        "document": DocumentFactory(
            project=project,
            folder=folder,
            title="一期实施合同",
            created_by=project_manager,
        ),
        "trashed_document": trashed,
        "folder_template": FolderTemplate.objects.first(),
    }


# Written by any request of a signed-in persona, whatever it answers.
VOLATILE_TABLES = frozenset({"django_session"})


@functools.cache
def _tables() -> tuple[str, ...]:
    models = apps.get_models(include_auto_created=True)
    tables = {m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy}
    return tuple(sorted(tables - VOLATILE_TABLES))


def database_state() -> dict[str, list]:
    """Everything a denied request must leave untouched: every row of every table of
    every app, read with one plain query per table (the ORM's ``values()`` of each model
    cost more than the request itself); on PostgreSQL one query for all of them, each
    table's rows as JSON."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT "
                + ", ".join(
                    f"(SELECT json_agg(t)::text FROM {quote(table)} t)"
                    for table in _tables()
                )
            )
            row = cursor.fetchone()
            for table, rows in zip(_tables(), row, strict=True):
                state[table] = sorted(json.loads(rows or "[]"), key=repr)
            return state
        for table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            state[table] = sorted(cursor.fetchall(), key=repr)
    return state


def changed_tables(before, after) -> list[str]:
    return [table for table in before if before[table] != after[table]]


def is_denial(response, expected) -> bool:
    return expected == LOGIN or response.status_code in (401, 403, 404, 405)


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_persona_gets_the_expected_status(
    name, method, persona, world, as_persona, api_as
):
    # given the persona, signed in (or not), and the URL of the rule
    rule = RULES[name]
    expected = expected_status(name, method, persona)
    url = reverse(name, kwargs=(rule.kwargs or _no_kwargs)(world)) + rule.query
    browser = api_as(persona) if url.startswith("/api/") else as_persona(persona)
    # the rows a denial must leave untouched (an allowed request that is denied fails
    # on its status first, so only expected denials need them)
    denial_expected = expected == LOGIN or expected in (401, 403, 404)
    before = database_state() if denial_expected else None

    # when the persona requests it
    if method == "get":
        response = browser.get(url)
    else:
        data = rule.data(world, persona) if rule.data else {}
        response = browser.post(url, data)

    # then the status is the rule's
    if expected == LOGIN:
        assert response.status_code == 302, response.content[:500]
        assert response["Location"].startswith(reverse("core:login"))
    else:
        assert response.status_code == expected, response.content[:500]

    # and a denial leaks no name and changes nothing
    if is_denial(response, expected) and expected != 405:
        body = response.content.decode("utf-8", errors="replace")
        secrets = (world.client.name, world.archived.name, "张伟", "other-staff")
        if response.status_code == 404:
            secrets += (world.project.name,)
        for secret in secrets:
            assert secret not in body
        assert before is not None
        assert changed_tables(before, database_state()) == []


def test_denied_archive_leaves_the_client_active(world, as_persona):
    # given a client contact
    browser = as_persona(CLIENT)

    # when they try to archive a client
    response = browser.post(reverse("clients:client_archive", args=[world.client.pk]))

    # then it does not exist for them and the client stays active
    assert response.status_code == 404
    world.client.refresh_from_db()
    assert world.client.archived_at is None


def test_staff_cannot_purge_but_an_admin_can(world, as_persona):
    # given an archived client
    url = reverse("clients:client_purge", args=[world.archived.pk])

    # when staff try to purge it, then it is refused and the client still exists
    assert as_persona(STAFF).post(url).status_code == 403
    assert Client.objects.filter(pk=world.archived.pk).exists()

    # when an administrator purges it, then it is gone
    assert as_persona(ADMIN).post(url).status_code == 302
    assert not Client.objects.filter(pk=world.archived.pk).exists()


def test_an_inactive_staff_member_is_treated_as_signed_out(world, as_persona):
    # given a staff member who has been deactivated after signing in
    browser = as_persona(STAFF)
    User.objects.filter(pk=world.staff.pk).update(is_active=False)

    # when they open a client
    response = browser.get(reverse("clients:client_detail", args=[world.client.pk]))

    # then they are sent to the login page and see nothing of the client
    assert response.status_code == 302
    assert world.client.name not in response.content.decode()
