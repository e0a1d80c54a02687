"""Compare a SQLite database before and after an upgrade's ``migrate``: every row of
every table the old release had must still be there with the same values in the old
columns (new tables, columns and rows are allowed). Used by deploy/upgrade-test.sh.

    upgrade_check.py snapshot DB FILE.json   # with the old release's schema
    upgrade_check.py compare DB FILE.json    # after the new release's migrate
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

# Tables or columns a release removes on purpose, as "table" or "table.column", with
# the reason; anything else that disappears fails the upgrade.
ALLOWED_LOSSES: dict[str, str] = {}


def _tables(db: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def _row_digests(db: sqlite3.Connection, table: str, columns: list[str]) -> list[str]:
    selected = ", ".join(f'"{column}"' for column in columns)
    digests = []
    for row in db.execute(f'SELECT {selected} FROM "{table}"'):
        text = json.dumps(row, default=lambda value: value.hex(), ensure_ascii=False)
        digests.append(hashlib.sha256(text.encode()).hexdigest()[:20])
    return sorted(digests)


def snapshot(path: str) -> dict:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = {}
    for table in _tables(db):
        columns = _columns(db, table)
        tables[table] = {"columns": columns, "rows": _row_digests(db, table, columns)}
    return tables


def compare(path: str, before: dict) -> list[str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    now = set(_tables(db))
    problems = []
    for table, old in before.items():
        if table not in now:
            if table not in ALLOWED_LOSSES:
                problems.append(f"table {table} ({len(old['rows'])} rows) is gone")
            continue
        columns = _columns(db, table)
        kept = []
        for column in old["columns"]:
            if column in columns:
                kept.append(column)
            elif f"{table}.{column}" not in ALLOWED_LOSSES:
                problems.append(f"column {table}.{column} is gone")
        if kept != old["columns"]:
            continue  # the rows cannot be compared column for column
        rows = _row_digests(db, table, kept)
        missing = _missing(old["rows"], rows)
        if missing:
            problems.append(
                f"{table}: {missing} of {len(old['rows'])} rows lost or changed "
                f"({len(rows)} rows now)"
            )
    return problems


def _missing(old: list[str], new: list[str]) -> int:
    remaining: dict[str, int] = {}
    for digest in new:
        remaining[digest] = remaining.get(digest, 0) + 1
    missing = 0
    for digest in old:
        if remaining.get(digest, 0):
            remaining[digest] -= 1
        else:
            missing += 1
    return missing


def main(argv: list[str]) -> int:
    command, database, file = argv
    if command == "snapshot":
        tables = snapshot(database)
        Path(file).write_text(json.dumps(tables))
        rows = sum(len(table["rows"]) for table in tables.values())
        print(f"snapshot: {len(tables)} tables, {rows} rows")
        return 0
    before = json.loads(Path(file).read_text())
    problems = compare(database, before)
    for problem in problems:
        print(f"LOST {problem}")
    after = snapshot(database)
    rows_before = sum(len(table["rows"]) for table in before.values())
    rows_after = sum(len(table["rows"]) for table in after.values())
    print(
        f"compare: {len(before)} tables and {rows_before} rows before, "
        f"{len(after)} tables and {rows_after} rows after; "
        f"{'nothing lost' if not problems else f'{len(problems)} problems'}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
