"""Per-terminal AES-GCM key for personal data at rest.

The key lives in ``<data-dir>/keys/outbox.key`` (directory 0700, file 0600). A key that
others can read is refused: a copied or mis-permissioned key would make the encryption
pointless. Associated data binds every ciphertext to the row or blob that holds it, so a
ciphertext moved to another row fails to decrypt instead of showing someone else's data.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from offline_queue.errors import KeyPermissionError, UnreadableRecordError
from offline_queue.files import write_durably

KEY_NAME = "outbox.key"
NONCE_LEN = 12
#: a sealed text is this much longer than the plain one: the nonce and GCM's 16-byte tag
SEAL_OVERHEAD = NONCE_LEN + 16


class Sealer:
    """Encrypts and decrypts with one key; ``aad`` names what the bytes belong to."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plain: bytes, aad: str) -> bytes:
        nonce = os.urandom(NONCE_LEN)
        return nonce + self._aead.encrypt(nonce, plain, aad.encode())

    def open(self, sealed: bytes, aad: str) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_LEN], sealed[NONCE_LEN:], aad.encode())
        except InvalidTag as exc:
            raise UnreadableRecordError(aad, "it does not open with this terminal's key "
                                        "(damaged storage, or another key)") from exc


def _check_private(path: Path, allowed: int) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~allowed:
        raise KeyPermissionError(
            f"{path} has permissions {mode:o}, readable by others; the outbox key must be "
            f"owner-only: run `chmod {allowed:o} {path}` (and check who could have copied it)")


def key_path(data_dir: Path) -> Path:
    return data_dir / "keys" / KEY_NAME


def create_key(data_dir: Path) -> None:
    """A new random key. Only for a queue that holds nothing sealed: the caller decides."""
    keys = key_path(data_dir).parent
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_private(keys, 0o700)
    write_durably(key_path(data_dir), AESGCM.generate_key(bit_length=256))


def load_key(data_dir: Path) -> Sealer:
    """The existing key (see :func:`create_key`); refused when others could read it."""
    path = key_path(data_dir)
    _check_private(path.parent, 0o700)
    _check_private(path, 0o600)
    try:
        key = path.read_bytes()
    except PermissionError as exc:
        raise KeyPermissionError(f"cannot read the outbox key {path}: {exc.strerror}") from exc
    if len(key) != 32:
        raise KeyPermissionError(f"{path} is not a 256-bit key ({len(key)} bytes); restore it "
                                 "from backup or re-install the terminal")
    return Sealer(key)


def load_or_create_key(data_dir: Path) -> Sealer:
    """For stores of their own (the agent's vault) that have nothing to lose with a new key."""
    if not key_path(data_dir).exists():
        create_key(data_dir)
    return load_key(data_dir)
