"""The scale-out backend for real: jobs queued through Django's Tasks API travel over a
real Redis server to a real Celery worker (``clientfolio worker`` with
``JOBS_BACKEND=celery``), which runs them.

Redis comes from ``CLIENTFOLIO_TEST_REDIS_URL`` (``.ci/run`` starts one) or is started
here from ``redis-server`` on a free loopback port. Without either the tests are
skipped, except in CI, where they fail."""

import os
import shutil
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings
from django_tasks import task_backends

from clientfolio.core.jobs.celery_backend import CeleryBackend, app
from clientfolio.core.mail import send_email, send_later

CELERY_JOBS = {
    "default": {
        "BACKEND": "clientfolio.core.jobs.celery_backend.CeleryBackend",
        "QUEUES": ["default", "mail", "hooks"],
    }
}
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    url = os.environ.get("CLIENTFOLIO_TEST_REDIS_URL")
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the Celery tests: install redis-server")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(scope="module")
def celery_worker(redis_url, tmp_path_factory):
    """A real Celery worker process, consuming from the Redis server."""
    mail_dir = tmp_path_factory.mktemp("mail")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.celery_worker_settings",
        "JOBS_BACKEND": "celery",
        "CELERY_BROKER_URL": redis_url,
        "CLIENTFOLIO_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "CLIENTFOLIO_TEST_MAIL_DIR": str(mail_dir),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CLIENTFOLIO_TEST_CLOCK_SHIFT_DAYS", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "clientfolio", "worker", "--concurrency=1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    saved = app.conf.broker_url
    app.conf.broker_url = redis_url
    try:
        yield mail_dir
    finally:
        app.conf.broker_url = saved
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()


def _wait_for_files(folder: Path, count: int, seconds: float = 60) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.log"))
        if len(files) >= count:
            return files
        time.sleep(0.2)
    raise AssertionError(
        f"the worker sent {len(list(folder.glob('*.log')))} of {count} e-mails"
    )


@override_settings(TASKS=CELERY_JOBS)
def test_the_celery_backend_is_a_tasks_backend():
    assert isinstance(task_backends["default"], CeleryBackend)
    assert app.conf.beat_schedule["clientfolio-periodic-jobs"]["task"] == (
        "clientfolio.periodic_tick"
    )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=CELERY_JOBS)
def test_a_celery_worker_sends_the_mail_queued_through_the_tasks_api(celery_worker):
    result = send_email.enqueue(
        {"subject": "第一封", "body": "正文", "to": ["li.na@example.com"]}
    )
    assert result.backend == "default"
    send_later(EmailMessage("第二封", "正文", to=["wang@example.com"]))  # autocommit
    files = _wait_for_files(celery_worker, 2)
    received = [
        message_from_bytes(part.encode(), policy=policy.default)
        for path in files
        for part in path.read_text().split("-" * 79)
        if part.strip()
    ]
    assert sorted(str(m["Subject"]) for m in received) == ["第一封", "第二封"]
    assert sorted(str(m["To"]) for m in received) == [
        "li.na@example.com",
        "wang@example.com",
    ]
