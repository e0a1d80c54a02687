"""Backups with the uploaded files on S3-compatible storage (a real S3 server,
``tests/servers.py``): ``clientfolio backup`` reads every object through the storage
API into the archive, and ``clientfolio restore`` writes them into another, empty
bucket, where every file has its bytes and key and every row is back."""

import sqlite3

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils.module_loading import import_string

from clientfolio.ops.archive import walk_storage
from clientfolio.ops.backups import Refused, create_backup, restore_backup
from clientfolio.ops.databases import SqliteDatabase
from tests.ops.instance import all_files, all_rows, sqlite_instance
from tests.servers import new_bucket, s3_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def s3():
    yield from s3_site("cf-backup")


def _storage(s3, bucket: str):
    backend = s3["default"]
    return import_string(backend["BACKEND"])(
        **{**backend["OPTIONS"], "bucket_name": bucket}
    )


def test_a_backup_of_files_on_s3_restores_into_an_empty_bucket(tmp_path, s3, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the files take the same path on PostgreSQL (SQLite pass only)")
    settings.STORAGES = {**settings.STORAGES, "default": s3["default"]}
    (tmp_path / "var").mkdir()
    source = sqlite_instance(tmp_path / "var")  # its uploads go to the bucket
    objects = all_files(default_storage)
    assert len(objects) == 2
    assert not (tmp_path / "var" / "media").exists()

    archive = tmp_path / "backup.tar.zst"
    made = create_backup(
        archive, database=source.database, storage=default_storage, data_dir=source.root
    )
    assert made.files == 2

    target_bucket = f"{s3['environment']['AWS_STORAGE_BUCKET_NAME']}-restored"
    new_bucket({**s3["environment"], "AWS_STORAGE_BUCKET_NAME": target_bucket})
    target = _storage(s3, target_bucket)
    restored_root = tmp_path / "restored"
    restored_root.mkdir()
    restored_path = restored_root / "clientfolio.sqlite3"
    restored = restore_backup(
        archive,
        database=SqliteDatabase(restored_path),
        storage=target,
        data_dir=restored_root,
    )

    assert restored.files == 2
    assert all_files(target) == objects
    tables = ["clients_client", "clients_contact", "documents_documentversion"]
    assert all_rows(lambda: sqlite3.connect(restored_path), tables) == all_rows(
        source.connect, tables
    )
    # A second restore finds the bucket holding files and changes nothing.
    with pytest.raises(Refused):
        restore_backup(
            archive,
            database=SqliteDatabase(tmp_path / "again.sqlite3"),
            storage=target,
            data_dir=restored_root,
        )
    assert sorted(walk_storage(target)) == sorted(objects)
