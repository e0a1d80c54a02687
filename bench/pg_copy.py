"""Copy the SQLite scale database into an empty PostgreSQL database, for the benchmarks
on PostgreSQL (``bench/search_bench.py --database-url``).

``.venv/bin/python bench/pg_copy.py SQLITE_FILE postgres://user@host:port/db``

Seeding the scale set again on PostgreSQL (``clientfolio seed-scale``) costs many CPU
minutes; copying the rows costs a few. The target is migrated first (so it has this
tree's schema and indexes, the pg_trgm ones included), then every table the two share
is copied with ``COPY`` (foreign-key triggers off for the session), booleans converted,
the sequences moved past the largest ids, and the tables analysed. The history tables
of django-simple-history are left empty (no benchmark reads them). Run it on an empty
database: the tables it copies are emptied first.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    source, url = Path(sys.argv[1]), sys.argv[2]
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "clientfolio.settings"
    os.environ.setdefault("CLIENTFOLIO_DATA_DIR", str(Path("/tmp/clientfolio-pgcopy")))
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    tables = [
        name
        for (name,) in lite.execute(
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'django_migrations'"
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
        columns: dict[str, dict[str, str]] = {}
        for table, column, kind in cursor.fetchall():
            columns.setdefault(table, {})[column] = kind
    raw = connection.connection  # psycopg 3
    copied = 0
    wanted = [t for t in tables if t in columns and "historical" not in t]
    with raw.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET TIME ZONE 'UTC'")
        # What the migrations put in (content types, permissions, default rows) comes
        # again from the source: empty those tables first, all at once.
        cursor.execute(
            "TRUNCATE "
            + ", ".join(f'"{t}"' for t in wanted)
            + " RESTART IDENTITY CASCADE"
        )
        for table in wanted:
            names = [row[1] for row in lite.execute(f'PRAGMA table_info("{table}")')]
            names = [n for n in names if n in columns[table]]
            booleans = {
                i for i, n in enumerate(names) if columns[table][n] == "boolean"
            }
            quoted = ", ".join(f'"{n}"' for n in names)
            rows = lite.execute(f'SELECT {quoted} FROM "{table}"')
            with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    if booleans:
                        row = tuple(
                            (None if v is None else bool(v)) if i in booleans else v
                            for i, v in enumerate(row)
                        )
                    copy.write_row(row)
                    copied += 1
        cursor.execute("SET session_replication_role = DEFAULT")
    raw.commit()
    from io import StringIO

    from django.apps import apps

    out = StringIO()
    call_command(
        "sqlsequencereset", *[a.label for a in apps.get_app_configs()], stdout=out
    )
    with connection.cursor() as cursor:
        cursor.execute(out.getvalue())
        cursor.execute("ANALYZE")
    print(
        f"copied {copied:,} rows of {len(tables)} tables in "
        f"{time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
