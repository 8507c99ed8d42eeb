"""The Qt binding we run on does not corrupt the interpreter."""

from __future__ import annotations

import sys


def test_methods_returning_none_keep_nones_reference_count() -> None:
    """PySide6 6.12.0 on Python 3.11 lost a reference to None per call and then aborted the
    kiosk; a long-running terminal must never run on such a binding."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(1000):
        point.setX(1.0)
    assert sys.getrefcount(None) >= before - 10
