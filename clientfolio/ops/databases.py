"""Consistent snapshots of the database while the application runs, and putting one back.

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one
  step inside one read transaction. In WAL mode (our settings) writers go on meanwhile;
  the copy is the database as of the moment the step began.
- PostgreSQL: a ``REPEATABLE READ`` transaction exports its snapshot and ``pg_dump
  --snapshot`` dumps exactly what that transaction sees (custom format). The row counts
  and applied migrations of the manifest are read in the same transaction, so they
  describe the dump and not the database a moment later. ``pg_restore`` puts it back in
  one transaction.

Each snapshot also gives its row count per table and applied migrations per app, read
from the snapshot itself, for the manifest.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

__all__ = [
    "Database",
    "DatabaseError",
    "PostgresDatabase",
    "Snapshot",
    "SqliteDatabase",
    "database_from_settings",
]


class DatabaseError(Exception):
    """A snapshot or restore could not be made; the message says why, for the operator."""


@dataclass
class Snapshot:
    """A database snapshot in a file, with what the manifest says about it."""

    path: Path
    member: str  # its name in the archive
    tables: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, list[str]] = field(default_factory=dict)
    server_version: str = ""


class Database(Protocol):
    vendor: str
    member: str

    def describe(self) -> str: ...

    def snapshot(self, directory: Path) -> Snapshot: ...

    def table_count(self) -> int: ...

    def row_counts(self) -> dict[str, int]: ...

    def check_snapshot(self, path: Path) -> list[str]: ...

    def snapshot_counts(self, path: Path) -> dict[str, int] | None: ...

    def restore(self, path: Path) -> None: ...


def _migrations(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = defaultdict(list)
    for app, name in rows:
        applied[app].append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        table: conn.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0]
        for table in _sqlite_tables(conn)
    }


def _sqlite_migrations(conn: sqlite3.Connection) -> dict[str, list[str]]:
    if "django_migrations" not in _sqlite_tables(conn):
        return {}
    return _migrations(
        conn.execute("SELECT app, name FROM django_migrations").fetchall()
    )


@dataclass
class SqliteDatabase:
    """The SQLite database file of a data folder."""

    path: Path
    vendor: str = "sqlite"
    member: str = "database/clientfolio.sqlite3"

    def describe(self) -> str:
        return f"SQLite {self.path}"

    def _connect_read_only(self, path: Path | None = None) -> sqlite3.Connection:
        name = str(path or self.path)
        if name.startswith("file:"):  # a URI already (the tests' in-memory database)
            return sqlite3.connect(name, uri=True, timeout=20)
        uri = Path(name).resolve().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=20)

    def _exists(self) -> bool:
        return str(self.path).startswith("file:") or self.path.exists()

    def snapshot(self, directory: Path) -> Snapshot:
        if not self._exists():
            raise DatabaseError(
                _("There is no database at %(path)s.") % {"path": self.path}
            )
        target = directory / "clientfolio.sqlite3"
        source = self._connect_read_only()
        copy = sqlite3.connect(target)
        try:
            # pages=-1: one step, one read transaction: a consistent copy, and writers
            # in WAL mode are not held up. (Several smaller steps would start over
            # whenever another connection writes, and never end under steady load.)
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in copy.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise DatabaseError(
                    _("The database is damaged: %(problems)s")
                    % {"problems": "; ".join(problems[:5])}
                )
            return Snapshot(
                path=target,
                member=self.member,
                tables=_sqlite_counts(copy),
                migrations=_sqlite_migrations(copy),
                server_version=sqlite3.sqlite_version,
            )
        finally:
            copy.close()
            source.close()

    def table_count(self) -> int:
        if not self._exists() or (self.path.exists() and self.path.stat().st_size == 0):
            return 0
        conn = self._connect_read_only()
        try:
            return len(_sqlite_tables(conn))
        finally:
            conn.close()

    def row_counts(self) -> dict[str, int]:
        conn = self._connect_read_only()
        try:
            return _sqlite_counts(conn)
        finally:
            conn.close()

    def check_snapshot(self, path: Path) -> list[str]:
        """``PRAGMA integrity_check`` of a snapshot: empty when it is sound."""
        try:
            conn = self._connect_read_only(path)
            try:
                rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            return [str(error)]
        return [] if rows == ["ok"] else rows

    def snapshot_counts(self, path: Path) -> dict[str, int] | None:
        conn = self._connect_read_only(path)
        try:
            return _sqlite_counts(conn)
        finally:
            conn.close()

    def restore(self, path: Path) -> None:
        """Put the snapshot in place (it is moved, not copied, when it can be): beside the
        database first, then renamed over it, so the database is either absent (or
        empty) or complete."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        partial = self.path.with_name(self.path.name + ".restoring")
        try:
            os.replace(path, partial)  # the snapshot is not needed any more
        except OSError:  # on another file system
            shutil.copyfile(path, partial)
        with open(partial, "rb") as copied:
            os.fsync(copied.fileno())
        os.replace(partial, self.path)


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_tool(name: str, server_major: int, configured: str = "") -> str:
    """The ``pg_dump`` or ``pg_restore`` of the server's major version, or a newer one
    (they read and write older servers, not newer ones): BACKUP_PG_BIN_DIR, then
    Debian's /usr/lib/postgresql/<major>/bin, then PATH, then any newer installed."""
    candidates = []
    if configured:
        candidates.append(Path(configured) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"))
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: (
            int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0
        ),
    )
    candidates += installed
    for candidate in candidates:
        if candidate.exists() and _tool_major(candidate) >= server_major:
            return str(candidate)
    raise DatabaseError(
        _(
            "No %(tool)s for PostgreSQL %(major)s or newer was found. Install the "
            "client tools (Debian: postgresql-client-%(major)s) or set "
            "BACKUP_PG_BIN_DIR to the folder that holds them."
        )
        % {"tool": name, "major": server_major}
    )


