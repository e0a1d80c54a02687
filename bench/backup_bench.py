"""Backup, verify and restore of the scale data set (SQLite), in process.

``.venv/bin/python bench/backup_bench.py [--database PATH] [--clients 100000]``

In a temporary data folder: the scale database of ``bench/run.py`` (its cache in
``bench/out/``, copied and migrated; ``--database`` copies a given seeded file), with the
shared sample file of the scale documents in the storage. Then ``ops.backups``: a backup
(zstd), the same encrypted, ``--verify`` of the first, and a restore into a second, empty
data folder, each timed once. Prints a JSON line and Markdown table rows (``bench/run.py``
keeps the lines that start with |).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402
from bench.reminder_bench import _database  # noqa: E402  (the same copy of the cache)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cf-backup-bench-") as tmp:
        data_dir = Path(tmp) / "var"
        data_dir.mkdir()
        bench_run._setup_django(data_dir)
        source = _database(data_dir, args.clients, args.database)

        from django.core.files.base import ContentFile
        from django.core.files.storage import FileSystemStorage, default_storage

        from clientfolio.documents.scale import SAMPLE_PDF, SHARED_FILE
        from clientfolio.ops.backups import (
            code_migrations,
            create_backup,
            restore_backup,
            verify_backup,
        )
        from clientfolio.ops.runs import configured_database

        if not default_storage.exists(SHARED_FILE):
            default_storage.save(SHARED_FILE, ContentFile(SAMPLE_PDF))
        database = configured_database()
        db_size = Path(database.path).stat().st_size  # type: ignore[attr-defined]
        figures: dict[str, float] = {}

        started = time.perf_counter()
        plain = create_backup(
            Path(tmp) / "backup.tar.zst",
            database=database,
            storage=default_storage,
            data_dir=data_dir,
        )
        figures["backup"] = time.perf_counter() - started
        started = time.perf_counter()
        encrypted = create_backup(
            Path(tmp) / "backup.tar.zst.enc",
            database=database,
            storage=default_storage,
            data_dir=data_dir,
            passphrase="bench passphrase",
        )
        figures["backup, encrypted"] = time.perf_counter() - started
        (Path(tmp) / "backup.tar.zst.enc").unlink()
        started = time.perf_counter()
        checked = verify_backup(Path(tmp) / "backup.tar.zst")
        figures["verify"] = time.perf_counter() - started
        assert not checked.problems, checked.problems
        target = Path(tmp) / "restored"
        target.mkdir()
        from clientfolio.ops.databases import SqliteDatabase

        started = time.perf_counter()
        restored = restore_backup(
            Path(tmp) / "backup.tar.zst",
            database=SqliteDatabase(target / "clientfolio.sqlite3"),
            storage=FileSystemStorage(location=target / "media"),
            data_dir=target,
            known_migrations=code_migrations(),
        )
        figures["restore (then every row counted, every file hashed)"] = (
            time.perf_counter() - started
        )
        result = {
            "source": source,
            "database_bytes": db_size,
            "archive_bytes": plain.size,
            "encrypted_bytes": encrypted.size,
            "rows": restored.rows,
            "tables": restored.tables,
            "seconds": {k: round(v, 1) for k, v in figures.items()},
            "load": os.getloadavg()[0],
        }
        print(json.dumps(result))
        print("| step | seconds | size |")
        print("| --- | ---: | ---: |")
        sizes = {
            "backup": plain.size,
            "backup, encrypted": encrypted.size,
        }
        for step, seconds in figures.items():
            size = sizes.get(step)
            shown = f"{size / 1e6:,.1f} MB" if size else ""
            print(f"| {step} | {seconds:.1f} | {shown} |")
        print(
            f"| database | | {db_size / 1e6:,.1f} MB, {restored.rows:,} rows "
            f"in {restored.tables} tables |"
        )


if __name__ == "__main__":
    main()
