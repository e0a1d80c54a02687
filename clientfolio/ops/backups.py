"""Backup, verify and restore: what ``clientfolio backup`` / ``restore`` and the scheduled
backup job do (the archive's format is in ``ops.archive``).

Each function takes the database and the file storage it works on, so the commands
pass the configured ones and the tests their own data folders.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

import clientfolio
from clientfolio.ops import crypto
from clientfolio.ops.archive import (
    FILES_INDEX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_PREFIX,
    READ_SIZE,
    SECRET_KEY,
    ArchiveError,
    ArchiveReader,
    ArchiveWriter,
    copy_stream,
    walk_storage,
)
from clientfolio.ops.databases import (
    Database,
    DatabaseError,
    PostgresDatabase,
    SqliteDatabase,
)

__all__ = [
    "BackupFailure",
    "BackupResult",
    "Refused",
    "RestoreResult",
    "VerifyResult",
    "WrongPassphrase",
    "code_migrations",
    "create_backup",
    "restore_backup",
    "unknown_migrations",
    "verify_backup",
]

logger = logging.getLogger(__name__)
Say = Callable[[str], None]


class BackupFailure(Exception):
    """A backup, check or restore failed; ``exit_code`` is the command's status."""

    exit_code = 1


class Refused(BackupFailure):
    """Restoring was refused before anything was written (not empty, newer schema)."""

    exit_code = 3


class WrongPassphrase(BackupFailure):
    exit_code = 4


def _quiet(message: str) -> None:
    pass


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


@dataclass
class BackupResult:
    """What a backup wrote."""

    path: Path
    size: int
    sha256: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    encrypted: bool
    seconds: float


def create_backup(
    out: Path,
    *,
    database: Database,
    storage: Any,
    data_dir: Path | None = None,
    passphrase: str = "",
    compression: str = "zstd",
    say: Say = _quiet,
) -> BackupResult:
    """Write one archive to ``out`` (which must not exist): a consistent snapshot of
    ``database``, every file of ``storage`` and the data folder's ``secret_key``.

    The archive is written as ``out.part`` and renamed when complete, so ``out`` is
    never a partial archive. Raises ``BackupFailure`` (or ``DatabaseError``)."""
    started = time.monotonic()
    out = out.resolve()
    if out.exists():
        raise BackupFailure(
            _("%(path)s already exists; choose another file name.") % {"path": out}
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with tempfile.TemporaryDirectory(
        dir=out.parent, prefix=".clientfolio-backup-"
    ) as scratch:
        snapshot = database.snapshot(Path(scratch))
        say(
            _("Database: %(tables)s tables, %(rows)s rows, snapshot in %(seconds).1f s")
            % {
                "tables": len(snapshot.tables),
                "rows": f"{sum(snapshot.tables.values()):,}",
                "seconds": time.monotonic() - started,
            }
        )
        snapshot_size = snapshot.path.stat().st_size
        from clientfolio.ops.archive import sha256_file

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "app_version": clientfolio.__version__,
            "django_version": django.get_version(),
            "python_version": platform.python_version(),
            "database": {
                "vendor": database.vendor,
                "member": snapshot.member,
                "server_version": snapshot.server_version,
                "size": snapshot_size,
                "sha256": sha256_file(snapshot.path),
            },
            "migrations": snapshot.migrations,
            "tables": snapshot.tables,
            "files_index": FILES_INDEX,
            "storage": type(storage).__name__,
            "encrypted": bool(passphrase),
            "compression": compression,
        }
        secret = data_dir / "secret_key" if data_dir else None
        files: list[dict[str, Any]] = []
        try:
            with open(partial, "wb") as raw:
                writer = ArchiveWriter(
                    raw, compression=compression, passphrase=passphrase
                )
                writer.add_json(MANIFEST, manifest)
                with open(snapshot.path, "rb") as source:
                    writer.add_stream(snapshot.member, source, snapshot_size)
                if secret is not None and secret.exists():
                    writer.add_bytes(SECRET_KEY, secret.read_bytes())
                # Listed after the snapshot: every file its rows name exists by now.
                for name in walk_storage(storage):
                    try:
                        size = storage.size(name)
                        handle = storage.open(name, "rb")
                    except FileNotFoundError:
                        continue  # deleted since it was listed (a health check's file)
                    with handle:
                        digest = writer.add_stream(MEDIA_PREFIX + name, handle, size)
                    files.append({"name": name, "size": size, "sha256": digest})
                writer.add_json(
                    FILES_INDEX,
                    {
                        "files": files,
                        "count": len(files),
                        "bytes": sum(f["size"] for f in files),
                    },
                )
                writer.close()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    result = BackupResult(
        path=out,
        size=writer.size,
        sha256=writer.sha256,
        tables=len(snapshot.tables),
        rows=sum(snapshot.tables.values()),
        files=len(files),
        file_bytes=sum(f["size"] for f in files),
        encrypted=bool(passphrase),
        seconds=time.monotonic() - started,
    )
    say(
        _("Files: %(count)s (%(size)s)")
        % {"count": f"{result.files:,}", "size": _megabytes(result.file_bytes)}
    )
    logger.info(
        "Backup written to %s (%s bytes, %s files, %.1f s)",
        out,
        result.size,
        result.files,
        result.seconds,
    )
    return result


