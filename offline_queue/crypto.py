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

from offline_queue.errors import KeyPermissionError, StorageError
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
            raise StorageError(f"encrypted data for {aad} does not match this terminal's key "
                               "(wrong key or tampered storage)") from exc


def _check_private(path: Path, allowed: int) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~allowed:
        raise KeyPermissionError(
            f"{path} has permissions {mode:o}, readable by others; the outbox key must be "
            f"owner-only: run `chmod {allowed:o} {path}` (and check who could have copied it)")


def load_or_create_key(data_dir: Path) -> Sealer:
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_private(keys, 0o700)
    path = keys / KEY_NAME
    if not path.exists():
        write_durably(path, AESGCM.generate_key(bit_length=256))
    _check_private(path, 0o600)
    try:
        key = path.read_bytes()
    except PermissionError as exc:
        raise KeyPermissionError(f"cannot read the outbox key {path}: {exc.strerror}") from exc
    if len(key) != 32:
        raise KeyPermissionError(f"{path} is not a 256-bit key ({len(key)} bytes); restore it "
                                 "from backup or re-install the terminal")
    return Sealer(key)
