"""Load under gunicorn on PostgreSQL, measured with wrk on loopback (issue 15).

``.venv/bin/python bench/load_bench.py [--seconds 20] [--concurrency 1,8,32] [--keep]``

Starts its own PostgreSQL server (Debian's, from /usr/lib/postgresql/*/bin) in a
temporary folder on a loopback port, migrates an empty database and loads a
Redmine-shaped data set (50 projects: one of 5,000 tasks, the others about 1,000, about
48,600 finish-to-start links; ``seed-scale`` plus ``schedule.scale.seed``), then serves
it with gunicorn (2 workers, ``deploy/gunicorn.conf.py`` when it exists, DEBUG off) and
runs ``wrk --latency`` for ``--seconds`` per cell at each concurrency against:

- the API task list of the big project, 100 per page;
- one task with its dependencies;
- the API project list, 25 per page;
- the main pages under load: My work, the project list, the folder overview of the big
  project and its Gantt data.

Requests carry an API token (API) or a session cookie (pages) of an administrator who
manages every project. Prints a Markdown table (requests/s, p50, p99, errors per cell)
and a JSON line. Every loop is bounded by wrk's duration; every server is stopped on exit.
Requires ``wrk`` and PostgreSQL (``apt-get install wrk postgresql``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, closing
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
TODAY = date(2026, 6, 30)
SEED = 20260115
# Redmine 5.0 on this kind of machine, same method (issue 15): requests/s at c=8.
REDMINE = {
    "task list (100)": "8–9.5",
    "task + dependencies": "49–57",
    "projects (25)": "69–99",
}


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql).")
    return found[-1].parent


def _as_pg(args: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *args] if os.getuid() == 0 else args


def start_postgres(stack: ExitStack) -> str:
    """A throw-away server; returns its DATABASE_URL."""
    bin_dir, folder, port = (
        _pg_bin(),
        Path(tempfile.mkdtemp(prefix="cf-load-pg-")),
        _free_port(),
    )
    os.chmod(folder, 0o777)
    data = folder / "data"
    subprocess.run(
        _as_pg(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "clientfolio",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(
        _as_pg(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    stack.callback(shutil.rmtree, folder, True)  # last: callbacks run in reverse
    stack.callback(
        lambda: subprocess.run(
            _as_pg([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            stdout=subprocess.DEVNULL,
            check=False,
        )
    )
    subprocess.run(
        [
            str(bin_dir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "clientfolio",
            "clientfolio",
        ],
        check=True,
    )
    return f"postgres://clientfolio@127.0.0.1:{port}/clientfolio"


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        CLIENTFOLIO_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="clientfolio.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="load-bench-" + "x" * 50,
        LOG_LEVEL="WARNING",
    )
    return env


SEED_SCRIPT = """
import json, sys
import django
django.setup()
from datetime import date
from django.core.management import call_command
from clientfolio.schedule import scale
from clientfolio.core.models import User
from clientfolio.core.tokens import issue_token
from clientfolio.projects.models import Membership, Project
from clientfolio.schedule.models import Task
from django.test import Client

