"""The API keeps its contract: schemathesis sends generated requests to every operation of
the OpenAPI schema, as an admin and as a staff member, over the demo data.

No answer may be a server error, and every answer must match the schema: the status
codes, the content type and the body it documents. Each request runs in a savepoint that
is rolled back, so every example starts from the same demo data; detail routes are sent
either the id of a record the persona can see or one that does not exist.
"""

import functools
import json
import re
from contextlib import contextmanager
from datetime import date

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import translation
from django.utils.module_loading import import_string
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from clientfolio.core.models import User
from clientfolio.core.tokens import issue_token
from tests.conftest import shared_records

TODAY = date(2026, 3, 2)
# The demo's admin, and a staff member who manages some projects and works on others.
PERSONAS = ("admin", "li.na")
# Enough to reach every documented branch of an operation at least once, while the whole
# run stays within a couple of minutes on two cores.
MAX_EXAMPLES = 8
# Each persona's operations are fuzzed in this many tests (every SHARDS-th operation),
# so the two xdist workers share the longest tests of the suite instead of one of them
# finishing alone.
SHARDS = 2
MISSING_ID = 987654321

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PATH_ID = re.compile(r"\{(\w+)\}")
# Detail routes whose record must be in a state the first listed one is not in: left out
# of the check that every listed record was also read through its detail routes.
NEEDS_STATE = {
    # only a published report has a PDF; the first listed is this week's draft
    "GET /api/v1/progress-reports/{id}/pdf/",
    # the plan export needs the export right on the project (a contributor's); the first
    # project a persona lists may be one they only view (403 is the right answer there)
    "GET /api/v1/projects/{id}/plan-export/",
}


@functools.cache
def _rendered_schema(language: str | None) -> bytes:
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    return OpenApiJsonRenderer().render(schema)


def _raw_schema():
    """The OpenAPI schema as a dict of its own (callers change it), generated once per
    process and language: the URL configuration does not change while the tests run."""
    return json.loads(_rendered_schema(translation.get_language()))


def _visible_ids(raw, user):
    """For each path with an id, the id of the first record its collection lists to the
    user, or nothing when the collection is empty."""
    http = APIClient()
    http.force_authenticate(user)
    first_ids = {}
    for path in raw["paths"]:
        match = PATH_ID.search(path)
        if match is None:
            continue
        collection = path[: match.start()]
        if collection not in first_ids:
            response = http.get(collection)
            body = response.json() if response.status_code == 200 else {}
            rows = body.get("results", body) if isinstance(body, dict) else body
            first_ids[collection] = rows[0]["id"] if rows else None
    return first_ids


def _with_known_ids(raw, first_ids):
    """The schema to generate requests from: each path id is a visible record's id or one
    that does not exist (the documented schema is unchanged for validation)."""
    for path, item in raw["paths"].items():
        match = PATH_ID.search(path)
        if match is None:
            continue
        known = first_ids.get(path[: match.start()])
        choices = [MISSING_ID] if known is None else [known, MISSING_ID]
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == match.group(1):
                    parameter["schema"] = {"type": "integer", "enum": choices}
    return raw


@contextmanager
def connection_kept_open():
    """The WSGI application closes the database connection around each request, which
    would end the test's transaction (on PostgreSQL); Django's test client keeps it open
    the same way (and connects the signals again after each of its requests)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module's fuzz tests on each xdist worker (a load
    takes seconds); each test's changes are rolled back to it."""

    def load():
        for loader in django_settings.CLIENTFOLIO_DEMO_LOADERS:
            import_string(loader)(TODAY)

    with shared_records(django_db_blocker) as records:
        yield records.build(load)


@pytest.fixture(
    params=[(persona, shard) for persona in PERSONAS for shard in range(SHARDS)],
    ids=lambda param: f"{param[0]}-{param[1] + 1}of{SHARDS}",
)
def api_persona(request, demo_data, db):
    """The demo data, the persona's API token and the share of the operations to fuzz."""
    persona, shard = request.param
    user = User.objects.get(username=persona)
    _token, key = issue_token(user, name="schemathesis")
    return user, key, shard


def _schema(user):
    """The schema to fuzz, and the collections that list a record to the user."""
    raw = _raw_schema()
    first_ids = _visible_ids(raw, user)
    schema = schemathesis.openapi.from_dict(_with_known_ids(raw, first_ids))
    schema.app = get_wsgi_application()
    return schema, {path for path, pk in first_ids.items() if pk is not None}


def _fuzz(operation, token, answered):
    """Sends generated requests, valid and invalid, to one operation; adds the status
    codes of the answers to ``answered``."""
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case):
        with transaction.atomic():
            try:
                response = case.call_and_validate(
                    headers={"Authorization": f"Token {token}"}, checks=CHECKS
                )
                answered.add(response.status_code)
            finally:
                transaction.set_rollback(True)

    send()


