"""No orphans after a crash: a copy into storage that fails midway leaves neither a
partial file nor a temporary one, and ``documents-orphans --delete`` removes the files
without a row that it reports (old enough to be sure), never a row."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from clientfolio.documents import services
from clientfolio.documents.models import Document, DocumentVersion
from tests.documents.factories import PDF, DocumentFactory, upload


class _CrashingUpload(File):
    """A large upload whose second read (the copy into storage, after the inspection)
    fails after its first chunk, as when the disk fills or the worker is stopped."""

    reads = 0

    def chunks(self, chunk_size=None):
        self.reads += 1
        for number, chunk in enumerate(super().chunks(chunk_size)):
            if self.reads > 1 and number == 1:
                raise OSError("No space left on device")
            yield chunk


def _files(root):
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def test_a_crash_while_copying_leaves_no_partial_and_no_temporary_file(
    project, project_manager, media_root
):
    # given a 1 MB PDF whose copy into storage fails after its first chunk
    crashing = _CrashingUpload(io.BytesIO(PDF + b"\0" * (1024 * 1024)), "大文件.pdf")

    # when it is uploaded, then the error comes through
    with pytest.raises(OSError, match="No space left"):
        services.upload_documents(project, [crashing], user=project_manager)

    # and nothing is left behind: no row, no file under any name
    assert not Document.objects.exists()
    assert _files(media_root) == []


def test_an_upload_is_stored_under_its_name_with_the_usual_permissions(
    project, project_manager
):
    (document,) = services.upload_documents(
        project, [upload("方案.pdf")], user=project_manager
    )
    stored = document.current_version.file
    assert stored.name.endswith("/方案.pdf")
    assert default_storage.open(stored.name).read() == PDF
    assert os.stat(default_storage.path(stored.name)).st_mode & 0o777 == 0o644


def _age(name, hours):
    stamp = time.time() - hours * 3600
    os.utime(default_storage.path(name), (stamp, stamp))


def test_delete_removes_old_orphans_and_temporary_files_and_reports_them(
    project, media_root, capsys
):
    # given a document, a row whose file is gone, an old and a fresh file without a
    # row, and the temporary file of a copy that a crash interrupted
    kept = DocumentFactory(project=project)
    lost = DocumentFactory(project=project)
    default_storage.delete(lost.current_version.file.name)
    old = default_storage.save("documents/999/a/old.pdf", upload("old.pdf"))
    fresh = default_storage.save("documents/999/b/fresh.pdf", upload("fresh.pdf"))
    partial = default_storage.save(
        "documents/999/c/.upload-x1y2.part", upload("x.part")
    )
    _age(old, 7)
    _age(partial, 7)
    _age(fresh, 0)  # the file system's clock is not the test's (CLOCK_SHIFT_DAYS)

    # when the orphan check deletes
    with pytest.raises(CommandError, match="1 orphaned files, 1 versions"):
        call_command("documents_orphans", "--delete")
    out = capsys.readouterr().out

    # then the old orphan and the temporary file are gone and reported
    assert f"deleted: {old}" in out
    assert f"deleted: {partial}" in out
    assert "2 files deleted." in out
    assert not default_storage.exists(old)
    assert not default_storage.exists(partial)
    # the fresh one is kept (its upload may be about to commit) and still reported
    assert f"kept, too recent to be sure it is an orphan: {fresh}" in out
    assert default_storage.exists(fresh)
    # the row without a file is reported, never deleted; the good one is untouched
    assert f"version {lost.current_version.pk}: file missing" in out
    assert DocumentVersion.objects.filter(pk=lost.current_version.pk).exists()
    assert default_storage.exists(kept.current_version.file.name)


def test_without_delete_the_check_changes_nothing(project, media_root, capsys):
    old = default_storage.save("documents/999/a/old.pdf", upload("old.pdf"))
    _age(old, 48)

    with pytest.raises(CommandError):
        call_command("documents_orphans")

    assert default_storage.exists(old)
    assert "deleted" not in capsys.readouterr().out


def test_the_sweep_spares_a_copy_in_progress(media_root):
    partial = default_storage.save("documents/1/x/.upload-ab.part", upload("x.part"))
    modified = default_storage.get_modified_time(partial)

    assert services.sweep_temporary_files(modified + timedelta(hours=1)) == []
    assert services.sweep_temporary_files(modified + timedelta(hours=7)) == [partial]
    assert not default_storage.exists(partial)
