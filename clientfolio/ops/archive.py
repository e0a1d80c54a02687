"""The backup archive: one tar stream, compressed (zstd or gzip), optionally encrypted.

Members, in this order:

- ``manifest.json``: format, when, the versions of Clientfolio, Django, Python and the
  database, the applied migrations per app, the row count of every table and the size
  and SHA-256 of the database snapshot;
- the database snapshot (``database/clientfolio.sqlite3`` or ``database/clientfolio.pgdump``);
- ``secret_key``: the data folder's generated key, when there is one (signed links and
  sessions use it);
- ``media/<name>``: every file of the file storage (uploads, generated exports);
- ``files.json``: the name, size and SHA-256 of every file, written last because each
  file is read only once, while it is added.

The database is copied before the files are listed: a file is written before its row
commits, so every file the snapshot names is in the archive (plus perhaps a few newer
ones, harmless orphans).

Reading (verify and restore) is one pass over the stream; ``ArchiveReader`` checks every
member's size and hash against the manifest and refuses anything unexpected.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

import zstandard
from django.utils.translation import gettext as _

from clientfolio.ops import crypto

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ArchiveError",
    "ArchiveReader",
    "ArchiveWriter",
    "Member",
    "sha256_file",
]

FORMAT = "clientfolio-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_INDEX = "files.json"
SECRET_KEY = "secret_key"
MEDIA_PREFIX = "media/"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
GZIP_MAGIC = b"\x1f\x8b"
READ_SIZE = 1 << 20


class ArchiveError(Exception):
    """The archive is damaged, was changed, or is not a Clientfolio backup."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while block := source.read(READ_SIZE):
            digest.update(block)
    return digest.hexdigest()


class _HashingReader:
    """Reads exactly ``size`` bytes of ``source`` for tarfile, hashing them."""

    def __init__(self, source: IO[bytes], size: int) -> None:
        self.source = source
        self.left = size
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.left:
            size = self.left
        data = self.source.read(size)
        self.left -= len(data)
        self.digest.update(data)
        return data


class _CountingWriter:
    """Counts (and hashes) the bytes that reach the archive file."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.size = 0
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.size += len(data)
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        self.out.flush()


class ArchiveWriter:
    """Writes an archive to ``out``: ``add_json``, ``add_file``, ``add_stream``, then
    ``close()``. ``size`` and ``sha256`` describe the file written, once closed."""

    def __init__(
        self, out: BinaryIO, *, compression: str = "zstd", passphrase: str = ""
    ) -> None:
        self._counting = _CountingWriter(out)
        self._encrypting: crypto.EncryptingWriter | None = None
        sink: Any = self._counting
        if passphrase:
            self._encrypting = crypto.EncryptingWriter(sink, passphrase)  # type: ignore[arg-type]
            sink = self._encrypting
        if compression == "zstd":
            self._compressing: Any = zstandard.ZstdCompressor(
                level=3, write_checksum=True
            ).stream_writer(sink, closefd=False)
        elif compression == "gzip":
            self._compressing = gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6)
        else:
            raise ValueError(f"unknown compression {compression!r}")
        self._tar = tarfile.open(
            fileobj=self._compressing, mode="w|", format=tarfile.PAX_FORMAT
        )
        self._now = time.time()

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(self._now)
        info.mode = 0o600
        return info

    def add_json(self, name: str, data: Any) -> None:
        raw = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()
        self._tar.addfile(self._info(name, len(raw)), io.BytesIO(raw))

    def add_bytes(self, name: str, data: bytes) -> None:
        self._tar.addfile(self._info(name, len(data)), io.BytesIO(data))

    def add_stream(self, name: str, source: IO[bytes], size: int) -> str:
        """Add ``size`` bytes of ``source``; returns their SHA-256."""
        reader = _HashingReader(source, size)
        self._tar.addfile(self._info(name, size), reader)  # type: ignore[arg-type]
        if reader.left:
            raise ArchiveError(f"{name} became shorter while it was read")
        return reader.digest.hexdigest()

    def close(self) -> None:
        self._tar.close()
        self._compressing.close()
        if self._encrypting is not None:
            self._encrypting.close()
        self._counting.flush()

    @property
    def size(self) -> int:
        return self._counting.size

    @property
    def sha256(self) -> str:
        return self._counting.digest.hexdigest()


class _Peek:
    """A stream whose first bytes can be looked at before it is read."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.head = source.read(8)

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0:
                data, self.head = self.head + self.source.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            if len(data) < size:
                data += self.source.read(size - len(data))
            return data
        return self.source.read(size)

    def readable(self) -> bool:
        return True


