"""A backup taken while users write restores, in another data folder (or database), to
exactly the snapshot: every row of every table and every file. On SQLite the instance
runs on its own database file in WAL mode; in CI's PostgreSQL pass on the test database,
dumped with pg_dump and restored with pg_restore into a database made for the test."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection

from clientfolio.ops.backups import code_migrations, create_backup, restore_backup
from clientfolio.ops.databases import PostgresDatabase, SqliteDatabase
from tests.ops.instance import (
    Writer,
    all_files,
    all_rows,
    postgres_instance,
    sqlite_instance,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The tables the writer adds to while the backup runs, and how its rows are named.
LOADED = {
    "clients_client": re.compile(r"^并发客户 (\d+)$"),
    "clients_contact": re.compile(r"^联系人 (\d+)$"),
}


def _wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the writer did not get going"
        time.sleep(0.01)


@contextmanager
def _empty_target(root: Path):
    """An empty database of the test's kind, and a connect() for it."""
    if connection.vendor == "sqlite":
        import sqlite3

        path = root / "clientfolio.sqlite3"
        yield SqliteDatabase(path), lambda: sqlite3.connect(path)
        return
    import psycopg

    source = PostgresDatabase(dict(connection.settings_dict))
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(**source._params(), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    target = PostgresDatabase({**connection.settings_dict, "NAME": name})
    try:
        yield target, lambda: psycopg.connect(**target._params())
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _load_index(table: str, row: tuple) -> int | None:
    for value in row:
        if isinstance(value, str) and (match := LOADED[table].match(value)):
            return int(match.group(1))
    return None


def assert_restored_exactly(source_rows, restored_rows, source_files, restored_files):
    """The restored instance is the source as of one moment: every table equal, except
    that of the rows written under load it has the first k (the snapshot's), each with
    its contact and its file. Any missing, extra or changed row or file fails."""
    assert restored_rows.keys() == source_rows.keys()
    clients = [
        _load_index("clients_client", row) for row in restored_rows["clients_client"]
    ]
    k = sum(index is not None for index in clients)
    for table, rows in source_rows.items():
        if table in LOADED:
            rows = [
                row
                for row in rows
                if (_load_index(table, row) or 0) < k or _load_index(table, row) is None
            ]
        assert restored_rows[table] == rows, f"table {table} differs"
    # Files: those written before their rows committed are all there, byte for byte;
    # later uploads (rows not in the snapshot) may be there too, as harmless orphans.
    for name, content in source_files.items():
        match = re.match(r"^load/(\d+)\.txt$", name)
        if match is None or int(match.group(1)) < k:
            assert restored_files.get(name) == content, f"file {name} differs"
    for name in restored_files:
        if not re.match(r"^load/\d+\.txt$", name):
            assert name in source_files, f"file {name} is not in the source"
    return k


def test_a_backup_under_write_load_restores_every_row_and_file(tmp_path):
    make = sqlite_instance if connection.vendor == "sqlite" else postgres_instance
    source = make(tmp_path / "source")
    writer = Writer(source)
    writer.start()
    try:
        _wait_for(lambda: writer.commits >= 3)
        before = writer.commits
        archive = tmp_path / "backup.tar.zst"
        result = create_backup(
            archive,
            database=source.database,
            storage=source.storage,
            data_dir=source.root,
        )
        done = writer.commits
        _wait_for(lambda: writer.commits >= done + 3)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None
    assert result.files >= 2 + before

    restored_root = tmp_path / "restored"
    restored_root.mkdir()
    storage = FileSystemStorage(location=restored_root / "media")
    with _empty_target(restored_root) as (target, connect):
        restored = restore_backup(
            archive,
            database=target,
            storage=storage,
            data_dir=restored_root,
            known_migrations=code_migrations(),
        )
        tables = sorted(restored.manifest["tables"])
        source_rows = all_rows(source.connect, tables)
        restored_rows = all_rows(connect, tables)
        source_files, restored_files = all_files(source.storage), all_files(storage)
        k = assert_restored_exactly(
            source_rows, restored_rows, source_files, restored_files
        )
        # The snapshot was taken while the writer wrote: some rows before, some after.
        assert before <= k < writer.commits
        assert (
            restored_root / "secret_key"
        ).read_text() == "the instance's own secret key"

        # One row or one file less is a difference the comparison does not let pass.
        table = "clients_contact"
        one_less = {**restored_rows, table: restored_rows[table][1:]}
        with pytest.raises(AssertionError):
            assert_restored_exactly(source_rows, one_less, source_files, restored_files)
        missing_file = dict(restored_files)
        missing_file.pop(next(n for n in missing_file if n.startswith("documents/")))
        with pytest.raises(AssertionError):
            assert_restored_exactly(
                source_rows, restored_rows, source_files, missing_file
            )
