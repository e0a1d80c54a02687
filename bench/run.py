"""Clientfolio benchmarks: ``make bench`` (or ``.venv/bin/python bench/run.py``).

Builds a fresh SQLite database in a temporary data folder, loads the scale data set
(``clientfolio seed-scale``; the seeded file is cached under ``bench/out/`` so reruns skip
seeding), then times pages and API calls through Django's test client as a signed-in staff
user with ``DEBUG`` off, and the import of a 100,000-row CSV into an empty database.
Prints a Markdown table and writes it, with the machine's details, to ``docs/benchmarks.md``.

Options: ``--requests N`` (timed requests per scenario, default 50), ``--clients N`` (scale
size, default 100,000), ``--reseed`` (ignore the cached database), ``--skip-import``,
``--no-write`` (do not touch docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
SEED = 20260101
# Fixed, so the cached database and the figures do not drift with the calendar.
TODAY = date(2026, 6, 30)

INTRO = """# Benchmarks

Performance is measured with benchmarks, never with timed tests (DESIGN.md, *Quality bars*).

Run them with `make bench` (it runs `.venv/bin/python bench/run.py`). The script creates a fresh
SQLite database in a temporary data folder, migrates it and loads the scale data set of
`clientfolio seed-scale` (100,000 clients, 300,000 contacts, about 50,000 contracts with
payments). The seeded database is cached in `bench/out/` (git-ignored; delete it or pass
`--reseed` to rebuild it), so a rerun takes a couple of minutes instead of several. Each scenario is
requested 50 times (after 3 warm-up requests) through Django's test client by a signed-in staff
user with `DEBUG` off: the full middleware stack, sessions and templates, but no HTTP server.
The import is timed in a separate process against an empty database: `exchange.parse_file`
(read and validate) then `exchange.import_clients` (write, with history rows).

Targets (DESIGN.md, single user on the 2-core machine): list and search pages p95 ≤ 150 ms,
detail pages p95 ≤ 100 ms; import of 100,000 rows ≤ 60 s.

