"""What the operator sees: request ids in the response and in every log line of the
request and of the jobs it runs, JSON logs, Prometheus metrics at /metrics/ for the
operator only, and no secret in a log line or an error page (the deployment as a whole:
deploy/e2e.sh)."""

import io
import json
import logging
import sys

import pytest
from django.core.mail import EmailMessage
from django.test import Client, RequestFactory, override_settings
from django.views.debug import technical_500_response
from prometheus_client import REGISTRY

from clientfolio.core import observability
from clientfolio.core.mail import send_later
from clientfolio.core.observability import (
    ContextFilter,
    JsonFormatter,
    RedactSecrets,
    redact,
)

pytestmark = pytest.mark.django_db

SECRET_KEY = "k" * 20 + "-the-secret-key-" + "k" * 20
DB_PASSWORD = "db-pass-Zq81xw"
MAIL_PASSWORD = "smtp-pass-Y7hbq2"
METRICS_TOKEN = "metrics-token-Pq93kz"
DSN_KEY = "public-dsn-key"


@pytest.fixture
def log():
    """The console handler as settings.LOGGING builds it, in JSON, into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactSecrets())
    handler.setFormatter(JsonFormatter())
    for name in ("clientfolio", "django.request"):
        logging.getLogger(name).addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for name in ("clientfolio", "django.request"):
        logging.getLogger(name).removeHandler(handler)


def test_a_request_gets_an_id_in_its_answer_and_its_log_lines(log):
    # when a wrong password is tried (which is logged)
    response = Client().post("/login/", {"username": "nobody", "password": "wrong"})

    # then the answer carries a fresh id, and so does the log line
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    refused = [entry for entry in log() if "Login refused" in entry["message"]]
    assert [entry["request_id"] for entry in refused] == [request_id]
    assert refused[0]["level"] == "WARNING"
    assert refused[0]["job_id"] == "-"


def test_the_proxys_request_id_is_kept_and_a_bad_one_replaced():
    kept = Client().get("/health/", headers={"X-Request-ID": "0f3a9c" * 5 + "ab"})
    odd = Client().get("/health/", headers={"X-Request-ID": "<script>"})

    assert kept["X-Request-ID"] == "0f3a9c" * 5 + "ab"
    assert odd["X-Request-ID"] != "<script>"
    assert len(odd["X-Request-ID"]) == 32


def test_a_job_queued_by_a_request_logs_both_ids(
    log, mailoutbox, django_capture_on_commit_callbacks
):
    # given a request's id, as the middleware sets it
    token = observability.request_id.set("req-0123456789")
    try:
        # when it queues an e-mail (run at once by the tests' job backend)
        with django_capture_on_commit_callbacks(execute=True):
            send_later(EmailMessage("周报", "正文", to=["li.na@example.com"]))
    finally:
        observability.request_id.reset(token)

    # then the queuing line names the job, and the job's own lines carry its id
    entries = log()
    queued = next(entry for entry in entries if entry["message"].startswith("Job "))
    job = queued["message"].split()[1]
    assert queued["request_id"] == "req-0123456789"
    assert "clientfolio.core.mail.send_email" in queued["message"]
    sent = next(entry for entry in entries if "sent to" in entry["message"])
    assert sent["job_id"] == job
    assert sent["request_id"] == "req-0123456789"
    assert len(mailoutbox) == 1


def test_plain_log_lines_name_both_ids():
    record = logging.LogRecord("clientfolio.x", logging.INFO, "", 0, "hello", (), None)
    ContextFilter().filter(record)
    from django.conf import settings

    line = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]).format(
        record
    )

    assert line.endswith("INFO clientfolio.x [- -]: hello")


# --- metrics -------------------------------------------------------------------------


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


@override_settings(METRICS_TOKEN=METRICS_TOKEN)
def test_metrics_count_requests_latency_and_queries(admin):
    # given the figures so far
    labels = {"view": "core:health", "method": "GET", "status": "200"}
    before = sample("clientfolio_http_requests_total", **labels)
    latency = sample(
        "clientfolio_http_request_duration_seconds_count", view="core:health"
    )
    queries = sample("clientfolio_db_queries_total", view="core:health")

    # when the health check is asked twice (one query each) and a path nobody has once
    Client().get("/health/")
    Client().get("/health/")
    Client().get("/no-such-page/")

    # then the scrape says so, by view
    scrape = Client().get(
        "/metrics/", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    assert scrape.status_code == 200
    assert scrape["Content-Type"].startswith("text/plain; version=")
    assert sample("clientfolio_http_requests_total", **labels) == before + 2
    assert (
        sample("clientfolio_http_request_duration_seconds_count", view="core:health")
        == latency + 2
    )
    assert sample("clientfolio_db_queries_total", view="core:health") == queries + 2
    text = scrape.content.decode()
    assert 'view="unmatched"' in text
    assert "clientfolio_db_queries_per_request_bucket" in text
    assert "process_cpu_seconds_total" in text


def test_metrics_count_emails_and_jobs(mailoutbox, django_capture_on_commit_callbacks):
    sent = sample("clientfolio_emails_total", outcome="sent")
    jobs = sample(
        "clientfolio_jobs_total", task="core.mail.send_email", status="SUCCESSFUL"
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_later(EmailMessage("周报", "正文", to=["li.na@example.com"]))

    assert sample("clientfolio_emails_total", outcome="sent") == sent + 1
    assert (
        sample(
            "clientfolio_jobs_total", task="core.mail.send_email", status="SUCCESSFUL"
        )
        == jobs + 1
    )


@override_settings(
    TASKS={
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "mail", "hooks"],
        }
    },
    JOBS_BACKEND="database",
    METRICS_TOKEN=METRICS_TOKEN,
)
def test_metrics_show_the_job_queue(admin, django_capture_on_commit_callbacks):
    # given two e-mails waiting for the worker
    with django_capture_on_commit_callbacks(execute=True):
        send_later(EmailMessage("一", "正文", to=["a@example.com"]))
        send_later(EmailMessage("二", "正文", to=["b@example.com"]))

    # when an administrator reads the metrics
    client = Client()
    client.force_login(admin)
    text = client.get("/metrics/").content.decode()

    # then the mail queue has two, the oldest waiting a moment
    assert 'clientfolio_job_queue_depth{queue="mail"} 2.0' in text
    assert 'clientfolio_job_queue_oldest_seconds{queue="mail"}' in text
    assert "clientfolio_jobs_failed_stored 0.0" in text


@override_settings(METRICS_TOKEN=METRICS_TOKEN)
@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer wrong-token", f"Token {METRICS_TOKEN}", f"Bearer {METRICS_TOKEN}x"],
)
def test_metrics_are_404_without_the_token(authorization):
    headers = {"Authorization": authorization} if authorization else {}

    assert Client().get("/metrics/", headers=headers).status_code == 404


@override_settings(METRICS_TOKEN="")
def test_no_token_configured_lets_no_scraper_in():
    assert (
        Client().get("/metrics/", headers={"Authorization": "Bearer "}).status_code
        == 404
    )


# --- secrets ---------------------------------------------------------------------------

SECRET_SETTINGS = {
    "SECRET_KEY": SECRET_KEY,
    "EMAIL_HOST_PASSWORD": MAIL_PASSWORD,
    "METRICS_TOKEN": METRICS_TOKEN,
}


def test_secrets_are_masked_in_log_lines_and_tracebacks(settings, log):
    for name, value in SECRET_SETTINGS.items():
        setattr(settings, name, value)
    settings.DATABASES["default"]["PASSWORD"] = DB_PASSWORD
    logger = logging.getLogger("clientfolio.test")

    try:
        raise ConnectionError(
            f"could not connect to postgres://cf:{DB_PASSWORD}@db:5432/cf"
        )
    except ConnectionError:
        logger.exception("Broker redis://:%s@redis:6379/0 refused", "hunter2-redis")
    logger.warning("key %s, token %s", SECRET_KEY, METRICS_TOKEN)
    logger.info("mail with %s", MAIL_PASSWORD)

    text = json.dumps(log(), ensure_ascii=False)
    for secret in (
        SECRET_KEY,
        DB_PASSWORD,
        MAIL_PASSWORD,
        METRICS_TOKEN,
        "hunter2-redis",
    ):
        assert secret not in text
    assert "redis://:********@redis:6379/0" in text
    assert "postgres://cf:********@db:5432/cf" in text


def test_redact_leaves_ordinary_text_alone():
    assert redact("https://pm.example.com/projects/3/", ["s3cr3t-value"]) == (
        "https://pm.example.com/projects/3/"
    )
    assert redact("smtp+tls://me%40x.cn:pw%21@smtp.x.cn:587", []) == (
        "smtp+tls://me%40x.cn:********@smtp.x.cn:587"
    )


def test_the_debug_error_page_shows_no_secret(settings):
    # given DEBUG on (never in production, but someone will), secrets in settings and in
    # the environment the server was started with
    for name, value in SECRET_SETTINGS.items():
        setattr(settings, name, value)
    settings.DATABASES["default"]["PASSWORD"] = DB_PASSWORD
    settings.CELERY_BROKER_URL = f"redis://:{DB_PASSWORD}x@redis:6379/1"
    settings.DEBUG = True
    request = RequestFactory().get(
        "/boom/",
        DATABASE_URL=f"postgres://cf:{DB_PASSWORD}@db/cf",
        EMAIL_URL=f"smtp://cf:{MAIL_PASSWORD}@smtp.example.com:587",
        SENTRY_DSN=f"https://{DSN_KEY}@o1.ingest.example.com/1",
        HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}",
    )

    # when a view fails with a secret in a local variable
    def view():
        password = DB_PASSWORD  # noqa: F841
        raise RuntimeError("boom")

    try:
        view()
    except RuntimeError:
        page = technical_500_response(request, *sys.exc_info()).content.decode()

    # then the page is there, with every secret masked
    assert "RuntimeError" in page
    for secret in (
        SECRET_KEY,
        DB_PASSWORD,
        MAIL_PASSWORD,
        METRICS_TOKEN,
        DSN_KEY,
    ):
        assert secret not in page, secret
    assert "********" in page


def test_the_production_error_page_shows_nothing_of_the_error(settings):
    settings.DEBUG = False
    from clientfolio.core.views import error_500

    page = error_500(RequestFactory().get("/boom/")).content.decode()

    assert "Traceback" not in page
    assert "RuntimeError" not in page
