"""Checking, encrypting and refusing archives, on a tiny SQLite instance of its own (no
test database needed): verify finds a changed archive, an encrypted one opens only with
its passphrase, and restore refuses a newer schema or a target that is not empty,
writing nothing."""

from __future__ import annotations

import io
import sqlite3
import tarfile
from pathlib import Path

import pytest
import zstandard
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command

from clientfolio.ops import crypto
from clientfolio.ops.backups import (
    Refused,
    WrongPassphrase,
    create_backup,
    restore_backup,
    verify_backup,
)
from clientfolio.ops.databases import SqliteDatabase

KNOWN = {("core", "0001_initial")}
PASSPHRASE = "山高月小 水落石出"


def tiny(root: Path, migrations=(("core", "0001_initial"),)):
    root.mkdir(parents=True, exist_ok=True)
    path = root / "clientfolio.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE django_migrations (app text, name text)")
    conn.executemany("INSERT INTO django_migrations VALUES (?, ?)", migrations)
    conn.execute("CREATE TABLE clients_client (id integer primary key, name text)")
    conn.executemany(
        "INSERT INTO clients_client (name) VALUES (?)",
        [(f"客户{i}",) for i in range(50)],
    )
    conn.commit()
    conn.close()
    storage = FileSystemStorage(location=root / "media")
    storage.save("documents/1/报价单.txt", ContentFile("原始内容 original".encode()))
    storage.save("documents/2/合同.txt", ContentFile(b"contract"))
    return SqliteDatabase(path), storage


@pytest.fixture(autouse=True)
def _fast_key_derivation(monkeypatch):
    monkeypatch.setattr(crypto, "LOG_N", 10)


@pytest.fixture
def archive(tmp_path):
    database, storage = tiny(tmp_path / "source")
    out = tmp_path / "backup.tar.zst"
    create_backup(out, database=database, storage=storage, data_dir=tmp_path / "source")
    return out


def _rewrite(archive: Path, change) -> None:
    """Decompress, pass each member's bytes through change(name, data), recompress."""
    raw = zstandard.ZstdDecompressor().stream_reader(open(archive, "rb")).read()
    source = tarfile.open(fileobj=io.BytesIO(raw))
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as target:
        for info in source:
            data = change(info.name, source.extractfile(info).read())
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    archive.write_bytes(zstandard.ZstdCompressor().compress(out.getvalue()))


def test_a_sound_archive_verifies(archive):
    result = verify_backup(archive)
    assert result.problems == []
    assert result.files == 2
    assert result.manifest["tables"] == {"clients_client": 50, "django_migrations": 1}
    assert result.manifest["migrations"] == {"core": ["0001_initial"]}


def test_verify_finds_a_file_changed_in_the_archive(archive):
    _rewrite(archive, lambda name, data: data.replace("原始".encode(), "篡改".encode()))
    problems = verify_backup(archive).problems
    assert problems == ["File documents/1/报价单.txt does not match its SHA-256."]


def test_verify_finds_a_changed_database_snapshot(archive):
    _rewrite(
        archive,
        lambda name, data: (
            data.replace("客户7".encode(), "客户X".encode())
            if name.startswith("database/")
            else data
        ),
    )
    assert (
        "The database snapshot does not match its SHA-256."
        in verify_backup(archive).problems
    )


def test_verify_finds_a_damaged_or_cut_archive(archive):
    blob = archive.read_bytes()
    archive.write_bytes(blob[: len(blob) // 2])
    assert verify_backup(archive).problems


def test_an_encrypted_archive_opens_only_with_its_passphrase(tmp_path):
    database, storage = tiny(tmp_path / "source")
    out = tmp_path / "backup.tar.zst.enc"
    create_backup(out, database=database, storage=storage, passphrase=PASSPHRASE)
    assert b"clients_client" not in out.read_bytes()
    assert verify_backup(out, passphrase=PASSPHRASE).problems == []
    with pytest.raises(WrongPassphrase, match="does not open"):
        verify_backup(out, passphrase="山高月小")
    with pytest.raises(WrongPassphrase, match="encrypted"):
        verify_backup(out)

    target = tmp_path / "restored"
    target_db = SqliteDatabase(target / "clientfolio.sqlite3")
    target_storage = FileSystemStorage(location=target / "media")
    restore_backup(
        out,
        database=target_db,
        storage=target_storage,
        passphrase=PASSPHRASE,
        known_migrations=KNOWN,
    )
    assert target_db.row_counts() == database.row_counts()
    assert (
        target_storage.open("documents/1/报价单.txt").read()
        == "原始内容 original".encode()
    )

    blob = bytearray(out.read_bytes())
    blob[len(blob) // 2] ^= 1
    out.write_bytes(bytes(blob))
    assert verify_backup(out, passphrase=PASSPHRASE).problems == [
        "The encrypted archive was changed or cut short."
    ]


def test_the_command_exits_4_on_a_wrong_passphrase(tmp_path):
    database, storage = tiny(tmp_path / "source")
    out = tmp_path / "backup.tar.zst.enc"
    create_backup(out, database=database, storage=storage, passphrase=PASSPHRASE)
    wrong = tmp_path / "wrong-passphrase"
    wrong.write_text("guess\n")
    with pytest.raises(CommandError) as refused:
        call_command("backup", str(out), verify=True, passphrase_file=str(wrong))
    assert refused.value.returncode == 4


def test_restore_refuses_an_archive_from_a_newer_schema(tmp_path):
    database, storage = tiny(
        tmp_path / "source",
        migrations=[("core", "0001_initial"), ("ops", "0099_from_the_future")],
    )
    out = tmp_path / "backup.tar.zst"
    create_backup(out, database=database, storage=storage)
    target = tmp_path / "restored"
    target_db = SqliteDatabase(target / "clientfolio.sqlite3")
    with pytest.raises(Refused, match=r"newer Clientfolio.*ops\.0099_from_the_future"):
        restore_backup(
            out,
            database=target_db,
            storage=FileSystemStorage(location=target / "media"),
            known_migrations=KNOWN,
        )
    assert not (target / "clientfolio.sqlite3").exists()
    assert not (target / "media").exists()


def test_restore_refuses_a_database_or_storage_that_is_not_empty(archive, tmp_path):
    database, storage = tiny(tmp_path / "busy")
    with pytest.raises(Refused, match="not empty"):
        restore_backup(
            archive, database=database, storage=storage, known_migrations=KNOWN
        )
    empty_db = SqliteDatabase(tmp_path / "new" / "clientfolio.sqlite3")
    with pytest.raises(Refused, match="already holds files"):
        restore_backup(
            archive, database=empty_db, storage=storage, known_migrations=KNOWN
        )
    assert database.row_counts()["clients_client"] == 50
    assert not empty_db.path.exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_refuses_to_restore_over_a_database_in_use(archive):
    """The running instance's database has tables (on PostgreSQL it is not even of the
    archive's kind): exit 3, nothing changed, and how to do it right."""
    with pytest.raises(CommandError, match="Nothing was changed") as refused:
        call_command("restore", str(archive))
    assert refused.value.returncode == 3


@pytest.mark.django_db(transaction=True)
def test_the_commands_speak_the_terminals_language(archive, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    with pytest.raises(CommandError, match="没有做任何改动") as refused:
        call_command("restore", str(archive))
    assert refused.value.returncode == 3
