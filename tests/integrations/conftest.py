"""A real HTTP receiver on 127.0.0.1 that records what the integrations post to it,
and answers as the test tells it (a platform's success or its error)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from clientfolio.core import events


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    requests: list = field(default_factory=list)
    status: int = 200
    answer: bytes = b'{"errcode":0,"errmsg":"ok"}'
    headers: dict = field(default_factory=dict)

    def answer_with(self, status=200, body=b"", **headers):
        self.status = status
        self.answer = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.headers = headers

    @property
    def last(self) -> Received:
        return self.requests[-1]


@pytest.fixture
def receiver():
    """``receiver.url`` takes POSTs; ``receiver.requests`` holds them, newest last."""
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            parts = urlsplit(self.path)
            rec = state["receiver"]
            rec.requests.append(
                Received(
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
            self.send_response(rec.status)
            for name, value in rec.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(rec.answer)))
            self.end_headers()
            self.wfile.write(rec.answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(f"http://127.0.0.1:{server.server_port}/hook")
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state["receiver"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def local_allowed(settings):
    """Let the integrations reach the test receivers on 127.0.0.1."""
    settings.INTEGRATIONS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.SITE_URL = "https://pm.example.com"


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an event and deliver it at once, like a committed request."""

    def run(kind, target, **kwargs):
        kwargs.setdefault("data", {"title": str(target)})
        with django_capture_on_commit_callbacks(execute=True):
            return events.publish(kind, target, **kwargs)

    return run