@pytest.mark.heavy
def test_every_operation_answers_as_its_schema_says(api_persona):
    # given the persona's token and every operation of the schema
    user, token, shard = api_persona
    schema, listed = _schema(user)
    failures, answered = [], []

    # when generated requests are sent to each (of this shard), inside savepoints rolled
    # back afterwards
    with connection_kept_open():
        for index, result in enumerate(schema.get_all_operations()):
            if index % SHARDS != shard:
                continue
            operation = result.ok()
            statuses: set[int] = set()
            answered.append((operation, statuses))
            try:
                _fuzz(operation, token, statuses)
            # Schemathesis reports its failures as a BaseExceptionGroup.
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label}\n{error}")

    # then no answer was a server error or broke the schema
    assert not failures, "\n\n".join(failures)
    # and every record the persona can list was also read through its detail routes
    unread = [
        operation.label
        for operation, statuses in answered
        if operation.method.upper() == "GET"
        and operation.label not in NEEDS_STATE
        and PATH_ID.search(operation.path)
        and operation.path[: PATH_ID.search(operation.path).start()] in listed
        and not any(200 <= status < 300 for status in statuses)
    ]
    assert not unread, unread


# --- the schema itself -----------------------------------------------------------------


def test_the_schema_generates_without_a_warning(tmp_path):
    # given drf-spectacular, failing on any warning (a component name used twice, an
    # enum named by a hash, a field it cannot type)
    # when the schema is generated and validated, then nothing is raised
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
    )
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")


def test_issues_and_payments_document_their_own_bodies():
    # given the schema
    raw = _raw_schema()

    def body(path, method="post"):
        content = raw["paths"][path][method]["requestBody"]["content"]
        return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]

    # then the issue log and the client payments name their own components, apart from
    # issuing an invoice and recording a payment against it
    assert body("/api/v1/issues/") == "IssueRequest"
    assert body("/api/v1/invoices/{id}/issue/") == "InvoiceIssueRequest"
    assert body("/api/v1/payments/") == "PaymentRequest"
    assert body("/api/v1/invoices/{id}/payments/") == "InvoicePaymentRequest"
    components = raw["components"]["schemas"]
    assert "severity" in components["IssueRequest"]["properties"]
    assert "contract" in components["PaymentRequest"]["properties"]
    assert "contract" in components["InvoicePayment"]["properties"]
    assert "invoice" not in components["PaymentRequest"]["properties"]


def test_nested_lists_are_documented_as_the_pages_they_answer():
    raw = _raw_schema()
    for path in ("/api/v1/invoices/{id}/payments/", "/api/v1/risks/{id}/assessments/"):
        get = raw["paths"][path]["get"]["responses"]["200"]
        post = raw["paths"][path]["post"]["responses"]
        ref = get["content"]["application/json"]["schema"]["$ref"]
        assert ref.rsplit("/", 1)[-1].startswith("Paginated"), path
        assert "201" in post, path
        assert "200" not in post, path


def test_every_operation_documents_its_errors():
    # given the schema
    raw = _raw_schema()
    responses = {
        (method.upper(), path): set(operation["responses"])
        for path, item in raw["paths"].items()
        for method, operation in item.items()
    }

    # then updates with a version document 400, 401, 403, 404 and 409, a list its 400
    # for a bad filter and 404 for a page past the end, and deletes 409
    assert {"400", "401", "403", "404", "409"} <= responses[
        ("PATCH", "/api/v1/tasks/{id}/")
    ]
    assert {"400", "401", "403", "404"} <= responses[("GET", "/api/v1/tasks/")]
    assert {"404", "409"} <= responses[("DELETE", "/api/v1/contracts/{id}/")]
    # and every operation documents at least one error, each with a JSON body
    for (method, path), codes in responses.items():
        assert any(code.startswith("4") for code in codes), (method, path)
    conflict = raw["paths"]["/api/v1/tasks/{id}/"]["patch"]["responses"]["409"]
    schema = conflict["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Conflict"}
    assert raw["components"]["schemas"]["Conflict"]["required"] == ["detail"]


@pytest.mark.django_db
def test_an_api_path_no_url_matches_answers_json_not_a_page(staff_api):
    # when an API path that matches no URL is requested (a negative id)
    response = staff_api.get("/api/v1/projects/-1/schedule/")

    # then the answer is the API's JSON 404, as documented, not the HTML error page
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    assert (
        staff_api.get("/projects/-1/").headers["Content-Type"].startswith("text/html")
    )
