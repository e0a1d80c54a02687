"""Errors reach Sentry without secrets: the real SDK (the ``sentry`` extra) in a process
of its own, started with SENTRY_DSN pointing at a receiver on 127.0.0.1 that keeps what
it is sent."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from clientfolio.core.sentry import MASK, scrub

pytest.importorskip("sentry_sdk")

SECRET_KEY = "s" * 30 + "-sentry-test-key-" + "s" * 10
DB_PASSWORD = "pg-Secret-93kq"

PROGRAM = """
import django, sentry_sdk
django.setup()
from django.conf import settings
settings.DATABASES["default"]["PASSWORD"] = %(db_password)r

def connect(dsn, password, api_token):
    raise ConnectionError("could not reach " + dsn)

try:
    connect("postgres://cf:%(db_password)s@db/cf", %(db_password)r, "tok-" + "x" * 12)
except ConnectionError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(5)
"""


class Receiver(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Receiver.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_an_error_reaches_sentry_with_its_secrets_masked(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.received.clear()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "clientfolio.settings_test",
        "CLIENTFOLIO_DATA_DIR": str(tmp_path),
        "SECRET_KEY": SECRET_KEY,
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
    }
    try:
        result = subprocess.run(
            [sys.executable, "-c", PROGRAM % {"db_password": DB_PASSWORD}],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()

    assert result.returncode == 0, result.stderr
    sent = b"".join(Receiver.received).decode()
    assert "ConnectionError" in sent
    assert "could not reach postgres://cf:********@db/cf" in sent
    assert DB_PASSWORD not in sent
    assert SECRET_KEY not in sent
    assert "tok-xxxxxxxxxxxx" not in sent
    events = [
        json.loads(line)
        for line in sent.splitlines()
        if line.startswith("{") and '"exception"' in line
    ]
    frame = events[0]["exception"]["values"][0]["stacktrace"]["frames"][-1]
    assert frame["vars"]["password"] == MASK
    assert frame["vars"]["api_token"] == MASK
    assert events[0]["environment"] == "development"


def test_scrub_masks_headers_cookies_and_named_fields(settings):
    settings.SECRET_KEY = SECRET_KEY
    event = {
        "request": {
            "headers": {"Authorization": "Token abc", "User-Agent": "curl"},
            "cookies": {"sessionid": "x"},
            "data": {"password": "p", "name": f"key is {SECRET_KEY}"},
        },
        "extra": [f"redis://:{DB_PASSWORD}@r:6379/0", 3],
    }

    clean = scrub(event)

    assert clean["request"]["headers"] == {"Authorization": MASK, "User-Agent": "curl"}
    assert clean["request"]["cookies"] == MASK
    assert clean["request"]["data"] == {"password": MASK, "name": "key is ********"}
    assert clean["extra"] == ["redis://:********@r:6379/0", 3]
