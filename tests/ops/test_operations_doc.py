"""docs/operations.md, *Backup and restore*, is run line by line: every shell block
marked for this pass's database runs in bash, as the operator would type it, with the
installed ``clientfolio`` command, against a running instance's data folder under a
temporary root instead of ``/srv/clientfolio``. Any command that fails fails the test.
The SQLite blocks run in the SQLite pass, the PostgreSQL block in CI's PostgreSQL pass."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.ops.instance import all_files, populate, sqlite_instance

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
MARK = re.compile(
    r"<!-- run by tests/ops/test_operations_doc\.py \((\w+)\) -->\n```sh\n(.*?)```",
    re.S,
)


def blocks(vendor: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Backup and restore") :]
    section = section[: section.index("\n## ", 3)]
    return [body for kind, body in MARK.findall(section) if kind.lower() == vendor]


def run_blocks(
    script: str, root: Path, env: dict[str, str]
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [
            "bash",
            "-euxo",
            "pipefail",
            "-c",
            script.replace("/srv/clientfolio", str(root)),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CLIENTFOLIO_DATA_DIR"}
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["LANG"] = "en_US.UTF-8"
    env["JOBS_BACKEND"] = "immediate"
    return env


def test_the_documented_sqlite_backup_and_restore_run_as_written(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite blocks of the doc run in the SQLite pass")
    source = sqlite_instance(tmp_path / "var")
    (tmp_path / "backups").mkdir()
    scripts = blocks("sqlite")
    assert len(scripts) == 3
    run_blocks("\n".join(scripts), tmp_path, _env())

    restored = tmp_path / "restored"
    assert all_files(source.storage) == all_files(
        type(source.storage)(location=restored / "media")
    )
    assert (restored / "secret_key").read_text() == "the instance's own secret key"


def test_the_documented_postgresql_backup_and_restore_run_as_written(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the PostgreSQL block of the doc runs in CI's PostgreSQL pass "
            "(.ci/run, with DATABASE_URL set)"
        )
    import psycopg

    populate(tmp_path / "var")
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432)
    user, name = settings["USER"], settings["NAME"]
    restored_name = f"{name}_doc_restored"
    (script,) = blocks("postgresql")
    script = (
        script.replace(
            "postgres://clientfolio@127.0.0.1:5432/",
            f"postgres://{user}@{host}:{port}/",
        )
        .replace("/clientfolio_restored\n", f"/{restored_name}\n")
        .replace("/clientfolio\n", f"/{name}\n")
        .replace(
            "-h 127.0.0.1 -p 5432 -U clientfolio clientfolio_restored",
            f"-h {host} -p {port} -U {user} {restored_name}",
        )
    )
    env = _env()
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    admin = psycopg.connect(
        host=host,
        port=port,
        user=user,
        dbname=name,
        autocommit=True,
        password=settings.get("PASSWORD") or None,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
    try:
        run_blocks(script, tmp_path, env)
        with psycopg.connect(
            host=host,
            port=port,
            user=user,
            dbname=restored_name,
            password=settings.get("PASSWORD") or None,
        ) as restored:
            count = restored.execute("SELECT COUNT(*) FROM clients_client").fetchone()[
                0
            ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM clients_client")
            assert count == cursor.fetchone()[0] > 0
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
        admin.close()