What keeps the figures where they are: every client-list index includes `archived_at` (every
list filters on it); `(archived_at, name_sort, id, search_text)` covers the default order, deep
pages and the search scan, so counting and paging a search read that index rather than the wide
rows; on SQLite the search uses `instr()`, which is exact because both sides are lower-case and
is about 40 % cheaper than `LIKE '%…%'`. A search is still a scan, done twice (count, then page),
roughly 40 ms each at 100,000 clients; a phone-digit search with one hit is the worst case and
the first scenario to suffer when other processes share the two cores. Scale data has no
history rows (`seed-scale` uses `bulk_create`), so the detail page's history panel is empty.
"""


# --- set-up ----------------------------------------------------------------------------------


def _setup_django(data_dir: Path) -> None:
    os.environ["CLIENTFOLIO_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clientfolio.settings"
    os.environ["DEBUG"] = "false"
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _schema_key(clients: int) -> str:
    """Changes when migrations or the generator change, so a stale cache is not reused."""
    digest = hashlib.sha256()
    files = sorted((ROOT / "clientfolio").glob("*/migrations/*.py"))
    files += sorted((ROOT / "clientfolio").glob("*/scale.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"scale-{clients}-{SEED}-{digest.hexdigest()[:12]}"


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args, verbosity=0)


def prepare_database(data_dir: Path, clients: int, reseed: bool) -> tuple[str, float]:
    """A seeded database in ``data_dir``; returns (how it was made, seconds spent)."""
    from django.db import connection

    OUT.mkdir(parents=True, exist_ok=True)
    cached = OUT / f"{_schema_key(clients)}.sqlite3"
    target = data_dir / "clientfolio.sqlite3"
    started = time.perf_counter()
    if cached.exists() and not reseed:
        shutil.copyfile(cached, target)
        _call("migrate", "--noinput")
        return (
            f"copied from cache `bench/out/{cached.name}`",
            time.perf_counter() - started,
        )
    _call("migrate", "--noinput")
    from django.core.management import call_command

    print(f"Seeding {clients:,} clients (cached afterwards in bench/out/) …")
    call_command(
        "seed_scale",
        clients=clients,
        seed=SEED,
        today=TODAY,
        verbosity=1,
    )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for old in OUT.glob(f"scale-{clients}-*.sqlite3"):
        old.unlink()
    shutil.copyfile(target, cached)
    return f"seeded with `seed-scale` in {seconds:.0f} s", seconds


# --- timing requests -----------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def pick_chinese_query(wanted: int = 300) -> tuple[str, int]:
    """Two Chinese characters of a person's name that match about ``wanted`` current
    clients: estimated from the bigrams of a sample, then counted exactly."""
    from collections import Counter

    from clientfolio.clients.models import Client

    current = Client.objects.current()
    total = current.count()
    sample = list(current.order_by("pk").values_list("search_text", flat=True)[:5000])
    frequency: Counter[str] = Counter()
    for text in sample:
        # Bigrams of people's names (contacts, individuals): what a user would type.
        names = [
            part
            for part in text.split(" | ")
            if 2 <= len(part) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in part)
        ]
        frequency.update(
            {name[i : i + 2] for name in names for i in range(len(name) - 1)}
        )
    scale = total / max(len(sample), 1)
    ranked = sorted(frequency, key=lambda b: (abs(frequency[b] * scale - wanted), b))
    best, best_count = "", -1
    for bigram in ranked[:20]:
        count = current.search(bigram).count()
        if best_count < 0 or abs(count - wanted) < abs(best_count - wanted):
            best, best_count = bigram, count
    return best, best_count


def pick_phone_digits(rng: random.Random) -> str:
    from clientfolio.clients.models import Contact

    phones = list(
        Contact.objects.filter(phone__startswith="1", pk__lte=5000)
        .order_by("pk")
        .values_list("phone", flat=True)[:200]
    )
    digits = "".join(ch for ch in rng.choice(phones) if ch.isdigit())
    return digits[3:10]  # seven digits from the middle of a mobile number


def detail_clients() -> list[int]:
    """Clients with three contacts and at least two contracts, one with payments."""
    from django.db.models import Count

    from clientfolio.clients.models import Client

    ids = list(
        Client.objects.current()
        .annotate(
            n_contacts=Count("contacts", distinct=True),
            n_contracts=Count("contracts", distinct=True),
            n_payments=Count("contracts__payments", distinct=True),
        )
        .filter(n_contacts=3, n_contracts__gte=2, n_payments__gte=1, pk__lte=20000)
        .order_by("pk")
        .values_list("pk", flat=True)[:10]
    )
    if not ids:
        raise SystemExit("no client with contacts and contracts in the scale data")
    return ids


def time_requests(client, urls: list[str], n: int, warmup: int = 3) -> dict:
    from django.db import connection

    for i in range(warmup):
        response = client.get(urls[i % len(urls)])
        if response.status_code != 200:
            raise SystemExit(f"{urls[i % len(urls)]} answered {response.status_code}")
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(urls[0])
    samples = []
    for i in range(n):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        _ = response.content
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50": statistics.median(samples),
        "p95": _percentile(samples, 0.95),
        "max": max(samples),
        "queries": len(queries),
        "n": n,
    }


def run_requests(n: int) -> tuple[list[dict], dict]:
    from django.test import Client as TestClient

    from clientfolio.clients.models import Client, Contact
    from clientfolio.core.models import Role, User

    rng = random.Random(SEED)
    user, _ = User.objects.get_or_create(
        username="bench", defaults={"role": Role.STAFF, "first_name": "Bench"}
    )
    browser = TestClient()
    browser.force_login(user)
    chinese, chinese_count = pick_chinese_query()
    phone = pick_phone_digits(rng)
    phone_count = Client.objects.current().search(phone).count()
    details = detail_clients()
    facts = {
        "clients": Client.objects.count(),
        "contacts": Contact.objects.count(),
        "chinese": chinese,
        "chinese_count": chinese_count,
        "phone": phone,
        "phone_count": phone_count,
    }
    from clientfolio.clients.models import Contract, Payment

    facts["contracts"] = Contract.objects.count()
    facts["payments"] = Payment.objects.count()
    scenarios = [
        ("Client list, page 1", ["/clients/"], 150),
        ("List filtered + sorted", ["/clients/?status=active&sort=-updated"], 150),
        (
            f"Search, Chinese “{chinese}” ({chinese_count} hits)",
            [f"/clients/?q={chinese}"],
            150,
        ),
        (
            f"Search, phone digits “{phone}” ({phone_count} hit(s))",
            [f"/clients/?q={phone}"],
            150,
        ),
        ("Client list, page 1000", ["/clients/?page=1000"], 150),
        (
            "Client detail (3 contacts, contracts, payments)",
            [f"/clients/{pk}/" for pk in details],
            100,
        ),
        ("API list, 50 per page", ["/api/v1/clients/?page_size=50"], 150),
        (
            f"API search “{chinese}”, 50 per page",
            [f"/api/v1/clients/?q={chinese}&page_size=50"],
            150,
        ),
    ]
    results = []
    for label, urls, target in scenarios:
        print(f"  {label} …", flush=True)
        figures = time_requests(browser, urls, n)
        figures.update(label=label, url=urls[0], target=target)
        results.append(figures)
    project_results, project_facts = run_project_requests(n)
    facts.update(project_facts)
    return (
        results
        + project_results
        + run_risk_requests(n)
        + run_lesson_requests(n)
        + run_finance_billing_requests(n),
        facts,
    )


def run_project_requests(n: int) -> tuple[list[dict], dict]:
    """The project folder: overview, communication timeline and search, signed in as the
    manager of the busiest project (a tenth of all communication records)."""
    from django.db.models import Count
    from django.test import Client as TestClient

    from clientfolio.comms.models import CommRecord
    from clientfolio.projects.models import Project

    busiest = (
        Project.objects.annotate(records=Count("comm_records"))
        .order_by("-records")
        .select_related("manager", "client")
        .first()
    )
    if busiest is None:
        return [], {}
    typical = (
        Project.objects.exclude(pk=busiest.pk).filter(manager=busiest.manager).first()
    )
    browser = TestClient()
    browser.force_login(busiest.manager)
    facts = {
        "projects": Project.objects.count(),
        "comm_records": CommRecord.objects.count(),
        "busiest_records": busiest.records,
        "my_projects": Project.objects.filter(
            memberships__user=busiest.manager
        ).count(),
    }
    base = f"/projects/{busiest.pk}/"
    scenarios = [
        ("Project list (my projects)", ["/projects/"], 150),
        (
            f"Folder overview, busiest project ({busiest.records:,} records)",
            [base],
            150,
        ),
        ("Communication timeline, busiest project", [f"{base}communication/"], 150),
        (
            "Communication search “接口”, busiest project",
            [f"{base}communication/?q=接口"],
            300,
        ),
        (
            "Communication search “sign-off”, client timeline",
            [f"/clients/{busiest.client_id}/communication/?q=sign-off"],
            300,
        ),
    ]
    if typical is not None:
        scenarios.insert(
            2, ("Folder overview, typical project", [f"/projects/{typical.pk}/"], 150)
        )
    from clientfolio.schedule.models import Task

    task_count = Task.objects.filter(project=busiest).count()
    facts["tasks"] = Task.objects.count()
    facts["busiest_tasks"] = task_count
    if task_count:
        scenarios += [
            (
                f"Gantt data, busiest project ({task_count:,} tasks)",
                [f"{base}schedule/gantt/data/"],
                1000,
            ),
            (
                "API tasks, 100 per page, busiest project",
                [f"/api/v1/tasks/?project={busiest.pk}&page_size=100"],
                150,
            ),
        ]
    results = []
    for label, urls, target in scenarios:
        print(f"  {label} …", flush=True)
        figures = time_requests(browser, urls, n)
        figures.update(label=label, url=urls[0], target=target)
        results.append(figures)
    return results, facts


def run_lesson_requests(n: int) -> list[dict]:
    """Lessons learned search across projects (closure app), as an administrator (sees
    every lesson): Chinese substring, a tag filter, and the unfiltered first page."""
    from django.test import Client as TestClient

    from clientfolio.closure.models import Lesson
    from clientfolio.core.models import Role, User

    total = Lesson.objects.count()
    if not total:
        return []
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN}
    )
    browser = TestClient()
    browser.force_login(admin)
    hits = Lesson.objects.search("联调").count()
    scenarios = [
        (f"Lessons search, all ({total:,} lessons)", ["/lessons/"], 200),
        (f"Lessons search “联调” ({hits:,} hits)", ["/lessons/?q=联调"], 200),
        (
            "Lessons search “联调” + tag + kind",
            ["/lessons/?q=联调&tag=接口&kind=went_wrong"],
            200,
        ),
    ]
    results = []
    for label, urls, target in scenarios:
        print(f"  {label} …", flush=True)
        figures = time_requests(browser, urls, n)
        figures.update(label=label, url=urls[0], target=target)
        results.append(figures)
    return results


def run_finance_billing_requests(n: int) -> list[dict]:
    """The finance overview (budget, EVM, charts) and the invoice list of the project with
    the most time entries (finance/scale.py seeds 50,000 and 5,000 expenses), as an
    administrator."""
    from django.db.models import Count
    from django.test import Client as TestClient

    from clientfolio.core.models import Role, User
    from clientfolio.finance.models import Expense, TimeEntry

    busiest = (
        TimeEntry.objects.values("project_id")
        .annotate(n=Count("id"))
        .order_by("-n", "project_id")
        .first()
    )
    if busiest is None:
        return []
    project = busiest["project_id"]
    expenses = Expense.objects.filter(project_id=project).count()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN}
    )
    browser = TestClient()
    browser.force_login(admin)
    scenarios = [
        (
            f"Finance overview + EVM, one project ({busiest['n']:,} time entries, "
            f"{expenses:,} expenses)",
            [f"/projects/{project}/finance/"],
            300,
        ),
        ("Invoice list, same project", [f"/projects/{project}/finance/invoices/"], 150),
        ("Budget lines, same project", [f"/projects/{project}/finance/budget/"], 150),
        ("Expense list, same project", [f"/projects/{project}/finance/expenses/"], 150),
        ("Time entries, same project", [f"/projects/{project}/finance/time/"], 150),
    ]
    results = []
    for label, urls, target in scenarios:
        print(f"  {label} …", flush=True)
        figures = time_requests(browser, urls, n)
        figures.update(label=label, url=urls[0], target=target)
        results.append(figures)
    return results


def run_risk_requests(n: int) -> list[dict]:
    """The portfolio risk matrix over every project (as an administrator, who sees all of
    them), one of its cells, and the risk register of the project with the most risks."""
    from django.db.models import Count
    from django.test import Client as TestClient

    from clientfolio.core.models import Role, User
    from clientfolio.risks.models import Risk

    total = Risk.objects.count()
    if not total:
        return []
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN}
    )
    browser = TestClient()
    browser.force_login(admin)
    busiest = (
        Risk.objects.values("project_id")
        .annotate(n=Count("id"))
        .order_by("-n", "project_id")
        .first()
    )
    projects = Risk.objects.values("project_id").distinct().count()
    scenarios = [
        (
            f"Portfolio risk matrix ({projects:,} projects, {total:,} risks)",
            ["/risks/"],
            200,
        ),
        (
            "Portfolio risk matrix, one cell listed",
            ["/risks/?probability=3&impact=3"],
            200,
        ),
        (
            f"Risk register + matrix, one project ({busiest['n']} risks)",
            [f"/projects/{busiest['project_id']}/risks/"],
            150,
        ),
    ]
    results = []
    for label, urls, target in scenarios:
        print(f"  {label} …", flush=True)
        figures = time_requests(browser, urls, n)
        figures.update(label=label, url=urls[0], target=target)
        results.append(figures)
    return results


# --- import ----------------------------------------------------------------------------------


def write_import_csv(path: Path, clients: int, contacts_per_client: int) -> int:
    """A CSV of ``clients`` × ``contacts_per_client`` rows with the import's column keys."""
    from clientfolio.clients.exchange import COLUMNS
    from clientfolio.clients.scale import STAFF, TAGS, _Generator

    rng = random.Random(SEED + 1)
    generator = _Generator(rng, TODAY, 0)
    owners = [username for username, *_rest in STAFF]
    seen: set[str] = set()
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([key for key, _label, _n in COLUMNS])
        for index in range(clients):
            client, contacts, tags, _chinese = generator.client()
            name = client.name
            if name.lower() in seen:
                name = f"{name} ({index})"
            seen.add(name.lower())
            base = {
                "name": name,
                "kind": client.kind,
                "status": client.status,
                "industry": client.industry,
                "source": client.source,
                "owner": rng.choice(owners),
                "tier_override": client.tier_override,
                "website": client.website,
                "address": client.address,
                "tags": ", ".join(TAGS[t] for t in tags),
                "notes": client.notes,
            }
            for n, contact in enumerate(contacts[:contacts_per_client]):
                row = dict(
                    base,
                    contact_name=contact.name,
                    contact_title=contact.title,
                    contact_phone=contact.phone,
                    contact_email=contact.email,
                    contact_wechat=contact.wechat,
                    contact_primary="yes" if n == 0 else "no",
                )
                writer.writerow([row[key] for key, _label, _n in COLUMNS])
                rows += 1
    return rows