today = date.fromisoformat(sys.argv[1])
call_command("migrate", "--noinput", verbosity=0)
call_command("collectstatic", "--noinput", verbosity=0)
call_command(
    "seed_scale", clients=1000, contacts_per_client=2, projects=50, comm_records=2000,
    tasks=0, risks=500, documents=0, seed=int(sys.argv[2]), today=today, verbosity=0,
)
counts = scale.seed(
    tasks=54_000, biggest=5_000, biggest_links=4_500, links_per_task=0.9,
    seed=int(sys.argv[2]), today=today,
)
admin = User.objects.create_user("load.admin", password="load-bench-pw", role="admin")
Project.objects.update(manager=admin)
Membership.objects.bulk_create(
    [Membership(project=p, user=admin, role="manager") for p in Project.objects.all()],
    ignore_conflicts=True,
)
_token, key = issue_token(admin, name="load", days=30)
http = Client()
http.force_login(admin)
big = Project.objects.order_by("id").first()
task = Task.objects.filter(project=big, is_summary=False, predecessor_links__isnull=False).order_by("id").first()
print(json.dumps({
    "token": key, "session": http.cookies["sessionid"].value, "project": big.pk,
    "task": task.pk, "tasks": counts.tasks, "links": counts.dependencies,
}))
"""


def seed(env: dict[str, str]) -> dict:
    started = time.perf_counter()
    out = subprocess.run(
        [str(VENV / "python"), "-c", SEED_SCRIPT, TODAY.isoformat(), str(SEED)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    facts["seed_seconds"] = round(time.perf_counter() - started)
    return facts


def start_gunicorn(stack: ExitStack, env: dict[str, str], port: int) -> None:
    args = [str(VENV / "gunicorn"), "clientfolio.wsgi"]
    config = ROOT / "deploy" / "gunicorn.conf.py"
    if config.exists():
        args += ["--config", str(config)]
    args += ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    log = open(Path(env["CLIENTFOLIO_DATA_DIR"]) / "gunicorn.log", "ab")  # noqa: SIM115
    stack.callback(log.close)
    process = subprocess.Popen(
        args, env=env, cwd=ROOT, start_new_session=True, stdout=log, stderr=log
    )
    stack.callback(lambda: (os.killpg(process.pid, signal.SIGTERM), process.wait(20)))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not start")


LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, header: str, connections: int, seconds: int) -> dict:
    threads = max(1, min(2, connections))
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            header,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    latency = {f"p{m[0]}": float(m[1]) * UNITS[m[2]] for m in LATENCY.findall(out)}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return {"rps": rate, "errors": errors, **latency}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--only", default="", help="Comma-separated scenario names.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk).")
    levels = [int(c) for c in args.concurrency.split(",")]
    with ExitStack() as stack:
        data_dir = Path(tempfile.mkdtemp(prefix="cf-load-data-"))
        stack.callback(shutil.rmtree, data_dir, True)
        env = _env(start_postgres(stack), data_dir)
        print("Seeding the Redmine-shaped data set …", flush=True)
        facts = seed(env)
        port = _free_port()
        start_gunicorn(stack, env, port)
        base = f"http://127.0.0.1:{port}"
        api = f"Authorization: Token {facts['token']}"
        page = f"Cookie: sessionid={facts['session']}"
        project, task = facts["project"], facts["task"]
        scenarios = [
            (
                "task list (100)",
                f"{base}/api/v1/tasks/?project={project}&page_size=100",
                api,
            ),
            ("task + dependencies", f"{base}/api/v1/tasks/{task}/", api),
            ("projects (25)", f"{base}/api/v1/projects/?page_size=25", api),
            ("My work", f"{base}/", page),
            ("project list", f"{base}/projects/", page),
            ("folder overview", f"{base}/projects/{project}/", page),
            (
                "Gantt data (big project)",
                f"{base}/projects/{project}/schedule/gantt/data/",
                page,
            ),
        ]
        wanted = {s.strip() for s in args.only.split(",") if s.strip()}
        rows = []
        for name, url, header in scenarios:
            if wanted and name not in wanted:
                continue
            # One request first: a scenario that does not answer 200 is a mistake in
            # the bench (a wrong URL once made the Gantt row a table of 404s).
            status = subprocess.run(
                [
                    "curl",
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-H",
                    header,
                    url,
                ],
                check=False,
                capture_output=True,
                text=True,
            ).stdout
            if status != "200":
                sys.exit(f"{name}: {url} answered {status}, not 200")
            cells = {c: wrk(url, header, c, args.seconds) for c in levels}
            if any(cell["errors"] for cell in cells.values()):
                log_text = (data_dir / "gunicorn.log").read_text(errors="replace")
                print(f"{name}: errors; the server's log ends with:")
                print("\n".join(log_text.splitlines()[-15:]))
            rows.append((name, cells))
            print(name, json.dumps(cells), flush=True)
    print()
    print(
        f"Seeded {facts['tasks']:,} tasks and {facts['links']:,} links in {facts['seed_seconds']} s; "
        f"{args.seconds} s per cell, gunicorn 2 workers, PostgreSQL, wrk on loopback."
    )
    header = (
        "| scenario | "
        + " | ".join(f"c={c}: req/s · p50 · p99 · errors" for c in levels)
        + " | Redmine c=8 req/s |"
    )
    print(header)
    print("|" + "---|" * (len(levels) + 2))
    for name, cells in rows:
        parts = [
            f"{cell['rps']:.0f} · {cell.get('p50', 0):.0f} ms · {cell.get('p99', 0):.0f} ms · {cell['errors']}"
            for cell in cells.values()
        ]
        print(f"| {name} | " + " | ".join(parts) + f" | {REDMINE.get(name, '—')} |")
    print(json.dumps({"facts": facts, "rows": dict(rows)}))


if __name__ == "__main__":
    main()
