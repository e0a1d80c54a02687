"""The checks of deploy/e2e.sh, run against nginx + gunicorn + the job worker it
started on loopback. Standard library and prometheus-client only; every check prints one line, the first
failure stops the run with exit status 1.

Reads: E2E_HTTPS (https://127.0.0.1:18443), E2E_HTTP (http://127.0.0.1:18080),
E2E_WORK (the run's folder: logs, mail, data), E2E_SECRET_KEY, E2E_METRICS_TOKEN.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

HTTPS = os.environ["E2E_HTTPS"].rstrip("/")
HTTP = os.environ["E2E_HTTP"].rstrip("/")
WORK = Path(os.environ["E2E_WORK"])
SECRET_KEY = os.environ["E2E_SECRET_KEY"]
METRICS_TOKEN = os.environ["E2E_METRICS_TOKEN"]
STAFF = ("li.na", "clientfolio-demo")
ADMIN = ("admin", "clientfolio-admin")
PORTAL_EMAIL = "wang.min@example.cn"
SPOOFED = "203.0.113.77"


class Failed(Exception):
    pass


def check(condition: object, what: str, detail: object = "") -> None:
    if not condition:
        raise Failed(f"{what}: {detail}" if detail != "" else what)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """Cookies, no redirects followed, the self-signed certificate of this run trusted."""

    def __init__(self, cafile: Path) -> None:
        self.cookies = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=str(cafile))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirect,
        )

    def request(self, method, url, *, data=None, headers=None) -> Response:
        request = urllib.request.Request(
            url, data=data, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:
            return Response(answer.code, answer.headers, answer.read())

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", HTTPS + path, **kwargs)

    def cookie(self, name):
        return next((c for c in self.cookies if c.name == name), None)

    def post_form(self, path, fields, *, headers=None) -> Response:
        token = self.cookie("csrftoken")
        check(token is not None, "a CSRF cookie before posting", path)
        body = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": token.value}
        ).encode()
        return self.request(
            "POST",
            HTTPS + path,
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": HTTPS + path,
                **(headers or {}),
            },
        )


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes):
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    quoted = urllib.parse.quote(filename)
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f"filename=\"upload.txt\"; filename*=UTF-8''{quoted}\r\n"
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def log_lines(name: str) -> str:
    path = WORK / name
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def wait_for(what: str, probe, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := probe():
            return result
        time.sleep(0.3)
    raise Failed(f"{what}: not within {seconds:.0f} s")


def main() -> int:
    steps = [
        http_redirects,
        health_answers,
        security_headers_survive_the_proxy,
        login_works_and_the_proxy_is_honoured,
        static_files_come_from_nginx,
        uploads_go_through_the_app,
        the_worker_sends_an_email,
        metrics_are_for_the_operator,
        no_secret_in_any_log,
    ]
    browser = Browser(WORK / "tls" / "cert.pem")
    for step in steps:
        started = time.monotonic()
        try:
            step(browser)
        except Failed as failure:
            print(f"FAIL {step.__name__}: {failure}")
            return 1
        print(f"ok   {step.__name__} ({time.monotonic() - started:.1f} s)")
    return 0


# --- the checks ----------------------------------------------------------------------


def http_redirects(browser: Browser) -> None:
    answer = browser.request("GET", HTTP + "/projects/?page=2")
    check(answer.status == 301, "HTTP answers 301", answer.status)
    check(
        answer.headers["Location"] == HTTPS + "/projects/?page=2",
        "to the same path over HTTPS",
        answer.headers["Location"],
    )


def health_answers(browser: Browser) -> None:
    answer = browser.get("/health/", headers={"X-Request-ID": "spoofed-by-client"})
    check(answer.status == 200, "/health/ answers 200", (answer.status, answer.text))
    check(
        json.loads(answer.body) == {"database": "ok", "storage": "ok"},
        "database and storage ok",
        answer.text,
    )
    rid = answer.headers.get("X-Request-ID", "")
    # nginx replaces whatever the client sent with its own $request_id.
    check(re.fullmatch(r"[0-9a-f]{32}", rid), "nginx's request id echoed", rid)


def security_headers_survive_the_proxy(browser: Browser) -> None:
    answer = browser.get("/login/")
    check(answer.status == 200, "the login page over HTTPS", answer.status)
    expected = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for header, value in expected.items():
        check(answer.headers.get(header) == value, header, answer.headers.get(header))
    csp = answer.headers.get("Content-Security-Policy", "")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
    ):
        check(directive in csp, f"CSP has {directive}", csp)
    check(
        answer.headers.get_all("Content-Security-Policy") == [csp],
        "one CSP header, the app's",
    )
    csrf = browser.cookie("csrftoken")
    check(csrf is not None and csrf.secure, "the CSRF cookie is Secure")


def login_works_and_the_proxy_is_honoured(browser: Browser) -> None:
    # A wrong password with a spoofed X-Forwarded-For: the log names the address nginx
    # saw (gunicorn listens on a unix socket, so there is no other address to take).
    wrong = browser.post_form(
        "/login/",
        {"username": STAFF[0], "password": "not-the-password"},
        headers={"X-Forwarded-For": SPOOFED},
    )
    check(wrong.status == 200, "a wrong password shows the form again", wrong.status)
    line = wait_for(
        "the refused login in the log",
        lambda: next(
            (
                line
                for line in log_lines("gunicorn.log").splitlines()
                if "Login refused for user name 'li.na'" in line
            ),
            None,
        ),
        10,
    )
    check("from 127.0.0.1" in line, "the client address from X-Forwarded-For", line)
    check(SPOOFED not in line, "not the address the client wrote", line)

    answer = browser.post_form("/login/", {"username": STAFF[0], "password": STAFF[1]})
    check(answer.status == 302, "the right password signs in", answer.status)
    session = browser.cookie("sessionid")
    check(session is not None, "a session cookie")
    check(session.secure, "the session cookie is Secure (request.is_secure())")
    check(session.has_nonstandard_attr("HttpOnly"), "the session cookie is HttpOnly")
    account = browser.get("/account/")
    check(account.status == 200, "a signed-in page", account.status)
    check(STAFF[0] in account.text, "it is li.na's")


def static_files_come_from_nginx(browser: Browser) -> None:
    page = Browser(WORK / "tls" / "cert.pem").get("/login/").text
    paths = re.findall(
        r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', page
    )
    check(paths, "the page names hashed static files", page[:300])
    path = paths[0]
    answer = browser.get(path, headers={"Accept-Encoding": "gzip"})
    check(answer.status == 200, f"{path} is served", answer.status)
    check(
        answer.headers.get("Cache-Control") == "public, max-age=31536000, immutable",
        "cached for a year",
        answer.headers.get("Cache-Control"),
    )
    check(
        answer.headers.get("Content-Encoding") == "gzip",
        "the pre-compressed copy",
        answer.headers.get("Content-Encoding"),
    )
    check(answer.headers.get("X-Content-Type-Options") == "nosniff", "nosniff")
    check(
        path not in log_lines("gunicorn.log"),
        "nginx served it: gunicorn never saw the request",
    )
    missing = browser.get("/static/no-such-file.css")
    check(missing.status == 404, "a missing static file is 404", missing.status)


def uploads_go_through_the_app(browser: Browser) -> None:
    api = Browser(WORK / "tls" / "cert.pem")
    issued = api.request(
        "POST",
        HTTPS + "/api/v1/auth/token/",
        data=json.dumps({"username": ADMIN[0], "password": ADMIN[1]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    check(issued.status == 200, "an API token", (issued.status, issued.text))
    auth = {"Authorization": f"Token {json.loads(issued.body)['token']}"}
    projects = json.loads(api.get("/api/v1/projects/", headers=auth).body)
    check(projects["results"], "the demo's projects")
    project = projects["results"][0]["id"]

    name = "验收清单 v1.txt"
    content = "交付物：接口文档、测试报告\n".encode() * 2000
    body, content_type = multipart({"project": str(project)}, "file", name, content)
    created = api.request(
        "POST",
        HTTPS + "/api/v1/documents/",
        data=body,
        headers={**auth, "Content-Type": content_type},
    )
    check(created.status == 201, "the upload is stored", (created.status, created.text))
    version = json.loads(created.body)["current_version"]["id"]

    download = api.get(f"/api/v1/document-versions/{version}/download/", headers=auth)
    check(download.status == 200, "the download", download.status)
    check(download.body == content, "the same bytes back")
    disposition = download.headers.get("Content-Disposition", "")
    check(
        disposition.startswith("attachment;")
        and "filename*=utf-8''" + urllib.parse.quote(name) in disposition,
        "Content-Disposition: attachment, with the UTF-8 name",
        disposition,
    )
    check(
        download.headers.get("Cache-Control") == "private, no-store",
        "never cached",
        download.headers.get("Cache-Control"),
    )
    stranger = Browser(WORK / "tls" / "cert.pem").get(
        f"/api/v1/document-versions/{version}/download/"
    )
    check(stranger.status == 401, "no download without credentials", stranger.status)
    stored = next((WORK / "data" / "media").rglob("*.txt"), None)
    check(stored is not None, "the file is in the data folder")
    relative = stored.relative_to(WORK / "data" / "media").as_posix()
    direct = browser.get("/media/" + urllib.parse.quote(relative))
    check(direct.status == 404, "never served from disk by nginx", direct.status)


def the_worker_sends_an_email(browser: Browser) -> None:
    visitor = Browser(WORK / "tls" / "cert.pem")
    visitor.get("/portal/sign-in/")
    answer = visitor.post_form("/portal/sign-in/", {"email": PORTAL_EMAIL})
    check(answer.status == 302, "the portal takes the address", answer.status)
    request_id = answer.headers["X-Request-ID"]
    mail_folder = WORK / "mail"

    def sent():
        for path in mail_folder.glob("*.log"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if PORTAL_EMAIL in text:
                return text
        return None

    text = wait_for("the sign-in e-mail, sent by the worker", sent, 30)
    check(
        HTTPS + "/portal/sign-in/" in text.replace("=\n", ""),
        "its link is https:// with the proxy's host (X-Forwarded-Proto honoured)",
    )
    # The request that queued the job logged its id; the worker's lines carry the job's.
    queued = [
        json.loads(line)
        for line in log_lines("gunicorn.log").splitlines()
        if line.startswith("{") and '"Job ' in line
    ]
    mine = [entry for entry in queued if entry["request_id"] == request_id]
    check(mine, "the web log ties the request id to the job", request_id)
    job = re.match(r"Job (\S+) queued", mine[0]["message"]).group(1)
    worker_lines = [
        json.loads(line)
        for line in log_lines("worker.log").splitlines()
        if line.startswith("{")
    ]
    check(
        any(entry["job_id"] == job for entry in worker_lines),
        "the worker's lines carry the job id",
        job,
    )


def metrics_are_for_the_operator(browser: Browser) -> None:
    anonymous = Browser(WORK / "tls" / "cert.pem").get("/metrics/")
    check(anonymous.status == 404, "no metrics for strangers", anonymous.status)
    wrong = Browser(WORK / "tls" / "cert.pem").get(
        "/metrics/", headers={"Authorization": "Bearer wrong"}
    )
    check(wrong.status == 404, "nor for a wrong token", wrong.status)
    staff = browser.get("/metrics/")
    check(staff.status == 404, "nor for staff", staff.status)

    def scraped():
        answer = Browser(WORK / "tls" / "cert.pem").get(
            "/metrics/", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        check(answer.status == 200, "the scraper's token", answer.status)
        text = answer.text
        # The worker's process counted the e-mail; the web's /metrics/ adds it in.
        return text if 'clientfolio_emails_total{outcome="sent"}' in text else None

    text = wait_for("the worker's e-mail in the metrics", scraped, 10)
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }

    def value(name: str, **labels: str) -> float | None:
        return samples.get((name, tuple(sorted(labels.items()))))

    expected = {
        "requests to the login page": value(
            "clientfolio_http_requests_total",
            view="core:login",
            method="GET",
            status="200",
        ),
        "the login page's latency": value(
            "clientfolio_http_request_duration_seconds_count", view="core:login"
        ),
        "the login page's queries": value(
            "clientfolio_db_queries_total", view="core:login"
        ),
        "the e-mail sent by the worker": value(
            "clientfolio_emails_total", outcome="sent"
        ),
        "the worker's finished job": value(
            "clientfolio_jobs_total", task="core.mail.send_email", status="SUCCESSFUL"
        ),
    }
    for what, number in expected.items():
        check(number is not None and number >= 1, f"the metrics count {what}", number)
    check(
        any(name == "clientfolio_job_queue_depth" for name, _ in samples)
        or "clientfolio_job_queue_depth" in text,
        "the job queue's depth",
    )


def no_secret_in_any_log(browser: Browser) -> None:
    logs = {
        name: log_lines(name)
        for name in (
            "gunicorn.log",
            "worker.log",
            "nginx/error.log",
            "nginx/access.log",
        )
    }
    for name in ("gunicorn.log", "worker.log", "nginx/access.log"):
        check(logs[name], f"{name} has lines")
    for name, text in logs.items():
        for secret in (SECRET_KEY, METRICS_TOKEN, ADMIN[1], STAFF[1]):
            check(secret not in text, f"no secret in {name}")


if __name__ == "__main__":
    sys.exit(main())
