"""The sandbox's record-signing key: Ed25519, made at first start, kept in its data dir.

The private key lives in one owner-only file (PKCS #8 PEM, ``record-signing.pem``) and is
never served, logged or put in a repr: only :attr:`SigningKey.public` leaves this module,
as ``GET /v1/keys`` publishes it. The key's id is derived from its public half, so a data
dir whose key was replaced names a new key and terminals refetch the list. ``not_after`` is
the file's creation time plus :data:`KEY_LIFE`, so it does not move across restarts.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from central.clock import rfc3339
from central.files import tighten, write_private
from civic import records

KEY_FILE: Final = "record-signing.pem"
KEY_LIFE: Final = dt.timedelta(days=5 * 365)


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    not_after: dt.datetime
    _private: Ed25519PrivateKey = field(repr=False, compare=False)

    @property
    def public(self) -> dict[str, Any]:
        """The key as ``GET /v1/keys`` lists it."""
        raw = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return {"key_id": self.key_id, "alg": records.ALG,
                "public_key": base64.b64encode(raw).decode("ascii"),
                "not_after": rfc3339(self.not_after)}

    def sign(self, document: dict[str, Any]) -> dict[str, Any]:
        """``document`` with its signature (``civic.records``: the one canonical form)."""
        return records.sign_document(document, self._private, self.key_id)


def load_or_create(data_dir: Path) -> SigningKey:
    """The data dir's key, made (owner-only) when there is none yet."""
    path = data_dir / KEY_FILE
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        # another sandbox on this dir may have made it first: then theirs is used
        with contextlib.suppress(FileExistsError):
            write_private(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                  NoEncryption()))
    tighten(path)
    private = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise RuntimeError(f"{path} does not hold an Ed25519 key")
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    made = dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.UTC)
    return SigningKey("sandbox-" + hashlib.sha256(raw).hexdigest()[:16], made + KEY_LIFE,
                      private)
