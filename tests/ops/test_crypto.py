"""The stream encryption of archives: what goes in comes out, at every chunk boundary;
a wrong passphrase is told apart from a damaged file; any change, cut or addition is
found."""

import io

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from clientfolio.ops import crypto

CHUNK = crypto.CHUNK


@pytest.fixture(autouse=True)
def _fast_key_derivation(monkeypatch):
    # The header records scrypt's cost, so a cheaper one still exercises the format.
    monkeypatch.setattr(crypto, "LOG_N", 10)


def _encrypt(
    data: bytes, passphrase: str = "正确的马 battery staple", *, pieces=1
) -> bytes:
    out = io.BytesIO()
    with crypto.EncryptingWriter(out, passphrase) as writer:
        step = max(1, len(data) // pieces)
        for start in range(0, len(data), step):
            writer.write(data[start : start + step])
    return out.getvalue()


def _decrypt(blob: bytes, passphrase: str = "正确的马 battery staple") -> bytes:
    reader = crypto.DecryptingReader(io.BytesIO(blob), passphrase)
    parts = []
    while block := reader.read(300_000):
        parts.append(block)
    return b"".join(parts)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7])
def test_what_is_encrypted_decrypts_to_the_same_bytes(size):
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    blob = _encrypt(data, pieces=3)
    assert crypto.is_encrypted(blob)
    if size >= 64:
        assert data[:64] not in blob
    assert _decrypt(blob) == data


@hypothesis_settings(max_examples=15)
@given(data=st.binary(max_size=3000), pieces=st.integers(min_value=1, max_value=7))
def test_any_bytes_written_in_any_pieces_round_trip(data, pieces):
    assert _decrypt(_encrypt(data, pieces=pieces)) == data


def test_the_default_key_derivation_round_trips(monkeypatch):
    monkeypatch.setattr(crypto, "LOG_N", 17)
    blob = _encrypt(b"backup")
    assert blob[16] == 17  # recorded in the header
    assert _decrypt(blob) == b"backup"


def test_a_wrong_passphrase_is_told_apart_from_damage():
    blob = _encrypt(b"secret rows" * 1000)
    with pytest.raises(crypto.WrongPassphraseError):
        crypto.DecryptingReader(io.BytesIO(blob), "wrong")


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1],  # cut short inside the last chunk
        lambda b: b[: crypto.HEADER_SIZE + CHUNK + crypto.TAG],  # cut at a boundary
        lambda b: b + b"\0" * 40,  # bytes appended
        lambda b: b[:200] + bytes([b[200] ^ 1]) + b[201:],  # one bit changed
        # chunks swapped
        lambda b: (
            b[: crypto.HEADER_SIZE]
            + b[
                crypto.HEADER_SIZE + CHUNK + crypto.TAG : crypto.HEADER_SIZE
                + 2 * (CHUNK + crypto.TAG)
            ]
            + b[crypto.HEADER_SIZE : crypto.HEADER_SIZE + CHUNK + crypto.TAG]
            + b[crypto.HEADER_SIZE + 2 * (CHUNK + crypto.TAG) :]
        ),
    ],
    ids=["truncated", "cut-at-boundary", "appended", "bit-flip", "swapped"],
)
def test_a_changed_or_cut_archive_does_not_decrypt(damage):
    blob = _encrypt(b"a" * (2 * CHUNK + 100))
    with pytest.raises(crypto.DamagedError):
        _decrypt(damage(blob))
