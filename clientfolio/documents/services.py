"""Writes of the document area: folders from the template, uploads (new documents and new
versions), visibility, trash, restore and purge, the download log and the orphan check.

Files go through Django's storage API. An upload is inspected while streamed in chunks
(size, SHA-256, type by content), written to storage, and only then is its database row
committed; when anything fails the written files are removed, so a failed upload leaves
neither a file nor a row.
"""

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.core.locking import save_versioned
from clientfolio.documents import filetypes
from clientfolio.documents.models import (
    Document,
    DocumentSettings,
    DocumentVersion,
    DownloadLog,
    Folder,
    FolderTemplate,
    version_upload_to,
)

__all__ = [
    "DocumentError",
    "Inspected",
    "attach_files",
    "template_folder",
    "create_folder",
    "delete_folder_template",
    "move_folder_template",
    "save_folder_template",
    "discard_files",
    "ensure_folders",
    "find_orphans",
    "inspect_upload",
    "purge_document",
    "record_download",
    "restore_document",
    "save_naming_rule",
    "set_visibility",
    "delete_orphans",
    "sweep_temporary_files",
    "trash_document",
    "update_document",
    "update_folder",
    "upload_documents",
    "upload_version",
]

CHUNK = 64 * 1024
# Files being copied into storage (see _store_in_place), and how old a file without a
# row must be before the orphan check deletes it: younger ones may be uploads whose
# rows are about to commit.
TEMPORARY_PREFIX = ".upload-"
TEMPORARY_SUFFIX = ".part"
ORPHAN_GRACE = timedelta(hours=6)
HEAD = 8192