def _tool_major(path: Path) -> int:
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return 0
    # Debian's /usr/bin wrappers answer for the newest installed version.
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


@dataclass
class PostgresDatabase:
    """A PostgreSQL database, given as Django's settings of a connection."""

    settings: dict[str, Any]
    bin_dir: str = ""
    vendor: str = "postgresql"
    member: str = "database/clientfolio.pgdump"

    def describe(self) -> str:
        host = self.settings.get("HOST") or "localhost"
        port = self.settings.get("PORT") or 5432
        return f"PostgreSQL {self.settings['NAME']} on {host}:{port}"

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"dbname": self.settings["NAME"]}
        for key, name in (
            ("USER", "user"),
            ("PASSWORD", "password"),
            ("HOST", "host"),
            ("PORT", "port"),
        ):
            if self.settings.get(key):
                params[name] = str(self.settings[key])
        for key, value in (self.settings.get("OPTIONS") or {}).items():
            if key in {
                "sslmode",
                "sslrootcert",
                "sslcert",
                "sslkey",
                "application_name",
            }:
                params[key] = value
        return params

    def _env(self) -> dict[str, str]:
        """The connection for pg_dump and pg_restore, through libpq's variables: the
        password never appears on a command line."""
        names = {
            "dbname": "PGDATABASE",
            "user": "PGUSER",
            "password": "PGPASSWORD",
            "host": "PGHOST",
            "port": "PGPORT",
            "sslmode": "PGSSLMODE",
            "sslrootcert": "PGSSLROOTCERT",
            "sslcert": "PGSSLCERT",
            "sslkey": "PGSSLKEY",
            "application_name": "PGAPPNAME",
        }
        env = dict(os.environ)
        env.update({names[key]: str(value) for key, value in self._params().items()})
        return env

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(**self._params())
        except psycopg.Error as error:
            raise DatabaseError(str(error).strip()) from error

    def _major(self, conn: Any) -> int:
        return int(conn.info.server_version) // 10000

    def _tables(self, cursor: Any) -> list[str]:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename"
        )
        return [row[0] for row in cursor.fetchall()]

    def _counts(self, cursor: Any) -> dict[str, int]:
        counts = {}
        for table in self._tables(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts

    def _run(self, args: list[str]) -> None:
        result = subprocess.run(
            args, env=self._env(), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise DatabaseError(
                _("%(tool)s failed: %(error)s")
                % {"tool": Path(args[0]).name, "error": result.stderr.strip()[-2000:]}
            )

    def snapshot(self, directory: Path) -> Snapshot:
        target = directory / "clientfolio.pgdump"
        conn = self._connect()
        try:
            major = self._major(conn)
            pg_dump = _pg_tool("pg_dump", major, self.bin_dir)
            with conn.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                self._run(
                    [
                        pg_dump,
                        "--format=custom",
                        f"--snapshot={snapshot_id}",
                        "--no-owner",
                        "--no-privileges",
                        f"--file={target}",
                    ]
                )
                tables = self._counts(cursor)
                migrations: dict[str, list[str]] = {}
                if "django_migrations" in tables:
                    cursor.execute("SELECT app, name FROM django_migrations")
                    migrations = _migrations(cursor.fetchall())
                cursor.execute("COMMIT")
            return Snapshot(
                path=target,
                member=self.member,
                tables=tables,
                migrations=migrations,
                server_version=str(conn.info.server_version),
            )
        finally:
            conn.close()

    def table_count(self) -> int:
        conn = self._connect()
        try:
            with conn.cursor() as cursor:
                return len(self._tables(cursor))
        finally:
            conn.close()

    def row_counts(self) -> dict[str, int]:
        conn = self._connect()
        try:
            with conn.cursor() as cursor:
                return self._counts(cursor)
        finally:
            conn.close()

    def check_snapshot(self, path: Path) -> list[str]:
        """``pg_restore --list`` reads the whole table of contents of the dump."""
        pg_restore = _pg_tool("pg_restore", 0, self.bin_dir)
        result = subprocess.run(
            [pg_restore, "--list", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        return [] if result.returncode == 0 else [result.stderr.strip()[-2000:]]

    def snapshot_counts(self, path: Path) -> dict[str, int] | None:
        return None  # a dump's rows are only counted once restored

    def restore(self, path: Path) -> None:
        conn = self._connect()
        try:
            major = self._major(conn)
        finally:
            conn.close()
        pg_restore = _pg_tool("pg_restore", major, self.bin_dir)
        self._run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={self.settings['NAME']}",
                str(path),
            ]
        )


def database_from_settings(
    settings_dict: dict[str, Any], bin_dir: str = ""
) -> Database:
    """The database of a Django connection's settings."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return SqliteDatabase(Path(settings_dict["NAME"]))
    if engine == "django.db.backends.postgresql":
        return PostgresDatabase(settings_dict, bin_dir=bin_dir)
    raise DatabaseError(
        _("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": engine}
    )
