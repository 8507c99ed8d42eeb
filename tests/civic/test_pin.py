"""PIN hashing: a stored PIN verifies, anything else does not."""

from __future__ import annotations

import pytest

from civic.pin import hash_pin, verify_pin


def test_a_hashed_pin_verifies_and_another_does_not() -> None:
    """The PIN that was hashed matches its stored form; a different PIN does not."""
    stored = hash_pin("135790")
    assert stored.startswith("scrypt$")
    assert verify_pin("135790", stored)
    assert not verify_pin("135791", stored)


def test_each_hash_has_its_own_salt() -> None:
    """Two hashes of one PIN differ (fresh salt), and a given salt gives the same hash."""
    assert hash_pin("1234") != hash_pin("1234")
    assert hash_pin("1234", salt=b"s" * 16) == hash_pin("1234", salt=b"s" * 16)


@pytest.mark.parametrize("stored", ["", "plain", "bcrypt$1$2$3$00$00", "scrypt$x$8$1$00$00",
                                    "scrypt$16384$8$1$zz$00"])
def test_a_damaged_stored_form_never_matches(stored: str) -> None:
    """A stored value that is not an scrypt hash this module wrote never verifies."""
    assert not verify_pin("1234", stored)
