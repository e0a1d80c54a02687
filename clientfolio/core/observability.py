"""What the operator sees of a running Clientfolio: request ids in every log line,
optional JSON logs, and secrets kept out of logs and error pages.

- ``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes the id the proxy sent in
  ``X-Request-ID`` (nginx: ``proxy_set_header X-Request-ID $request_id``) or makes one,
  echoes it in the response's ``X-Request-ID`` and keeps it for the request's log lines.
- A background job's log lines carry its job id; the line that queues it carries both,
  so a request's jobs are found by its request id (``job_started`` and ``job_queued``,
  connected to django-tasks' signals in ``CoreConfig.ready``).
- ``ContextFilter`` puts both on every log record, ``JsonFormatter`` writes one JSON
  object a line (``LOG_FORMAT=json``), and ``RedactSecrets`` blanks the values of
  secret settings and passwords in URLs from every line.
- ``SecretsReporterFilter`` does the same for Django's error pages and error e-mails.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

__all__ = [
    "ContextFilter",
    "JsonFormatter",
    "RedactSecrets",
    "RequestIdMiddleware",
    "SecretsReporterFilter",
    "current_request_id",
    "job_finished",
    "job_queued",
    "job_started",
    "redact",
]

logger = logging.getLogger("clientfolio.jobs")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=""
)
job_id: contextvars.ContextVar[str] = contextvars.ContextVar("job_id", default="")

# What a proxy's id may look like: nginx's $request_id is 32 hex digits, others send
# UUIDs; anything else (too long, odd characters) is replaced, never logged as sent.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
HEADER = "X-Request-ID"


def current_request_id() -> str:
    return request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = sent if _VALID_ID.match(sent) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        return response


# --- jobs ---------------------------------------------------------------------------


def job_queued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """The line that ties a request (its id is on the record) to the job it queued."""
    logger.info("Job %s queued: %s", task_result.id, task_result.task.module_path)


def job_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    job_id.set(str(task_result.id))


def job_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from clientfolio.core import metrics

    metrics.job_finished(task_result.task.module_path, str(task_result.status))
    job_id.set("")


# --- log records ------------------------------------------------------------------


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``job_id`` ("-" outside a request or job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        record.job_id = job_id.get() or "-"
        return True


_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+@", re.I)
MASK = "********"


def _secret_values() -> list[str]:
    """The values of the settings that are secrets, longest first, so a value never
    leaks in part because a shorter one was masked inside it first."""
    from django.conf import settings

    values: list[str] = [
        str(getattr(settings, name, "") or "")
        for name in (
            "SECRET_KEY",
            "EMAIL_HOST_PASSWORD",
            "METRICS_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
        )
    ]
    values.extend(
        str(database.get("PASSWORD") or "")
        for database in getattr(settings, "DATABASES", {}).values()
    )
    values.extend(getattr(settings, "CLIENTFOLIO_EXTRA_SECRETS", ()))
    # Shorter than this would mask ordinary words (a database password of "x").
    return sorted({value for value in values if len(value) >= 6}, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """``text`` with the secret settings' values and the passwords in URLs masked."""
    for secret in _secret_values() if secrets is None else secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return _URL_PASSWORD.sub(rf"\g<head>{MASK}@", text)


class RedactSecrets(logging.Filter):
    """Masks secrets in the message, its arguments and its traceback, once, before any
    handler formats the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: leave it to the formatter to report
            return True
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, job_id and the
    traceback (``exc``), for a log shipper that reads JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "job_id": getattr(record, "job_id", "-"),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class SecretsReporterFilter(SafeExceptionReporterFilter):
    """Django's filter for error pages and error e-mails (DEBUG pages show settings and
    the request's environment), which also hides connection URLs with a password
    (``DATABASE_URL``, ``EMAIL_URL``, ``CELERY_BROKER_URL``) and the Sentry DSN."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DSN", flags=re.I
    )

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        if type(cleansed) is str:  # not a lazy object posing as one
            return redact(cleansed)
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        """Local variables, also those named like secrets or holding a secret's value
        (Django hides them only in views marked ``@sensitive_variables``)."""
        cleansed = []
        for name, value in super().get_traceback_frame_variables(request, tb_frame):
            if self.hidden_settings.search(str(name)):
                value = self.cleansed_substitute
            elif type(value) is str:
                value = redact(value)
            cleansed.append((name, value))
        return cleansed

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        return {
            key: redact(value) if type(value) is str else value
            for key, value in meta.items()
        }
