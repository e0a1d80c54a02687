"""deploy/upgrade_check.py, which CI's upgrade test (deploy/upgrade-test.sh) trusts to
find a row, a column or a table lost by a release's migrations."""

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "upgrade_check",
    Path(__file__).resolve().parents[2] / "deploy" / "upgrade_check.py",
)
upgrade_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(upgrade_check)


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "db.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE client (id INTEGER PRIMARY KEY, name TEXT, logo BLOB)")
    db.executemany(
        "INSERT INTO client VALUES (?, ?, ?)",
        [(1, "北京星河", b"\x89PNG"), (2, "杭州湖畔", None), (3, "杭州湖畔", None)],
    )
    db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    db.commit()
    before = tmp_path / "before.json"
    assert upgrade_check.main(["snapshot", str(path), str(before)]) == 0
    return db, path, json.loads(before.read_text())


def test_new_tables_columns_and_rows_are_no_loss(database):
    db, path, before = database
    db.execute("ALTER TABLE client ADD COLUMN tier TEXT DEFAULT 'B'")
    db.execute("INSERT INTO client (id, name) VALUES (4, '深圳')")
    db.execute("CREATE TABLE backup (id INTEGER PRIMARY KEY)")
    db.commit()

    assert upgrade_check.compare(str(path), before) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("DELETE FROM client WHERE id = 3", "client: 1 of 3 rows lost or changed"),
        ("UPDATE client SET name = '北京' WHERE id = 1", "client: 1 of 3 rows lost"),
        ("UPDATE client SET logo = x'00' WHERE id = 1", "client: 1 of 3 rows lost"),
        ("ALTER TABLE client DROP COLUMN logo", "column client.logo is gone"),
        ("DROP TABLE note", "table note (0 rows) is gone"),
    ],
)
def test_a_lost_row_column_or_table_fails(database, change, problem):
    db, path, before = database
    db.execute(change)
    db.commit()

    problems = upgrade_check.compare(str(path), before)

    assert len(problems) == 1
    assert problems[0].startswith(problem)