@dataclass
class Member:
    """A member read from an archive: its name and a stream of its bytes."""

    name: str
    size: int
    stream: IO[bytes]


@dataclass
class ArchiveReader:
    """Reads an archive in one pass, checking it against its manifest.

    ``members()`` yields the database snapshot, the secret key and each file in turn
    (read each ``stream`` to its end or not at all); afterwards ``problems`` lists every
    way in which the archive differs from its manifest (empty when it is whole), and
    ``files`` the name, size and SHA-256 of every file as read."""

    path: Path
    passphrase: str = ""
    manifest: dict[str, Any] = field(default_factory=dict)
    index: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[int, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    encrypted: bool = False
    compression: str = ""

    def _open(self, raw: BinaryIO) -> Any:
        head = raw.read(len(crypto.MAGIC))
        raw.seek(0)
        stream: Any = raw
        if crypto.is_encrypted(head):
            self.encrypted = True
            if not self.passphrase:
                raise crypto.WrongPassphraseError("no passphrase")
            stream = crypto.DecryptingReader(raw, self.passphrase)
        peek: Any = _Peek(stream)
        if peek.head.startswith(ZSTD_MAGIC):
            self.compression = "zstd"
            return zstandard.ZstdDecompressor().stream_reader(peek, closefd=False)
        if peek.head.startswith(GZIP_MAGIC):
            self.compression = "gzip"
            return gzip.GzipFile(fileobj=peek, mode="rb")
        raise ArchiveError(_("This is not a Clientfolio backup archive."))

    def open_manifest(self, raw: BinaryIO) -> tuple[Any, Any]:
        """Open the stream and read the manifest; returns the tar and the stream."""
        try:
            decompressed = self._open(raw)
            tar = tarfile.open(fileobj=decompressed, mode="r|")
            first = tar.next()
        except (tarfile.TarError, zstandard.ZstdError, OSError, EOFError) as error:
            raise ArchiveError(
                _("The archive cannot be read: %(error)s") % {"error": error}
            ) from error
        if first is None or first.name != MANIFEST:
            raise ArchiveError(_("This is not a Clientfolio backup archive."))
        manifest_file = tar.extractfile(first)
        assert manifest_file is not None
        try:
            self.manifest = json.loads(manifest_file.read())
        except ValueError as error:
            raise ArchiveError(_("The manifest is damaged.")) from error
        if self.manifest.get("format") != FORMAT:
            raise ArchiveError(_("This is not a Clientfolio backup archive."))
        if self.manifest.get("format_version", 0) > FORMAT_VERSION:
            raise ArchiveError(
                _(
                    "This archive was written in a newer format (%(version)s); "
                    "use the Clientfolio version that wrote it."
                )
                % {"version": self.manifest.get("format_version")}
            )
        return tar, decompressed

    def members(self, tar: Any) -> Iterator[Member]:
        database = self.manifest.get("database") or {}
        seen_database = False
        try:
            for position, info in enumerate(tar):
                if position == 0:
                    continue  # the manifest, read by open_manifest
                if not info.isfile() or _unsafe(info.name):
                    self.problems.append(
                        _("Unexpected entry %(name)s.") % {"name": info.name}
                    )
                    continue
                extracted = tar.extractfile(info)
                assert extracted is not None
                hashing = _HashingReader(extracted, info.size)
                if info.name == FILES_INDEX:
                    self.index = json.loads(hashing.read())
                    continue
                if info.name == database.get("member"):
                    seen_database = True
                elif info.name != SECRET_KEY and not info.name.startswith(MEDIA_PREFIX):
                    self.problems.append(
                        _("Unexpected entry %(name)s.") % {"name": info.name}
                    )
                    continue
                yield Member(info.name, info.size, hashing)  # type: ignore[arg-type]
                while hashing.read(READ_SIZE):
                    pass  # what the caller did not read
                digest = hashing.digest.hexdigest()
                if info.name == database.get("member"):
                    if digest != database.get("sha256") or info.size != database.get(
                        "size"
                    ):
                        self.problems.append(
                            _("The database snapshot does not match its SHA-256.")
                        )
                elif info.name.startswith(MEDIA_PREFIX):
                    self.files[info.name.removeprefix(MEDIA_PREFIX)] = (
                        info.size,
                        digest,
                    )
        except (
            tarfile.TarError,
            zstandard.ZstdError,
            OSError,
            EOFError,
            ValueError,
        ) as error:
            if isinstance(error, crypto.DamagedError):
                message = _("The encrypted archive was changed or cut short.")
            else:
                message = _("The archive is damaged or cut short: %(error)s") % {
                    "error": error
                }
            self.problems.append(message)
            return
        if not seen_database:
            self.problems.append(_("The database snapshot is missing."))
        self._compare_files()

    def _compare_files(self) -> None:
        if not self.index:
            self.problems.append(_("The list of files (files.json) is missing."))
            return
        expected = {
            entry["name"]: (entry["size"], entry["sha256"])
            for entry in self.index.get("files", [])
        }
        for name in sorted(expected.keys() - self.files.keys()):
            self.problems.append(_("File %(name)s is missing.") % {"name": name})
        for name in sorted(self.files.keys() - expected.keys()):
            self.problems.append(
                _("File %(name)s is not in the list of files.") % {"name": name}
            )
        for name in sorted(expected.keys() & self.files.keys()):
            if expected[name] != self.files[name]:
                self.problems.append(
                    _("File %(name)s does not match its SHA-256.") % {"name": name}
                )


def _unsafe(name: str) -> bool:
    """A member name that would write outside its place (a crafted archive)."""
    return name.startswith("/") or ".." in name.split("/") or "\\" in name


def walk_storage(storage: Any, top: str = "") -> Iterator[str]:
    """Every file name in a Django storage, sorted, folders depth first; in an S3
    bucket (django-storages' S3Storage) sorted by key."""
    if hasattr(storage, "bucket_name") and hasattr(storage, "connection"):
        yield from _walk_bucket(storage, top)
        return
    try:
        folders, files = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for folder in sorted(folders):
        yield from walk_storage(storage, f"{top}/{folder}" if top else folder)


def _walk_bucket(storage: Any, top: str) -> Iterator[str]:
    """The keys under the storage's location in one paginated sweep, 1,000 keys a
    request, where ``listdir`` would cost a request per folder (one per document
    version). S3 lists keys in ascending order."""
    root = storage._normalize_name("").rstrip("/")
    root = f"{root}/" if root else ""
    prefix = f"{root}{top.strip('/')}/" if top.strip("/") else root
    pages = storage.connection.meta.client.get_paginator("list_objects_v2").paginate(
        Bucket=storage.bucket_name, Prefix=prefix
    )
    for page in pages:
        for entry in page.get("Contents", ()):
            if not entry["Key"].endswith("/"):  # a folder marker, not a file
                yield entry["Key"][len(root) :]


def copy_stream(source: IO[bytes], write: Callable[[bytes], Any]) -> None:
    while block := source.read(READ_SIZE):
        write(block)