class DocumentError(Exception):
    """Refused input: a message for the user, the field it concerns, and for a file name
    that breaks the naming rule, the name the rule asks for."""

    def __init__(self, message: str, field: str | None = None, suggested: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        self.suggested = suggested


@dataclass
class Inspected:
    """What streaming an upload told us about it."""

    name: str
    size: int
    sha256: str
    content_type: str
    extension: str
    file: Any = field(repr=False, default=None)


def _max_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_BYTES", 100 * 1024 * 1024))


def inspect_upload(upload: Any) -> Inspected:
    """Stream ``upload`` (a Django ``File``) once in chunks: its sanitised name, size and
    SHA-256, with its type checked by content against its extension. Never holds more
    than one chunk in memory. Raises ``DocumentError`` for an empty, oversized,
    executable, unknown or disguised file."""
    name = filetypes.sanitise_name(getattr(upload, "name", "") or "")
    extension = filetypes.extension_of(name)
    limit = _max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_big(name, limit)
    digest = hashlib.sha256()
    size = 0
    head = b""
    if hasattr(upload, "seek"):
        upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
        size += len(chunk)
        if size > limit:
            raise _too_big(name, limit)
        digest.update(chunk)
    if size == 0:
        raise DocumentError(_("%(name)s is empty.") % {"name": name}, "files")
    kind = filetypes.kind_of(head)
    if kind == "executable":
        raise DocumentError(
            _("%(name)s is a program or script; those cannot be uploaded.")
            % {"name": name},
            "files",
        )
    expected = filetypes.ALLOWED_EXTENSIONS.get(extension)
    if expected is None:
        raise DocumentError(
            _("%(name)s: files of this type cannot be uploaded. Allowed: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(filetypes.ALLOWED_EXTENSIONS))},
            "files",
        )
    if kind != expected:
        raise DocumentError(
            _(
                "%(name)s: the content is not what its extension .%(extension)s says; "
                "nothing was saved."
            )
            % {"name": name, "extension": extension},
            "files",
        )
    upload.seek(0)
    return Inspected(
        name=name,
        size=size,
        sha256=digest.hexdigest(),
        content_type=filetypes.content_type_for(name),
        extension=extension,
        file=upload,
    )


def _too_big(name: str, limit: int) -> DocumentError:
    return DocumentError(
        _("%(name)s is larger than the limit of %(limit)s MB.")
        % {"name": name, "limit": limit // (1024 * 1024)},
        "files",
    )


# --- folders -------------------------------------------------------------------------


def ensure_folders(project) -> None:
    """Give ``project`` its folders from the template the first time its documents are
    opened; a project that has any folder is left alone."""
    if Folder.objects.filter(project=project).exists():
        return
    with transaction.atomic():
        if Folder.objects.filter(project=project).exists():
            return
        for template in FolderTemplate.objects.all():
            Folder.objects.create(
                project=project, template=template, position=template.position
            )


def template_folder(project, name_en: str) -> Folder | None:
    """The project's folder made from the template folder named ``name_en`` in English
    (e.g. "Minutes", "Finance", "Acceptance"), or None if there is none (an
    administrator may have renamed or removed it); attachments then go to the root."""
    ensure_folders(project)
    return (
        Folder.objects.filter(project=project, template__name_en=name_en)
        .order_by("pk")
        .first()
    )


def _check_parent(folder: Folder, parent: Folder | None) -> None:
    if parent is None:
        return
    if parent.project_id != folder.project_id:
        raise DocumentError(_("Choose a folder of this project."), "parent")
    node: Folder | None = parent
    seen = set()
    while node is not None and node.pk not in seen:
        if folder.pk is not None and node.pk == folder.pk:
            raise DocumentError(
                _("A folder cannot be moved into itself or one of its subfolders."),
                "parent",
            )
        seen.add(node.pk)
        node = node.parent


def create_folder(project, name: str, parent: Folder | None = None) -> Folder:
    """A new folder named ``name`` at the end of ``parent`` (or of the top level)."""
    folder = Folder(project=project, parent=parent, name=name.strip())
    if not folder.name:
        raise DocumentError(_("Give the folder a name."), "name")
    _check_parent(folder, parent)
    last = Folder.objects.filter(project=project, parent=parent).aggregate(
        last=Max("position")
    )["last"]
    folder.position = (last or 0) + 1
    folder.save()
    return folder


def update_folder(
    folder: Folder, expected_version: int | None, *, name: str, parent: Folder | None
) -> Folder:
    """Rename and/or move ``folder``; refuses a move into its own subtree or another
    project. Raises ``StaleVersion`` when someone changed it meanwhile."""
    if not name.strip():
        raise DocumentError(_("Give the folder a name."), "name")
    _check_parent(folder, parent)
    name = name.strip()
    template = folder.template
    # Keep a template folder bilingual while its name is the template's.
    if template is not None and name in (template.name_zh, template.name_en):
        name = ""
    folder.name = name
    folder.parent = parent
    return save_versioned(folder, expected_version)


# --- the folder template (administrators) --------------------------------------------


def save_folder_template(
    template: FolderTemplate, *, name_zh: str, name_en: str
) -> FolderTemplate:
    """Add (no pk, at the end) or rename a template folder. Projects' folders made from
    it show the new name unless someone renamed them in the project. Raises
    ``DocumentError`` for a missing name."""
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if not name_zh:
        raise DocumentError(_("Give the folder a Chinese name."), "name_zh")
    if not name_en:
        raise DocumentError(_("Give the folder an English name."), "name_en")
    template.name_zh, template.name_en = name_zh, name_en
    with transaction.atomic():
        if template.pk is None:
            last = FolderTemplate.objects.aggregate(last=Max("position"))["last"]
            template.position = (last if last is not None else -1) + 1
        template.save()
    return template


def move_folder_template(template: FolderTemplate, offset: int) -> None:
    """Move a template folder ``offset`` places up (negative) or down the list; the
    positions are renumbered 0, 1, 2… in the new order."""
    with transaction.atomic():
        rows = list(
            FolderTemplate.objects.select_for_update().order_by("position", "id")
        )
        index = next(i for i, row in enumerate(rows) if row.pk == template.pk)
        target = max(0, min(len(rows) - 1, index + offset))
        rows.insert(target, rows.pop(index))
        for position, row in enumerate(rows):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])


def delete_folder_template(template: FolderTemplate) -> int:
    """Remove a folder from the template: new projects no longer get it. Projects that
    already have it keep their folder (and its documents), named with the template's
    name in the default language. Returns how many project folders were kept."""
    default = settings.LANGUAGE_CODE.startswith("zh")
    with transaction.atomic():
        kept = Folder.objects.filter(template=template).count()
        Folder.objects.filter(template=template, name="").update(
            name=template.name_zh if default else template.name_en,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        template.delete()
    return kept


# --- uploads -------------------------------------------------------------------------


def naming_rule_of(project) -> str:
    settings_row = DocumentSettings.objects.filter(project=project).first()
    return settings_row.naming_rule if settings_row else ""


def save_naming_rule(project, rule: str) -> DocumentSettings:
    unknown = filetypes.naming_rule_errors(rule)
    if unknown:
        raise DocumentError(
            _("Unknown placeholders: %(names)s. Use %(known)s.")
            % {
                "names": ", ".join(unknown),
                "known": ", ".join(
                    "{" + p + "}" for p in filetypes.NAMING_PLACEHOLDERS
                ),
            },
            "naming_rule",
        )
    row, _created = DocumentSettings.objects.get_or_create(project=project)
    row.naming_rule = rule.strip()
    row.save()
    return row


def _check_name(
    rule: str, project, inspected: Inspected, *, category: str, title: str, number: int
) -> str:
    """The document title after checking the file name against the project's rule (the
    title may come from the file name). Raises ``DocumentError`` with a suggestion."""
    stem = inspected.name.rpartition(".")[0] or inspected.name
    if not rule:
        return title or stem
    values = {
        "project_code": project.code,
        "category": category,
        "title": title,
        "version": str(number),
    }
    ok, found = filetypes.match_naming_rule(rule, stem, values)
    if ok:
        return title or found.get("title", stem)
    suggested = filetypes.suggest_name(
        rule, {**values, "title": title or stem}, inspected.extension
    )
    raise DocumentError(
        _(
            "%(name)s does not follow the project's naming rule %(rule)s. "
            "Rename it, for example to %(suggested)s."
        )
        % {"name": inspected.name, "rule": rule, "suggested": suggested},
        "files",
        suggested=suggested,
    )


def _store(project, inspected: Inspected, storage: Storage) -> str:
    probe = DocumentVersion(document=Document(project=project))
    name = version_upload_to(probe, inspected.name)
    if isinstance(storage, FileSystemStorage):
        return _store_in_place(storage, name, inspected.file)
    # Object stores (S3) make an upload visible only once it is complete.
    return storage.save(name, inspected.file)


def _store_in_place(storage: FileSystemStorage, name: str, content: Any) -> str:
    """Copy ``content`` to a temporary file beside its final place, then link it into
    place under a free name, which it returns. A failure mid-copy leaves no partial file
    under a version's name; the temporary file is removed here, or (after a crash) by
    ``sweep_temporary_files``."""
    name = storage.generate_filename(name)
    directory = os.path.dirname(storage.path(name))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=directory
    )
    try:
        with os.fdopen(handle, "wb") as target:
            if hasattr(content, "seek"):
                content.seek(0)
            for chunk in content.chunks(CHUNK):
                target.write(chunk)
        os.chmod(temporary, storage.file_permissions_mode or 0o644)
        while True:
            name = storage.get_available_name(name)
            try:
                os.link(temporary, storage.path(name))  # never replaces a file
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system
                os.replace(temporary, storage.path(name))
            return name
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _refresh_search_text(document: Document, names: list[str]) -> None:
    document.search_text = " ".join([document.title, document.notes, *names]).lower()


def _add_version(
    document: Document, inspected: Inspected, stored: str, *, user, note: str
) -> DocumentVersion:
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        file=stored,
        original_name=inspected.name,
        size=inspected.size,
        sha256=inspected.sha256,
        content_type=inspected.content_type,
        uploaded_by=user,
        note=note.strip(),
    )
    version.save()
    names = list(document.versions.values_list("original_name", flat=True))
    document.current_version = version
    _refresh_search_text(document, names)
    return version