def import_child(data_dir: Path, csv_path: Path) -> None:
    """Runs in its own process: an empty database, then parse and import the CSV."""
    _setup_django(data_dir)
    from django.db import connection, transaction

    from clientfolio.clients import exchange, scale
    from clientfolio.clients.models import Client, Contact
    from clientfolio.core.models import User

    _call("migrate", "--noinput")
    scale._ensure_staff("!")
    user = User.objects.get(username="wang.fang")
    data = csv_path.read_bytes()
    started = time.perf_counter()
    report = exchange.parse_file(data, csv_path.name)
    parsed = time.perf_counter()
    if not report.ok:
        raise SystemExit(f"import report has errors: {report.errors[:5]}")
    with transaction.atomic():
        created = exchange.import_clients(report, user=user)
    finished = time.perf_counter()
    connection.close()
    print(
        json.dumps(
            {
                "rows": report.rows,
                "clients": created,
                "contacts": Contact.objects.count(),
                "client_rows": Client.objects.count(),
                "parse": parsed - started,
                "import": finished - parsed,
                "total": finished - started,
            }
        )
    )


def run_import(clients: int, contacts_per_client: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="cf-bench-import-") as tmp:
        csv_path = Path(tmp) / "clients.csv"
        rows = write_import_csv(csv_path, clients, contacts_per_client)
        size = csv_path.stat().st_size
        result = subprocess.run(
            [sys.executable, __file__, "--import-child", tmp, str(csv_path)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        figures.update(csv_rows=rows, csv_bytes=size)
        return figures


# --- report ----------------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import django

    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU model": cpu,
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "Django": django.get_version(),
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def render(results, facts, imported, info, setup, total_seconds) -> str:
    lines = [
        "| scenario | p50 ms | p95 ms | max ms | queries | target p95 | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ok = "✅" if r["p95"] <= r["target"] else "❌"
        lines.append(
            f"| {r['label']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} "
            f"| {r['queries']} | ≤ {r['target']} ms | {ok} |"
        )
    table = "\n".join(lines)
    if imported:
        ok = "✅" if imported["total"] <= 60 else "❌"
        import_table = (
            "| import | rows | clients | contacts | parse s | write s | total s | target | |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
            f"| CSV, {imported['csv_bytes'] / 1e6:.1f} MB | {imported['rows']:,} "
            f"| {imported['clients']:,} | {imported['contacts']:,} | {imported['parse']:.1f} "
            f"| {imported['import']:.1f} | {imported['total']:.1f} | ≤ 60 s | {ok} |"
        )
    else:
        import_table = "(import skipped)"
    machine = "\n".join(f"| {k} | {v} |" for k, v in info.items())
    return f"""## Results

Data: {facts["clients"]:,} clients, {facts["contacts"]:,} contacts, {facts["contracts"]:,} contracts,
{facts["payments"]:,} payments, {facts.get("projects", 0):,} projects and
{facts.get("comm_records", 0):,} communication records, {facts.get("tasks", 0):,} tasks (database {setup}). Each page scenario:
{results[0]["n"]} timed requests; *queries* is the number of SQL queries of one request
(sessions and user included). The client detail scenario cycles over ten clients with three
contacts, two or more contracts and payments. The project scenarios are requested by the
manager of the busiest project ({facts.get("busiest_records", 0):,} communication records), who
is on {facts.get("my_projects", 0):,} projects.

{table}

{import_table}

Whole run: {total_seconds:.0f} s.

| machine | |
| --- | --- |
{machine}
"""


def write_doc(results_md: str) -> None:
    intro = INTRO
    if DOC.exists():
        text = DOC.read_text()
        if "## Results" in text:
            intro = text.split("## Results", 1)[0].rstrip() + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(intro.rstrip() + "\n\n" + results_md)


def run_schedule_benchmarks() -> str:
    """The engine and Gantt benchmarks, each in its own process (they set up their own
    data); returns their tables as Markdown."""
    sections = []
    for title, script in [
        ("Scheduling engine and Monte Carlo forecast", "engine_bench.py"),
        ("Gantt chart: data on the server, first render in Chromium", "gantt_bench.py"),
        ("Document files through HTTP, document pages at 50,000", "upload_bench.py"),
        ("Background jobs: a burst of notification e-mails", "mail_burst_bench.py"),
        ("Reminder sweep over the scale data set, run twice", "reminder_bench.py"),
        (
            "Notification list of a user with 10,000 notifications",
            "notification_list_bench.py",
        ),
        ("Client portal of a client with 50 projects", "portal_bench.py"),
        ("My work, the project list and the portfolio", "dashboard_bench.py"),
        ("Progress report of the 10,000-task project", "report_bench.py"),
        ("One search over everything", "search_bench.py"),
        ("Folder overview and time list of the busiest project", "folder_bench.py"),
        ("Backup, verify and restore of the scale data set", "backup_bench.py"),
    ]:
        print(f"{title} …", flush=True)
        completed = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script)],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        table = [line for line in completed.stdout.splitlines() if line.startswith("|")]
        if completed.returncode != 0 or not table:
            table = [f"(failed: {completed.stderr.strip().splitlines()[-1:]})"]
        sections.append(f"### {title}\n\n" + "\n".join(table) + "\n")
    return "\n".join(sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--import-clients", type=int, default=50_000)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--import-child", nargs=2, metavar=("DATA_DIR", "CSV"))
    args = parser.parse_args()
    if args.import_child:
        import_child(Path(args.import_child[0]), Path(args.import_child[1]))
        return

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cf-bench-") as tmp:
        data_dir = Path(tmp)
        _setup_django(data_dir)
        setup, _seconds = prepare_database(data_dir, args.clients, args.reseed)
        print(f"Database {setup}.")
        _call("collectstatic", "--noinput")  # DEBUG off: templates need the manifest
        print(f"Timing {args.requests} requests per scenario …")
        results, facts = run_requests(args.requests)
        from django.db import connection

        connection.close()
    imported = None
    if not args.skip_import:
        print(
            f"Importing {args.import_clients * 2:,} CSV rows into an empty database …"
        )
        imported = run_import(args.import_clients, 2)
    schedule_md = run_schedule_benchmarks()
    results_md = render(
        results, facts, imported, machine_info(), setup, time.perf_counter() - started
    )
    results_md = results_md.replace("\nWhole run:", f"\n{schedule_md}\nWhole run:", 1)
    print()
    print(results_md)
    if not args.no_write:
        write_doc(results_md)
        print(f"Written to {DOC.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