# --- reading -------------------------------------------------------------------------------


def _reader(path: Path, passphrase: str) -> ArchiveReader:
    return ArchiveReader(path=path, passphrase=passphrase)


def _open_manifest(reader: ArchiveReader, raw: Any) -> tuple[Any, Any]:
    try:
        return reader.open_manifest(raw)
    except crypto.WrongPassphraseError as error:
        if str(error) == "no passphrase":
            raise WrongPassphrase(
                _(
                    "This archive is encrypted: give its passphrase with "
                    "--passphrase-file FILE or the CLIENTFOLIO_BACKUP_PASSPHRASE "
                    "variable."
                )
            ) from error
        raise WrongPassphrase(
            _("The passphrase does not open this archive.")
        ) from error
    except crypto.DamagedError as error:
        raise BackupFailure(
            _("The encrypted archive was changed or cut short.")
        ) from error
    except ArchiveError as error:
        raise BackupFailure(str(error)) from error


def _checker(manifest: dict[str, Any], bin_dir: str = "") -> Database:
    vendor = (manifest.get("database") or {}).get("vendor")
    if vendor == "postgresql":
        return PostgresDatabase({}, bin_dir=bin_dir)
    return SqliteDatabase(Path("unused"))


@dataclass
class VerifyResult:
    """What checking an archive found; ``problems`` is empty when it is whole."""

    manifest: dict[str, Any]
    problems: list[str]
    files: int
    file_bytes: int
    encrypted: bool
    seconds: float


def _check_snapshot(
    checker: Database, path: Path, manifest: dict[str, Any]
) -> list[str]:
    problems = [
        _("The database snapshot is damaged: %(problem)s") % {"problem": problem}
        for problem in checker.check_snapshot(path)[:10]
    ]
    if not problems:
        counts = checker.snapshot_counts(path)
        if counts is not None and counts != manifest.get("tables"):
            problems.append(
                _("The database snapshot's row counts differ from the manifest.")
            )
    return problems


def verify_backup(
    path: Path, *, passphrase: str = "", bin_dir: str = "", say: Say = _quiet
) -> VerifyResult:
    """Read the whole archive without restoring it: every member against the
    manifest's sizes and SHA-256, and the database snapshot's own integrity check
    (``PRAGMA integrity_check``; ``pg_restore --list`` for PostgreSQL)."""
    started = time.monotonic()
    reader = _reader(path, passphrase)
    with open(path, "rb") as raw, tempfile.TemporaryDirectory() as scratch:
        try:
            tar, _stream = _open_manifest(reader, raw)
        except WrongPassphrase:
            raise
        except BackupFailure as error:
            return VerifyResult(
                manifest={},
                problems=[str(error)],
                files=0,
                file_bytes=0,
                encrypted=reader.encrypted,
                seconds=time.monotonic() - started,
            )
        manifest = reader.manifest
        snapshot_path = Path(scratch) / "snapshot"
        for member in reader.members(tar):
            if member.name == manifest["database"]["member"]:
                with open(snapshot_path, "wb") as copy:
                    copy_stream(member.stream, copy.write)
        if snapshot_path.exists() and not reader.problems:
            reader.problems += _check_snapshot(
                _checker(manifest, bin_dir), snapshot_path, manifest
            )
    return VerifyResult(
        manifest=manifest,
        problems=reader.problems,
        files=len(reader.files),
        file_bytes=sum(size for size, _digest in reader.files.values()),
        encrypted=reader.encrypted,
        seconds=time.monotonic() - started,
    )


