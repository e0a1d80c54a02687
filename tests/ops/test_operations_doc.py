"""docs/operations.md is run line by line: every shell block marked for this test runs
in bash, as the operator would type it, with the
installed ``clientfolio`` command, against a running instance's data folder under a
temporary root instead of ``/srv/clientfolio``. Any command that fails fails the test.
The SQLite, Redis, Celery and S3 blocks run in the SQLite pass (on the servers
``.ci/run`` starts, ``tests/servers.py``), the PostgreSQL ones in CI's PostgreSQL pass.
Every other shell block must say which script of CI runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.ops.instance import all_files, populate, sqlite_instance
from tests.servers import new_bucket, redis_database_url, s3_environment

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
MARK = re.compile(
    r"<!-- run by tests/ops/test_operations_doc\.py \(([\w ]+)\) -->\n```sh\n(.*?)```",
    re.S,
)


RUNNERS = re.compile(
    r"<!-- run by (tests/ops/test_operations_doc\.py \([\w ]+\)|deploy/e2e\.sh|"
    r"deploy/upgrade-test\.sh|\.ci/run) -->\n```sh\n"
)


def blocks(kind: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [body for name, body in MARK.findall(text) if name.lower() == kind]


def test_every_shell_block_of_the_doc_is_run_by_ci():
    text = DOC.read_text(encoding="utf-8")
    marked = len(RUNNERS.findall(text))
    assert marked == text.count("```sh\n"), "a shell block says no CI script runs it"
    assert marked >= 15


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
        cwd=root,  # what the commands leave (Celery beat's schedule file) stays there
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


def _sqlite_pass_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("run in the SQLite pass (the servers are the same in both)")


def test_the_documented_redis_and_celery_steps_run_as_written(tmp_path):
    _sqlite_pass_only()
    redis_url = redis_database_url()
    sqlite_instance(tmp_path / "var")
    (redis,) = blocks("redis")
    (celery,) = blocks("celery")
    # The worker runs in the background here, as under systemd, until the block ends.
    celery = re.sub(
        r"^(clientfolio worker .*)$",
        r"\1 >worker.log 2>&1 & worker=$!; trap 'kill $worker' EXIT",
        celery,
        flags=re.M,
    )
    script = (redis + celery).replace("redis://127.0.0.1:6379/0", redis_url)
    script = script.replace("redis://127.0.0.1:6379/1", redis_url)
    env = {**_env(), "CLIENTFOLIO_DATA_DIR": str(tmp_path / "var")}
    result = run_blocks(script, tmp_path, env)
    assert '"cache": "ok"' in result.stdout
    assert '"workers": "ok"' in result.stdout


def test_the_documented_move_to_s3_runs_as_written(tmp_path):
    _sqlite_pass_only()
    import uuid

    source = sqlite_instance(tmp_path / "var")
    (tmp_path / "backups").mkdir()
    bucket = f"cf-doc-{uuid.uuid4().hex[:12]}"
    environment = s3_environment(bucket)
    new_bucket(environment)
    (script,) = blocks("s3")
    script = script.replace(
        "AWS_STORAGE_BUCKET_NAME=clientfolio-files", f"AWS_STORAGE_BUCKET_NAME={bucket}"
    ).replace("http://127.0.0.1:9000", environment["AWS_S3_ENDPOINT_URL"])
    result = run_blocks(script, tmp_path, _env())
    assert '"storage": "ok"' in result.stdout

    import boto3

    listed = boto3.client(
        "s3",
        endpoint_url=environment["AWS_S3_ENDPOINT_URL"],
        region_name=environment["AWS_S3_REGION_NAME"],
        aws_access_key_id="clientfolio",
        aws_secret_access_key="change-me",
    ).list_objects_v2(Bucket=bucket)
    keys = sorted(item["Key"] for item in listed.get("Contents", []))
    assert keys == sorted(f"clientfolio/{name}" for name in all_files(source.storage))


def test_the_documented_postgresql_setup_runs_as_written(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL setup runs in CI's PostgreSQL pass")
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432)
    (script,) = blocks("postgresql setup")
    script = script.replace(
        "postgres://clientfolio@127.0.0.1:5432/clientfolio",
        f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}",
    )
    env = {**_env(), "CLIENTFOLIO_DATA_DIR": str(tmp_path / "var")}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    result = run_blocks(script, tmp_path, env)
    assert '"database": "ok"' in result.stdout


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
