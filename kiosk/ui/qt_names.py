"""Qt enum and flag values set by their names, for what is built before the first frame.

The first use of PySide6's ``Qt`` namespace makes PySide6 build the Python enums of the
whole namespace (93 enums, about 1,200 members: ~25 ms on the kiosk), which would delay
the attract screen (bench/startup.py). The few enum properties that the window and its
first screen need are therefore written by name through Qt's property system, which turns
the names into values in C++; the code that runs after the first frame uses ``Qt``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


class UnknownName(ValueError):
    """The property or one of its names does not exist (Qt would ignore the write)."""


def set_by_name(obj: QObject, prop: str, names: str) -> None:
    """Write the enum or flags property ``prop`` of ``obj`` from its key names, flags joined
    by ``|``: ``set_by_name(label, "alignment", "AlignCenter")``."""
    if not obj.setProperty(prop, names):
        raise UnknownName(f"{type(obj).__name__}.{prop} = {names!r}")