# --- restoring -------------------------------------------------------------------------------


def code_migrations() -> set[tuple[str, str]]:
    """Every migration this code has: (app label, name)."""
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def unknown_migrations(
    applied: dict[str, list[str]], known: set[tuple[str, str]]
) -> list[str]:
    """The archive's applied migrations that this code does not have: the archive comes
    from a newer Clientfolio (or one with more apps)."""
    return sorted(
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if (app, name) not in known
    )


@dataclass
class RestoreResult:
    """What a restore put back."""

    manifest: dict[str, Any]
    tables: int
    rows: int
    files: int
    pending_migrations: int
    secret_key: bool
    seconds: float
    warnings: list[str] = field(default_factory=list)


def _storage_is_empty(storage: Any) -> bool:
    return next(walk_storage(storage), None) is None


def _hash_storage(storage: Any) -> dict[str, tuple[int, str]]:
    import hashlib

    found = {}
    for name in walk_storage(storage):
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as handle:
            while block := handle.read(READ_SIZE):
                digest.update(block)
                size += len(block)
        found[name] = (size, digest.hexdigest())
    return found


def _refuse_unless_empty(database: Database, storage: Any) -> None:
    tables = database.table_count()
    if tables:
        raise Refused(
            _(
                "%(database)s is not empty (%(tables)s tables). Restore only into an "
                "empty database: for SQLite point CLIENTFOLIO_DATA_DIR at a new, empty "
                "folder; for PostgreSQL create a new database (createdb) and point "
                "DATABASE_URL at it. Nothing was changed."
            )
            % {"database": database.describe(), "tables": tables}
        )
    if not _storage_is_empty(storage):
        raise Refused(
            _(
                "The file storage already holds files. Restore only into an empty "
                "data folder (or an empty bucket). Nothing was changed."
            )
        )


