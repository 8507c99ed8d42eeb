"""PIN hashing for the technician PIN and agents' sign-in (slow, salted scrypt).

The terminal checks PINs offline against the hash it holds; the sandbox platform stores and
checks agents' PINs the same way, so both use this one definition of the stored form
``scrypt$<n>$<r>$<p>$<salt hex>$<digest hex>``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# scrypt with n=2**14, r=8 costs about 50 ms and 16 MB: slow enough that guessing a 6-digit
# PIN from a stolen disk takes hours, fast enough for one sign-in.
_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The stored form of ``pin``, under a fresh random salt unless one is given."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored``; a damaged or foreign stored form never matches."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n),
                                r=int(r), p=int(p), dklen=len(digest_hex) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)
