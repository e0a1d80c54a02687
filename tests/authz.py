"""What the authorization matrix in ``tests/test_authorization.py`` is made of: the
personas, the expected-status presets and the ``Rule`` of one URL.

Each app that adds URLs after the first ones keeps its rows in ``tests/<app>/authz.py``,
found by ``extensions()`` without being registered anywhere: ``RULES`` (URL name ->
Rule), ``world(world)`` (optional: extra records, returned as a dict and merged into the shared
world; it sees the shared world and the records of the modules of apps sorted before
it) and optionally ``state()`` (rows a denied request must leave untouched; the matrix
compares every table of the database anyway).

The world is built once per test module and every case runs in a savepoint that is
rolled back, so ``world(world)`` must only create database rows (and files under
``MEDIA_ROOT``), never change settings or module globals."""

import importlib
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PERSONAS, PROJECT_PERSONAS

ANON, CLIENT, STAFF, ADMIN = PERSONAS
PM, MEMBER, VIEWER, ACCOUNTANT = PROJECT_PERSONAS
ALL_PERSONAS = PERSONAS + PROJECT_PERSONAS
# A contact of another client, with a shared project of their own: asked on every portal
# URL (elsewhere both client personas get 404, see CLIENT_OPEN_URLS).
OTHER_CLIENT = "other_client_user"
CLIENT_PERSONAS = (CLIENT, OTHER_CLIENT)
LOGIN = "login"  # expected: a redirect to the login page

# The only URLs outside the portal that a client contact reaches; every other one
# answers both client personas 404, whatever its rule says for staff.
CLIENT_OPEN_URLS = frozenset(
    {
        "home",
        "core:login",
        "core:logout",
        "core:set_language",
        "core:health",
        "comms:confirm",
        "reports:survey_answer",
        "survey-answer-by-token",
        "api_token",
    }
)


def is_portal_url(name: str) -> bool:
    return name.split(":")[0] in ("portal", "portal_api")


def portal_statuses(
    anonymous, client_user, other_client, staff, admin=None, *, project_roles=None
):
    """Expected statuses of a portal URL: the project roles get what ``staff`` gets
    unless ``project_roles`` says otherwise, ``admin`` too."""
    roles = staff if project_roles is None else project_roles
    return {
        ANON: anonymous,
        CLIENT: client_user,
        OTHER_CLIENT: other_client,
        STAFF: staff,
        ADMIN: staff if admin is None else admin,
        PM: roles,
        MEMBER: roles,
        VIEWER: roles,
        ACCOUNTANT: roles,
    }


def statuses(
    anonymous,
    client_user,
    staff,
    admin,
    *,
    pm=None,
    member=None,
    viewer=None,
    accountant=None,
):
    """Expected statuses; project roles default to what ``staff`` gets, and the
    accountant (project role "finance") to what the viewer gets."""
    viewer = staff if viewer is None else viewer
    return {
        ANON: anonymous,
        CLIENT: client_user,
        STAFF: staff,
        ADMIN: admin,
        PM: staff if pm is None else pm,
        MEMBER: staff if member is None else member,
        VIEWER: viewer,
        ACCOUNTANT: viewer if accountant is None else accountant,
    }


# Inside a project folder: outsiders (staff) and client contacts get 404.
FOLDER_READ = statuses(LOGIN, 404, 404, 200, pm=200, member=200, viewer=200)
FOLDER_MANAGE = statuses(LOGIN, 404, 404, 200, pm=200, member=403, viewer=403)
FOLDER_MANAGE_WRITE = statuses(LOGIN, 404, 404, 302, pm=302, member=403, viewer=403)
FOLDER_CONTRIBUTE = statuses(LOGIN, 404, 404, 200, pm=200, member=200, viewer=403)
FOLDER_CONTRIBUTE_WRITE = statuses(LOGIN, 404, 404, 302, pm=302, member=302, viewer=403)
FOLDER_POST_ONLY_GET = statuses(LOGIN, 404, 404, 405, pm=405, member=405, viewer=405)
API_FOLDER_READ = statuses(401, 403, 404, 200, pm=200, member=200, viewer=200)


PAGE = statuses(LOGIN, 403, 200, 200)
ADMIN_PAGE = statuses(LOGIN, 403, 403, 200)
WRITE = statuses(LOGIN, 403, 302, 302)  # a POST-only page that redirects when done
ADMIN_WRITE = statuses(LOGIN, 403, 403, 302)
POST_ONLY_GET = statuses(LOGIN, 403, 405, 405)
API = statuses(401, 403, 200, 200)
API_CREATE = statuses(401, 403, 201, 201)


@dataclass
class Rule:
    kwargs: object = None  # world -> URL kwargs
    get: dict | None = None
    post: dict | None = None
    data: object = None  # (world, persona) -> POST body
    query: str = ""


def extensions() -> tuple:
    """The modules ``tests/<app>/authz.py``, in the order of the app's name."""
    root = Path(__file__).parent
    return tuple(
        importlib.import_module(f"tests.{path.parent.name}.authz")
        for path in sorted(root.glob("*/authz.py"))
    )
