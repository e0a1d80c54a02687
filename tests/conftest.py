"""The cast shared by every test: one persona per role, and one client with its records.

The personas are built with factories; pages are requested through ``as_persona`` (a Django
test client signed in as that persona) and the API through ``api_as``.
"""

import importlib
import os
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client as BrowserClient
from hypothesis import settings
from rest_framework.test import APIClient

from clientfolio.clients.models import Contact
from tests.clients.factories import (
    ClientFactory,
    ContractFactory,
    FeedbackFactory,
    FollowUpFactory,
    PaymentFactory,
    RequirementFactory,
)
from tests.core.factories import UserFactory

PERSONAS = ("anonymous", "client_user", "staff", "admin")
# Members of the shared project, by project role; "staff" is a staff user outside it.
PROJECT_PERSONAS = ("project_manager", "member", "viewer", "accountant")

# No example database in the working tree, and no deadlines on a busy 2-core machine.
settings.register_profile("clientfolio", database=None, deadline=None)
settings.load_profile("clientfolio")

# CLIENTFOLIO_TEST_CLOCK_SHIFT_DAYS=400 runs the whole session with the clock moved 400
# days ahead (negative: back), ticking: no test may depend on the real date. It applies
# in every xdist worker (they inherit the environment and load this file) and in the
# live server of the browser tests (a thread of the same process); the browser's own
# JavaScript clock is not moved, so browser tests must not depend on it. CI's
# PostgreSQL pass runs shifted (.ci/run).
CLOCK_SHIFT_DAYS = int(os.environ.get("CLIENTFOLIO_TEST_CLOCK_SHIFT_DAYS") or 0)
_clock: list = []


def pytest_configure(config):
    if CLOCK_SHIFT_DAYS:
        shifted = datetime.now(UTC) + timedelta(days=CLOCK_SHIFT_DAYS)
        traveller = time_machine.travel(shifted, tick=True)
        traveller.start()
        _clock.append(traveller)


def pytest_collection_modifyitems(config, items):
    """The tests marked ``heavy`` (a minute or more of CPU each) run first, so that the
    xdist workers share the rest around them instead of one finishing such a test alone
    at the end (``make test`` runs ``--dist worksteal``)."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def pytest_unconfigure(config):
    while _clock:
        _clock.pop().stop()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: the database is rolled back between tests
    and ids come back, so a value cached by one test (core.caching) must not reach the
    next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the rows its data migration seeds (the default folder
    template) and the search's bigram function and indexes (PostgreSQL) when it was
    made from the models (clientfolio/settings_test.py)."""
    from django.apps import apps
    from django.conf import settings as django_settings
    from django.db import connection

    if not django_settings.DATABASES["default"].get("TEST", {}).get("MIGRATE", True):
        seed = importlib.import_module(
            "clientfolio.documents.migrations.0002_seed_folder_templates"
        )
        bigram_indexes = importlib.import_module(
            "clientfolio.reports.migrations.0007_search_bigram_indexes"
        )
        with django_db_blocker.unblock():
            seed.seed(apps, None)
            with connection.schema_editor() as editor:
                bigram_indexes.create_indexes(apps, editor)


def pytest_report_header(config):
    if CLOCK_SHIFT_DAYS:
        return f"clock shifted by {CLOCK_SHIFT_DAYS} days: {datetime.now(UTC):%Y-%m-%d}"
    return None


# The cast is built by plain functions, so a fixture of a wider scope (the authorization
# matrix builds its world once per module) makes exactly the same records.
def make_admin():
    return UserFactory(admin=True, username="admin", first_name="管理员")


def make_staff():
    return UserFactory(username="staff", first_name="小明", last_name="王")


def make_client_user(username="client-contact"):
    return UserFactory(client_contact=True, username=username)


def make_project_manager():
    return UserFactory(username="pm", first_name="经理", last_name="项目")


def make_member():
    return UserFactory(username="member", first_name="成员", last_name="团队")


def make_viewer():
    return UserFactory(username="viewer", first_name="只读", last_name="访客")