def restore_backup(
    path: Path,
    *,
    database: Database,
    storage: Any,
    data_dir: Path | None = None,
    passphrase: str = "",
    known_migrations: set[tuple[str, str]] | None = None,
    say: Say = _quiet,
) -> RestoreResult:
    """Restore an archive into an empty database and an empty file storage, then check
    that every table has the manifest's row count and every file its SHA-256.

    Refuses (``Refused``, nothing written) a database or storage that is not empty and
    an archive whose migrations this code does not know. A damaged archive is found
    before the database is written; the files written until then are removed."""
    started = time.monotonic()
    known = code_migrations() if known_migrations is None else known_migrations
    reader = _reader(path, passphrase)
    saved: list[str] = []
    with (
        open(path, "rb") as raw,
        tempfile.TemporaryDirectory(
            dir=data_dir, prefix=".clientfolio-restore-"
        ) as scratch,
    ):
        tar, _stream = _open_manifest(reader, raw)
        manifest = reader.manifest
        vendor = manifest["database"]["vendor"]
        if vendor != database.vendor:
            raise Refused(
                _(
                    "This backup is of a %(archive)s database, but the configured "
                    "database is %(target)s. Restore it with the same kind of "
                    "database. Nothing was changed."
                )
                % {"archive": vendor, "target": database.vendor}
            )
        newer = unknown_migrations(manifest.get("migrations") or {}, known)
        if newer:
            raise Refused(
                _(
                    "This backup was made by a newer Clientfolio (version %(version)s): "
                    "its database has migrations this version does not know "
                    "(%(migrations)s). Install that version or a later one and "
                    "restore again. Nothing was changed."
                )
                % {
                    "version": manifest.get("app_version", "?"),
                    "migrations": ", ".join(newer[:5])
                    + (" …" if len(newer) > 5 else ""),
                }
            )
        _refuse_unless_empty(database, storage)
        snapshot_path = Path(scratch) / "snapshot"
        secret: bytes | None = None
        try:
            for member in reader.members(tar):
                if member.name == manifest["database"]["member"]:
                    with open(snapshot_path, "wb") as copy:
                        copy_stream(member.stream, copy.write)
                elif member.name == SECRET_KEY:
                    secret = member.stream.read()
                else:
                    name = member.name.removeprefix(MEDIA_PREFIX)
                    with tempfile.SpooledTemporaryFile(8 << 20, dir=scratch) as spool:
                        copy_stream(member.stream, spool.write)
                        spool.seek(0)
                        stored = storage.save(name, File(spool, name=name))
                    saved.append(stored)
                    if stored != name:
                        reader.problems.append(
                            _("File %(name)s was stored as %(stored)s.")
                            % {"name": name, "stored": stored}
                        )
            if not reader.problems and snapshot_path.exists():
                reader.problems += (
                    _check_snapshot(_checker(manifest), snapshot_path, manifest)
                    if vendor == "sqlite"
                    else []
                )
            if reader.problems:
                raise BackupFailure(
                    _("The archive is damaged; nothing was restored.\n%(problems)s")
                    % {"problems": "\n".join(reader.problems[:20])}
                )
        except BaseException:
            for name in saved:
                storage.delete(name)
            raise
        say(
            _("Files: %(count)s written; restoring the database …")
            % {"count": f"{len(saved):,}"}
        )
        database.restore(snapshot_path)
    if secret is not None and data_dir is not None:
        key_path = data_dir / "secret_key"
        key_path.write_bytes(secret)
        key_path.chmod(0o600)
    problems = _compare_restored(database, storage, manifest, reader.index)
    if problems:
        raise BackupFailure(
            _("The restored data differs from the backup:\n%(problems)s")
            % {"problems": "\n".join(problems[:20])}
        )
    pending = {(app, name) for app, name in known} - {
        (app, name)
        for app, names in (manifest.get("migrations") or {}).items()
        for name in names
    }
    warnings = []
    if secret is None:
        warnings.append(
            _(
                "The archive holds no secret_key (the instance took SECRET_KEY from "
                "the environment): set the same SECRET_KEY here, or signed links and "
                "sessions stop working."
            )
        )
    return RestoreResult(
        manifest=manifest,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(saved),
        pending_migrations=len(pending) if manifest.get("migrations") else 0,
        secret_key=secret is not None,
        seconds=time.monotonic() - started,
        warnings=warnings,
    )


def _compare_restored(
    database: Database,
    storage: Any,
    manifest: dict[str, Any],
    index: dict[str, Any],
) -> list[str]:
    """How the restored database and files differ from the manifest (empty: not)."""
    problems = []
    try:
        counts = database.row_counts()
    except (DatabaseError, sqlite3.Error) as error:
        return [str(error)]
    expected = manifest["tables"]
    for table in sorted(expected.keys() | counts.keys()):
        if expected.get(table) != counts.get(table):
            problems.append(
                _("Table %(table)s: %(found)s rows, the backup has %(expected)s.")
                % {
                    "table": table,
                    "found": counts.get(table, "—"),
                    "expected": expected.get(table, "—"),
                }
            )
    wanted = {f["name"]: (f["size"], f["sha256"]) for f in index.get("files", [])}
    found = _hash_storage(storage)
    for name in sorted(wanted.keys() | found.keys()):
        if wanted.get(name) != found.get(name):
            problems.append(
                _("File %(name)s differs from the backup.") % {"name": name}
            )
    return problems


def manifest_summary(manifest: dict[str, Any]) -> str:
    """A one-line description of an archive's manifest for the command's output."""
    return json.dumps(
        {
            key: manifest.get(key)
            for key in ("created_at", "app_version", "django_version")
        },
        ensure_ascii=False,
    )
