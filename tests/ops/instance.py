"""A small running instance of Clientfolio for the backup tests: records made with the
factories (committed), uploaded files in its own data folder, and on SQLite its own
database file in WAL mode (a copy of the test database, with every migration recorded
as applied, as ``clientfolio migrate`` would leave it).

Also what the tests compare with: every row of every table, every file's bytes."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from clientfolio.ops.backups import code_migrations
from clientfolio.ops.databases import Database, PostgresDatabase, SqliteDatabase
from tests.clients.factories import ClientFactory, ContactFactory
from tests.documents.factories import PNG, DocumentFactory, upload
from tests.projects.factories import ProjectFactory


@dataclass
class Instance:
    """A data folder and the database it runs on."""

    root: Path
    database: Database
    storage: FileSystemStorage
    connect: Any  # () -> a DB-API connection to the database
    placeholder: str = "?"
    template_client: int = 0
    template_contact: int = 0
    writes: list[int] = field(default_factory=list)


def populate(root: Path) -> tuple[int, int]:
    """Committed records with files in ``root/media``; returns a client's and a
    contact's id (templates for the writer)."""
    with override_settings(MEDIA_ROOT=str(root / "media")):
        client = ClientFactory(name="琥珀科技")
        contact = ContactFactory(client=client, name="王芳")
        ContactFactory(client=client, name="李雷", is_primary=False)
        project = ProjectFactory(client=client, name="ERP 实施")
        DocumentFactory(project=project, file=upload("需求规格说明书.pdf"))
        DocumentFactory(
            project=project, file=upload("现场照片.png", PNG, content_type="image/png")
        )
    (root / "secret_key").write_text("the instance's own secret key")
    return client.pk, contact.pk


def sqlite_instance(root: Path) -> Instance:
    """The test database's committed rows copied into ``root/clientfolio.sqlite3``."""
    client, contact = populate(root)
    path = root / "clientfolio.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute(
        "CREATE TABLE IF NOT EXISTS django_migrations (id integer NOT NULL PRIMARY "
        "KEY AUTOINCREMENT, app varchar(255) NOT NULL, name varchar(255) NOT NULL, "
        "applied datetime NOT NULL)"
    )
    copy.execute("DELETE FROM django_migrations")
    copy.executemany(
        "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)",
        [(app, name, timezone.now().isoformat()) for app, name in code_migrations()],
    )
    copy.commit()
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    return Instance(
        root=root,
        database=SqliteDatabase(path),
        storage=FileSystemStorage(location=root / "media"),
        connect=lambda: sqlite3.connect(path, timeout=20),
        template_client=client,
        template_contact=contact,
    )


def postgres_instance(root: Path) -> Instance:
    """The test database itself (PostgreSQL), with files in ``root/media``."""
    import psycopg

    client, contact = populate(root)
    database = PostgresDatabase(dict(connection.settings_dict))
    return Instance(
        root=root,
        database=database,
        storage=FileSystemStorage(location=root / "media"),
        connect=lambda: psycopg.connect(**database._params()),
        placeholder="%s",
        template_client=client,
        template_contact=contact,
    )


# --- the write load ------------------------------------------------------------------


def _columns(cursor: Any, table: str) -> list[str]:
    cursor.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
    return [column[0] for column in cursor.description]


def _copy_row(
    cursor: Any, ph: str, table: str, template: int, overrides: dict[str, Any]
) -> int:
    """Insert a copy of row ``template`` of ``table`` with ``overrides``; its new id."""
    columns = [c for c in _columns(cursor, table) if c != "id"]
    values = [ph if c in overrides else f'"{c}"' for c in columns]
    params = [overrides[c] for c in columns if c in overrides]
    cursor.execute(
        f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
        f'SELECT {", ".join(values)} FROM "{table}" WHERE id = {ph} RETURNING id',
        [*params, template],
    )
    return cursor.fetchone()[0]


class Writer(threading.Thread):
    """Writes while a backup runs, as users of the application would: in each
    transaction a client, its contact and (first, as uploads are) a file."""

    def __init__(self, instance: Instance) -> None:
        super().__init__(daemon=True)
        self.instance = instance
        self.stop = threading.Event()
        self.commits = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._write()
        except BaseException as error:  # reported by the test
            self.error = error

    def _write(self) -> None:
        instance, ph = self.instance, self.instance.placeholder
        conn = instance.connect()
        try:
            while not self.stop.is_set():
                n = self.commits
                instance.storage.save(f"load/{n}.txt", _content(f"upload {n}"))
                cursor = conn.cursor()
                client = _copy_row(
                    cursor,
                    ph,
                    "clients_client",
                    instance.template_client,
                    {"name": f"并发客户 {n}", "search_text": f"load {n}"},
                )
                _copy_row(
                    cursor,
                    ph,
                    "clients_contact",
                    instance.template_contact,
                    {"client_id": client, "name": f"联系人 {n}", "is_primary": False},
                )
                conn.commit()
                self.commits += 1
        finally:
            conn.close()


def _content(text: str) -> Any:
    from django.core.files.base import ContentFile

    return ContentFile(text.encode())


# --- comparing ---------------------------------------------------------------------


def all_rows(connect: Any, tables: list[str]) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    conn = connect()
    try:
        cursor = conn.cursor()
        rows = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
        return rows
    finally:
        conn.close()


def all_files(storage: FileSystemStorage) -> dict[str, bytes]:
    from clientfolio.ops.archive import walk_storage

    files = {}
    for name in walk_storage(storage):
        with storage.open(name, "rb") as handle:
            files[name] = handle.read()
    return files
