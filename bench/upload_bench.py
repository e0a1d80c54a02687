"""Benchmark of document files and document pages: ``.venv/bin/python bench/upload_bench.py``.

1. A 50 MB file (random bytes behind a PDF header) is uploaded through the API
   (``POST /api/v1/documents/``, multipart, token auth) and downloaded again
   (``GET /api/v1/document-versions/<id>/download/``) through a real HTTP server: gunicorn
   with one sync worker (``wsgiref`` from the standard library if gunicorn is missing),
   ``DEBUG`` off, a fresh SQLite database and media folder in a temporary data folder. The
   client streams both ways in 1 MB pieces and checks the SHA-256. Reported: the time of
   each transfer and the worker process's peak resident memory (``VmHWM`` in
   ``/proc/<pid>/status``) before the upload, after it and after the download; the
   difference shows whether the server ever held the file in memory (it should not:
   uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` go to a temporary file and are inspected
   in 64 KB chunks, downloads are a ``FileResponse`` served with ``wsgi.file_wrapper``).
2. ``documents.scale`` seeds 50,000 documents over 200 projects (10,000 in the first;
   every version points at one shared sample file) and the document list, a deep page, a
   folder, Chinese substring searches, the detail page and the API search are timed
   through Django's test client as the signed-in project manager (p50/p95 of
   ``--requests`` requests after 3 warm-ups).

Prints Markdown tables (lines starting with ``|``), like the other scripts in bench/.
Options: ``--size-mb N`` (default 50), ``--documents N`` (default 50,000),
``--requests N`` (default 30), ``--skip-transfer``, ``--skip-pages``.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1024 * 1024


def _setup(data_dir: Path) -> None:
    os.environ["CLIENTFOLIO_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clientfolio.settings"
    os.environ["DEBUG"] = "false"
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _people() -> tuple[Any, Any]:
    """The project manager and the first project."""
    from datetime import date

    from clientfolio.clients.models import Client
    from clientfolio.core.models import User
    from clientfolio.projects.models import Membership, Project

    user = User.objects.create_user("bench", password="bench-pw-2026", role="staff")
    client = Client.objects.create(name="基准测试客户", owner=user)
    project = Project.objects.create(
        code="BENCH-DOC-000",
        name="文档基准项目",
        client=client,
        manager=user,
        starts_on=date(2026, 1, 5),
    )
    Membership.objects.create(project=project, user=user, role="manager")
    return user, project


# --- 1. a large file through the HTTP stack ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not start on port {port}")


def _status(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of ``pid`` in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(value.split()[0])
    return values


def _worker_pid(master: int, server: str) -> int:
    """The process that serves requests: gunicorn's worker, or the server itself."""
    if server != "gunicorn":
        return master
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def _start_server(port: int, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if gunicorn.exists() or shutil.which("gunicorn"):
        command = [
            str(gunicorn if gunicorn.exists() else shutil.which("gunicorn")),
            "clientfolio.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ]
        server = "gunicorn"
    else:
        command = [
            sys.executable,
            "-c",
            "import sys; from wsgiref.simple_server import make_server; "
            "from clientfolio.wsgi import application; "
            "make_server('127.0.0.1', int(sys.argv[1]), application).serve_forever()",
            str(port),
        ]
        server = "wsgiref"
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    return process, server


def _make_file(path: Path, size: int) -> str:
    """A file of ``size`` bytes: a PDF header and random bytes; returns its SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        out.write(head)
        digest.update(head)
        left = size - len(head)
        while left > 0:
            block = os.urandom(min(CHUNK, left))
            out.write(block)
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def _upload(port: int, token: str, project_pk: int, path: Path) -> dict[str, Any]:
    """POST the file as multipart, streamed from disk in 1 MB pieces."""
    boundary = uuid.uuid4().hex
    name = "大文件基准.pdf"
    preamble = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="project"\r\n\r\n'
        f"{project_pk}\r\n"
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    epilogue = f"\r\n--{boundary}--\r\n".encode()
    length = len(preamble) + path.stat().st_size + len(epilogue)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.putrequest("POST", "/api/v1/documents/")
    connection.putheader("Authorization", f"Token {token}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    connection.send(preamble)
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            connection.send(block)
    connection.send(epilogue)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 201:
        raise RuntimeError(f"upload answered {response.status}: {body[:500]!r}")
    return dict(json.loads(body))


def _download(port: int, token: str, version_pk: int) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request(
        "GET",
        f"/api/v1/document-versions/{version_pk}/download/",
        headers={"Authorization": f"Token {token}"},
    )
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"download answered {response.status}")
    digest = hashlib.sha256()
    size = 0
    while block := response.read(CHUNK):
        digest.update(block)
        size += len(block)
    connection.close()
    return size, digest.hexdigest()


def run_transfer(
    data_dir: Path, size_mb: int
) -> list[tuple[str, float, float | None, str]]:
    from clientfolio.core.models import User
    from clientfolio.core.tokens import issue_token
    from clientfolio.projects.models import Project

    user = User.objects.get(username="bench")
    _token, token = issue_token(user, name="bench")
    project = Project.objects.get(code="BENCH-DOC-000")
    size = size_mb * 1024 * 1024
    source = data_dir / "upload-source.pdf"
    expected = _make_file(source, size)
    port = _free_port()
    env = {
        **os.environ,
        "CLIENTFOLIO_DATA_DIR": str(data_dir),
        "DEBUG": "false",
        "DOCUMENTS_MAX_BYTES": str(size + 1024 * 1024),
    }
    (data_dir / "static").mkdir(exist_ok=True)  # WhiteNoise warns without it
    process, server = _start_server(port, env)
    try:
        _wait_for(port)
        # One small request first, so the worker has loaded Django and the URLconf.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        warm.request(
            "GET",
            f"/api/v1/documents/?project={project.pk}",
            headers={"Authorization": f"Token {token}"},
        )
        warm.getresponse().read()
        warm.close()
        worker = _worker_pid(process.pid, server)
        before = _status(worker)
        started = time.perf_counter()
        document = _upload(port, token, project.pk, source)
        upload_s = time.perf_counter() - started
        after_upload = _status(worker)
        started = time.perf_counter()
        got_size, got_sha = _download(port, token, document["current_version"]["id"])
        download_s = time.perf_counter() - started
        after_download = _status(worker)
    finally:
        process.terminate()
        process.wait(timeout=30)
    if (got_size, got_sha) != (size, expected):
        raise RuntimeError("the downloaded file differs from the uploaded one")

    def peak(after: dict[str, int]) -> str:
        return (
            f"{server} worker peak RSS {before['VmHWM'] / 1024:.1f} → "
            f"{after['VmHWM'] / 1024:.1f} MiB "
            f"(+{(after['VmHWM'] - before['VmHWM']) / 1024:.1f})"
        )

    mb = size / 1e6
    return [
        (
            f"upload {size_mb} MiB through HTTP ({mb / upload_s:.0f} MB/s)",
            upload_s * 1000,
            None,
            peak(after_upload),
        ),
        (
            f"download {size_mb} MiB through HTTP ({mb / download_s:.0f} MB/s), "
            "SHA-256 checked",
            download_s * 1000,
            None,
            peak(after_download),
        ),
    ]


# --- 2. document pages over 50,000 documents ---------------------------------------------


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def run_pages(documents: int, requests: int) -> tuple[str, list[tuple[Any, ...]]]:
    from datetime import date

    from django.core.management import call_command
    from django.test import Client as TestClient
    from django.urls import reverse

    from clientfolio.core.models import User
    from clientfolio.documents import scale
    from clientfolio.documents.models import Document, Folder
    from clientfolio.projects.models import Membership, Project

    user = User.objects.get(username="bench")
    first = Project.objects.get(code="BENCH-DOC-000")
    client_record = first.client
    projects = [
        Project(
            code=f"BENCH-DOC-{n:03d}",
            name=f"文档基准项目{n}",
            client=client_record,
            manager=user,
            starts_on=date(2026, 1, 5),
        )
        for n in range(1, 200)
    ]
    Project.objects.bulk_create(projects)
    Membership.objects.bulk_create(
        [
            Membership(project=p, user=user, role="manager")
            for p in Project.objects.exclude(pk=first.pk)
        ]
    )
    started = time.perf_counter()
    counts = scale.seed(documents=documents, biggest=min(10_000, documents))
    seeded = (
        f"{counts.documents:,} documents over {counts.projects} projects "
        f"({counts.biggest:,} in the first) seeded in "
        f"{time.perf_counter() - started:.0f} s"
    )
    call_command("collectstatic", "--noinput", verbosity=0)

    browser = TestClient()
    browser.force_login(user)
    folder = (
        Folder.objects.filter(project=first, documents__isnull=False)
        .order_by("pk")
        .first()
    )
    assert folder is not None
    sample = Document.objects.filter(project=first).order_by("pk")[500]
    listing = reverse("documents:document_list", args=[first.pk])
    scenarios = [
        ("list, 10,000 documents, page 1", listing, 150),
        ("list, page 150 (deep)", f"{listing}?page=150", 150),
        ("list, one folder", f"{listing}?folder={folder.pk}", 150),
        ("search 审批流程 (many hits)", f"{listing}?q=审批流程", 150),
        ("search 表结构 (in notes)", f"{listing}?q=表结构", 150),
        ("search 不存在的文件 (no hit)", f"{listing}?q=不存在的文件", 150),
        (
            "detail",
            reverse("documents:document_detail", args=[first.pk, sample.pk]),
            100,
        ),
        ("API search over 50,000, q=验收报告", "/api/v1/documents/?q=验收报告", 150),
    ]
    rows = []
    for label, url, target in scenarios:
        for _ in range(3):
            assert browser.get(url).status_code == 200, url
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = browser.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        p50, p95 = _percentiles(samples)
        rows.append((label, p50, p95, f"≤ {target} ms"))
    return seeded, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip-transfer", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, float, float | None, str]] = []
    seeded = ""
    with tempfile.TemporaryDirectory(prefix="cf-upload-bench-") as tmp:
        data_dir = Path(tmp)
        _setup(data_dir)
        _people()
        if not args.skip_transfer:
            print(f"Uploading and downloading {args.size_mb} MiB …", file=sys.stderr)
            rows += run_transfer(data_dir, args.size_mb)
        if not args.skip_pages:
            print(f"Seeding {args.documents:,} documents …", file=sys.stderr)
            seeded, page_rows = run_pages(args.documents, args.requests)
            rows += page_rows
        from django.db import connection

        connection.close()
    # One table, as bench/run.py collects the lines that start with "|".
    print("| scenario | p50 ms | p95 ms | target or note |")
    print("| --- | --- | --- | --- |")
    for label, p50, p95, note in rows:
        late = p95 is not None and note.startswith("≤") and p95 > float(note.split()[1])
        p95_text = "—" if p95 is None else f"{p95:.1f}{' ✗' if late else ''}"
        print(f"| {label} | {p50:.1f} | {p95_text} | {note} |")
    if seeded:
        print(f"\n{seeded}.")


if __name__ == "__main__":
    main()