@contextmanager
def shared_records(django_db_blocker):
    """``with shared_records(django_db_blocker) as records: records.build(...)``: records
    that the tests of a module (or class) share, made once in a transaction that is rolled
    back when they are done. Each test runs in a savepoint inside it (``db``), so what it
    changes is undone before the next; use it from a fixture of that scope that depends
    on ``django_db_setup``. Tests that need ``transactional_db`` cannot share them."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # Like Django's TestCase atomics: durable blocks of the code may open inside it.
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
    try:
        yield _Builder(django_db_blocker)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class _Builder:
    def __init__(self, blocker):
        self._blocker = blocker

    def build(self, make, *args, **kwargs):
        with self._blocker.unblock():
            return make(*args, **kwargs)


@pytest.fixture
def admin(db):
    return make_admin()


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def client_user(db):
    return make_client_user()


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def client_record(db, staff):
    """上海云帆信息科技有限公司 with two contacts, a requirement, a contract with a payment,
    a complaint and an open follow-up."""
    return make_client_record(staff)


def make_client_record(staff):
    client = ClientFactory(
        name="上海云帆信息科技有限公司",
        owner=staff,
        industry="software",
        tags=["重点", "华东"],
        contacts=[
            Contact(name="张伟", phone="13812345678", email="zhang.wei@yunfan.cn"),
            Contact(name="李娜", phone="021-55551234", email="li.na@yunfan.cn"),
        ],
    )
    RequirementFactory(client=client, title="移动端审批")
    contract = ContractFactory(client=client, number="YF-2025-001", title="一期实施")
    PaymentFactory(contract=contract)
    FeedbackFactory(client=client, kind="complaint", subject="响应太慢")
    FollowUpFactory(client=client, owner=staff, purpose="季度回访")
    client.refresh_from_db()
    return client


@pytest.fixture
def project_manager(db):
    return make_project_manager()


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def viewer(db):
    return make_viewer()


@pytest.fixture
def project(db, client_record, project_manager, member, viewer):
    """客户数据平台一期 for 上海云帆, managed by ``project_manager``, with ``member`` and
    ``viewer`` on the team. The ``staff`` persona is not on it."""
    return make_project(client_record, project_manager, member, viewer)


def make_project(client_record, project_manager, member, viewer):
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Membership, Project

    project = project_services.create_project(
        Project(
            name="客户数据平台一期",
            client=client_record,
            manager=project_manager,
            goals="整合客户数据",
        ),
        user=project_manager,
    )
    Membership.objects.create(project=project, user=member, role="member")
    Membership.objects.create(project=project, user=viewer, role="viewer")
    return project


@pytest.fixture
def accountant(db, project):
    """The shared project's accountant: project role "finance"."""
    return make_accountant(project)


def make_accountant(project):
    from clientfolio.projects.models import Membership

    user = UserFactory(username="accountant", first_name="会计", last_name="财务")
    Membership.objects.create(project=project, user=user, role="finance")
    return user


def _signed_in(user, factory):
    # English messages, so assertions on them do not depend on the translation catalogue.
    http = factory(headers={"accept-language": "en"})
    if user is not None and user.is_authenticated:
        http.force_login(user)
    return http


@pytest.fixture
def as_persona(request):
    """``as_persona("staff")``: a test browser signed in as that persona."""

    def build(name):
        return _signed_in(request.getfixturevalue(name), BrowserClient)

    return build


@pytest.fixture
def api_as(request):
    """``api_as("staff")``: a DRF test client signed in (session) as that persona."""

    def build(name):
        return _signed_in(request.getfixturevalue(name), APIClient)

    return build


@pytest.fixture
def staff_browser(staff):
    return _signed_in(staff, BrowserClient)


@pytest.fixture
def admin_browser(admin):
    return _signed_in(admin, BrowserClient)


@pytest.fixture
def staff_api(staff):
    return _signed_in(staff, APIClient)


@pytest.fixture
def admin_api(admin):
    return _signed_in(admin, APIClient)
