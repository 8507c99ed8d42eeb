"""Qt enum properties written by name (what the first screen does instead of using the Qt
namespace, kiosk.ui.qt_names)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel


def test_names_and_joined_flags_are_written_and_unknown_ones_refused(qtbot: Any) -> None:
    """An enum property takes a key name, a flags property names joined by ``|``; a name Qt
    does not know raises instead of being ignored."""
    from PySide6.QtCore import Qt

    from kiosk.ui.qt_names import UnknownName, set_by_name

    label = QLabel()
    qtbot.addWidget(label)
    set_by_name(label, "focusPolicy", "NoFocus")
    set_by_name(label, "alignment", "AlignRight|AlignBottom")
    assert label.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert label.alignment() == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
    with pytest.raises(UnknownName):
        set_by_name(label, "focusPolicy", "NoFocusAtAll")
    assert label.focusPolicy() == Qt.FocusPolicy.NoFocus