def _remove(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - reported by the orphan check instead
            pass


def upload_documents(
    project,
    files: list[Any],
    *,
    user,
    folder: Folder | None = None,
    title: str = "",
    category: str = "",
    notes: str = "",
    visibility: str = Document.Visibility.INTERNAL,
    note: str = "",
    storage: Storage | None = None,
) -> list[Document]:
    """One new document per file, each with version 1; all or nothing. ``title`` names
    the document when one file is uploaded (else each takes its file's name). Returns
    the documents; raises ``DocumentError`` and stores nothing when any file is refused."""
    storage = storage or default_storage
    if not files:
        raise DocumentError(_("Choose at least one file."), "files")
    if folder is not None and folder.project_id != project.pk:
        raise DocumentError(_("Choose a folder of this project."), "folder")
    rule = naming_rule_of(project)
    checked = []
    for upload in files:
        inspected = inspect_upload(upload)
        doc_title = _check_name(
            rule,
            project,
            inspected,
            category=category,
            title=title.strip() if len(files) == 1 else "",
            number=1,
        )
        checked.append((inspected, doc_title[:200]))
    stored: list[str] = []
    try:
        # Files first, outside the transaction, so the database is not locked while a
        # large file is written; the rows commit only once every file is in storage.
        for inspected, _title in checked:
            stored.append(_store(project, inspected, storage))
        with transaction.atomic():
            documents = []
            for (inspected, doc_title), name in zip(checked, stored, strict=True):
                document = Document(
                    project=project,
                    folder=folder,
                    title=doc_title,
                    category=category.strip(),
                    notes=notes,
                    visibility=visibility,
                    created_by=user,
                )
                _refresh_search_text(document, [])
                document.save()
                _add_version(document, inspected, name, user=user, note=note)
                document.save(update_fields=["current_version", "search_text"])
                documents.append(document)
    except BaseException:
        _remove(storage, stored)
        raise
    return documents


def attach_files(
    project,
    files: list[Any],
    *,
    user,
    folder_name_en: str,
    note: str = "",
    storage: Storage | None = None,
) -> list[Document]:
    """Store files attached to another record (a minute, an expense's receipt, a signed
    acceptance) as documents of the project, in the template folder ``folder_name_en``.
    Same checks as any upload, all or nothing; raises ``DocumentError``."""
    folder = template_folder(project, folder_name_en)
    return upload_documents(
        project, files, user=user, folder=folder, note=note, storage=storage
    )


def discard_files(documents: list[Document], storage: Storage | None = None) -> None:
    """Remove the stored files of ``documents`` whose rows were rolled back with the
    caller's transaction (e.g. attachments of a record that could not be saved), so no
    file is left without a row."""
    storage = storage or default_storage
    names = [
        d.current_version.file.name
        for d in documents
        if d.current_version is not None and d.current_version.file
    ]
    _remove(storage, names)


def upload_version(
    document: Document,
    upload: Any,
    *,
    user,
    note: str = "",
    storage: Storage | None = None,
) -> DocumentVersion:
    """A new version of ``document`` from ``upload``, with its note. Raises
    ``DocumentError`` (nothing stored) when the file is refused."""
    storage = storage or default_storage
    if document.is_trashed:
        raise DocumentError(_("Restore the document from the trash first."), "files")
    inspected = inspect_upload(upload)
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    _check_name(
        naming_rule_of(document.project),
        document.project,
        inspected,
        category=document.category,
        title=document.title,
        number=number,
    )
    stored = _store(document.project, inspected, storage)
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            version = _add_version(locked, inspected, stored, user=user, note=note)
            Document.objects.filter(pk=locked.pk).update(
                current_version=version,
                search_text=locked.search_text,
                updated_at=timezone.now(),
            )
    except BaseException:
        _remove(storage, [stored])
        raise
    document.current_version = version
    document.search_text = locked.search_text
    return version


# --- changes, trash ------------------------------------------------------------------


def update_document(
    document: Document, expected_version: int | None, **changes: Any
) -> Document:
    """Change the title, category, notes, folder or visibility of ``document``.
    Raises ``StaleVersion`` when the stored row moved on."""
    folder = changes.get("folder", document.folder)
    if folder is not None and folder.project_id != document.project_id:
        raise DocumentError(_("Choose a folder of this project."), "folder")
    for name, value in changes.items():
        setattr(document, name, value)
    names = list(document.versions.values_list("original_name", flat=True))
    _refresh_search_text(document, names)
    return save_versioned(document, expected_version)


def set_visibility(
    document: Document, visibility: str, expected_version: int | None = None
) -> Document:
    """Share ``document`` with the client or make it internal again."""
    if visibility not in Document.Visibility.values:
        raise DocumentError(_("Choose a valid visibility."), "visibility")
    document.visibility = visibility
    return save_versioned(document, expected_version, fields=["visibility"])


def trash_document(document: Document) -> Document:
    """Move ``document`` to the trash (restorable); its files stay."""
    document.deleted_at = timezone.now()
    return save_versioned(document, None, fields=["deleted_at"])


def restore_document(document: Document) -> Document:
    document.deleted_at = None
    return save_versioned(document, None, fields=["deleted_at"])


def purge_document(document: Document, *, storage: Storage | None = None) -> None:
    """Destroy a trashed ``document``, its versions and their files. The files go once
    the rows are deleted, so a failed purge keeps both."""
    storage = storage or default_storage
    if not document.is_trashed:
        raise DocumentError(_("Move the document to the trash before purging it."))
    names = [n for n in document.versions.values_list("file", flat=True) if n]
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(current_version=None)
        document.delete()
        transaction.on_commit(lambda: _remove(storage, names))


def record_download(
    version: DocumentVersion, user, ip: str | None, *, preview: bool = False
) -> DownloadLog:
    return DownloadLog.objects.create(
        version=version,
        user=user if getattr(user, "is_authenticated", False) else None,
        ip=ip or None,
        is_preview=preview,
    )


# --- orphans -------------------------------------------------------------------------


def _walk(storage: Storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def _is_temporary(name: str) -> bool:
    base = name.rpartition("/")[2]
    return base.startswith(TEMPORARY_PREFIX) and base.endswith(TEMPORARY_SUFFIX)


def find_orphans(storage: Storage | None = None) -> tuple[list[str], list[int]]:
    """Files under ``documents/`` in storage that no version row names, and the ids of
    version rows whose file is missing from storage. Raises ``NotImplementedError`` when
    the storage backend cannot list files (a report of "no orphans" would be untrue)."""
    storage = storage or default_storage
    known = set(DocumentVersion.objects.values_list("file", flat=True))
    stray = sorted(
        name
        for name in _walk(storage, "documents")
        if name not in known and not _is_temporary(name)
    )
    missing = [
        pk
        for pk, name in DocumentVersion.objects.values_list("pk", "file").iterator()
        if not name or not storage.exists(name)
    ]
    return stray, missing


def sweep_temporary_files(
    now: datetime, storage: Storage | None = None, older_than: timedelta = ORPHAN_GRACE
) -> list[str]:
    """Delete the temporary files of copies into storage that a crash interrupted
    (older than ``older_than`` at ``now``: younger ones may still be copying). Returns
    their names."""
    storage = storage or default_storage
    swept = [
        name
        for name in _walk(storage, "documents")
        if _is_temporary(name) and storage.get_modified_time(name) < now - older_than
    ]
    _remove(storage, swept)
    return swept


def delete_orphans(
    now: datetime, storage: Storage | None = None, older_than: timedelta = ORPHAN_GRACE
) -> tuple[list[str], list[str]]:
    """Delete the files that no version row names and that are older than
    ``older_than`` at ``now``, with stale temporary files. Returns the names deleted
    and the names kept because they are recent (an upload's rows may be about to
    commit). Rows whose file is missing are never deleted: they are the history of a
    document, and the file may come back from a backup."""
    storage = storage or default_storage
    stray, _missing = find_orphans(storage)
    cutoff = now - older_than
    old = [name for name in stray if storage.get_modified_time(name) < cutoff]
    recent = [name for name in stray if name not in set(old)]
    _remove(storage, old)
    return sorted(old + sweep_temporary_files(now, storage, older_than)), recent
