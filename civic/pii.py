"""Personal data that cannot reach a log, a repr or a file by accident.

``Personal`` wraps a name, an address or an ID number: its ``str``, ``repr`` and format
forms are masked, and only :meth:`Personal.reveal` gives the real text, so revealing is
always a deliberate, greppable act. The maskers (``mask_name``, ``mask_address``,
``mask_id_number``) and :func:`redact_text` (every ID number in a free text) serve the
terminal's logs, audit trail and speech, and the sandbox platform's agent work lists alike.
"""

from __future__ import annotations

import re
from typing import Final

from civic.gb11643 import mask as mask_id_number

__all__ = ["Personal", "mask_address", "mask_id_number", "mask_name", "redact_text"]


def mask_name(name: str) -> str:
    """张三丰 → 张**; 'SMITH JOHN' → 'S*********'."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_address(address: str) -> str:
    """Keep the first six characters (province and city), mask the rest."""
    return address[:6] + "*" * max(0, min(len(address) - 6, 8)) if address else ""


_MASKERS = {"id_number": mask_id_number, "name": mask_name, "address": mask_address}


class Personal:
    """A personal field whose text form is masked. Compare and hash by the real value."""

    __slots__ = ("_kind", "_value")

    def __init__(self, value: str, kind: str = "name") -> None:
        if kind not in _MASKERS:
            raise ValueError(f"unknown personal field kind {kind!r}")
        self._value = value
        self._kind = kind

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        return _MASKERS[self._kind](self._value)

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"Personal({self.masked()!r})"

    def __format__(self, spec: str) -> str:
        return format(self.masked(), spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Personal):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> None:  # type: ignore[override]
        # Pickling would write the real value somewhere we do not control.
        raise TypeError("Personal values are not picklable")


# Resident and residence-permit numbers (18 characters, or legacy 15 digits) and 2017
# foreign permanent-resident numbers (3 letters + 12 digits). Chinese characters count as
# word characters, so explicit look-arounds replace \b: "张三110101..." must match too.
_ID_PATTERN: Final = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|[A-Z]{3}\d{12})(?![0-9A-Za-z])"
)


def redact_text(text: str) -> str:
    """Mask every ID number that appears anywhere in ``text``."""
    return _ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
