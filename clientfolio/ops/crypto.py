"""Passphrase encryption of backup archives, as a stream (pure: no Django).

The archive is encrypted as it is written, in chunks, so a backup of any size needs
a few MiB of memory. The construction is the STREAM one of age and Tink (Hoang,
Reyhanitabar, Rogaway, Vizár, "Online authenticated-encryption and its nonce-reuse
misuse-resistance", 2015), with AES-256-GCM from PyCA's ``cryptography``:

- header (74 bytes): ``MAGIC`` (16), scrypt log2(N), r, p (1 byte each), salt (16),
  nonce prefix (7), HMAC-SHA256 of the preceding 42 bytes (32);
- scrypt(passphrase, salt, N, r, p) gives 64 bytes: the AES key and the HMAC key. The
  header's HMAC tells a wrong passphrase from a damaged file before any chunk is read;
- then chunks of ``CHUNK`` plaintext bytes (the last one shorter, possibly empty), each
  AES-GCM sealed with the nonce ``prefix || counter (4 bytes, big-endian) || last (1
  byte)`` and the header as associated data. A chunk moved, dropped, repeated or cut
  off, a file cut at a chunk boundary and bytes appended after the last chunk all fail
  to decrypt.

Why not age (pyrage)? age's format is the same idea and its ``age`` tool would open
our archives, but pyrage's passphrase mode encrypts a bytes object in memory only (its
streaming functions take x25519 or SSH recipients), and a backup may be gigabytes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

__all__ = [
    "CHUNK",
    "MAGIC",
    "DamagedError",
    "DecryptingReader",
    "EncryptingWriter",
    "WrongPassphraseError",
    "is_encrypted",
]

MAGIC = b"CLIENTFOLIO-ENC1"
CHUNK = 1 << 20  # 1 MiB of plaintext per chunk
TAG = 16
# scrypt with N = 2**17, r = 8, p = 1: 128 MiB and about half a second, as OWASP and
# age (2**18) advise for a file key. Decryption reads the parameters from the header
# and refuses more than 2**20 (1 GiB of memory) so a crafted file cannot exhaust it.
LOG_N, R, P = 17, 8, 1
MAX_LOG_N = 20
_PREFIX = MAGIC + b"\0\0\0" + b"\0" * 16 + b"\0" * 7
HEADER_SIZE = len(_PREFIX) + 32


class WrongPassphraseError(ValueError):
    """The passphrase does not open this archive (or its header is damaged)."""


class DamagedError(ValueError):
    """The encrypted archive was changed, cut short or extended after it was written."""


def is_encrypted(head: bytes) -> bool:
    """Whether a file starting with ``head`` is one of our encrypted archives."""
    return head.startswith(MAGIC)


def _keys(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=64, n=1 << log_n, r=r, p=p).derive(
        passphrase.encode("utf-8")
    )


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter:
    """A writable binary stream that encrypts into ``out``; ``close()`` writes the last
    chunk (and does not close ``out``)."""

    def __init__(self, out: BinaryIO, passphrase: str) -> None:
        if not passphrase:
            raise ValueError("empty passphrase")
        salt, self._prefix = os.urandom(16), os.urandom(7)
        keys = _keys(passphrase, salt, LOG_N, R, P)
        head = MAGIC + bytes([LOG_N, R, P]) + salt + self._prefix
        self._header = head + hmac.new(keys[32:], head, hashlib.sha256).digest()
        self._aead = AESGCM(keys[:32])
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self.closed = False
        out.write(self._header)

    def _seal(self, data: bytes, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._out.write(self._aead.encrypt(nonce, data, self._header))
        self._counter += 1
        if self._counter >= 1 << 32:
            raise OverflowError("archive too large for one stream")

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk is sealed as such in close().
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._out.flush()
            self.closed = True

    def __enter__(self) -> EncryptingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DecryptingReader:
    """A readable binary stream of the plaintext of an encrypted archive ``source``.

    Raises ``WrongPassphraseError`` at once if the passphrase does not open it, and
    ``DamagedError`` from ``read`` when a chunk does not authenticate or the stream ends
    before its last chunk."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        header = source.read(HEADER_SIZE)
        if len(header) != HEADER_SIZE or not is_encrypted(header):
            raise DamagedError("not an encrypted Clientfolio archive")
        log_n, r, p = header[16], header[17], header[18]
        if not (10 <= log_n <= MAX_LOG_N and 1 <= r <= 32 and 1 <= p <= 16):
            raise DamagedError("implausible key derivation parameters")
        salt, self._prefix = header[19:35], header[35:42]
        keys = _keys(passphrase, salt, log_n, r, p)
        expected = hmac.new(keys[32:], header[:-32], hashlib.sha256).digest()
        if not hmac.compare_digest(expected, header[-32:]):
            raise WrongPassphraseError("wrong passphrase")
        self._header = header
        self._aead = AESGCM(keys[:32])
        self._source = source
        self._counter = 0
        self._pending = source.read(CHUNK + TAG)
        self._plain = b""
        self._offset = 0
        self._finished = False
        self.closed = False

    def _next_chunk(self) -> None:
        sealed = self._pending
        self._pending = self._source.read(CHUNK + TAG)
        last = not self._pending
        if len(sealed) < TAG:
            raise DamagedError("the archive is cut short")
        try:
            self._plain = self._aead.decrypt(
                _nonce(self._prefix, self._counter, last), sealed, self._header
            )
        except InvalidTag:
            raise DamagedError(
                f"chunk {self._counter} was changed, moved or cut short"
            ) from None
        self._offset = 0
        self._counter += 1
        self._finished = last

    def read(self, size: int = -1) -> bytes:
        parts = []
        wanted = size if size >= 0 else float("inf")
        got = 0
        while got < wanted:
            if self._offset >= len(self._plain):
                if self._finished:
                    break
                self._next_chunk()
                continue
            take = int(min(wanted - got, len(self._plain) - self._offset))
            parts.append(self._plain[self._offset : self._offset + take])
            self._offset += take
            got += take
        return b"".join(parts)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True
