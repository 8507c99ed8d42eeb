"""Driving the embedded Qt Virtual Keyboard's panel as a citizen does, for the probes that
run under a real X server (vkb_probe.py, vkb_typing.py, vkb_sizes.py) and
scripts/screenshots_keyboard.py: a window with the panel, its QML items, taps on them,
waiting on the event loop.

Importing this module selects the X server and the virtual keyboard's input method, so it
must come before any QApplication exists.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from kiosk.ui.keyboard import VirtualKeyboard, prepare_env

os.environ["QT_QPA_PLATFORM"] = "xcb"
prepare_env()

from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402
from PySide6.QtQuickWidgets import QQuickWidget  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget  # noqa: E402


def window_with_panel(*hints: Qt.InputMethodHint) -> tuple[QWidget, list[QLineEdit],
                                                             VirtualKeyboard, QQuickWidget]:
    """A shown 1280×800 window: a line edit for each of ``hints`` at the top, the embedded
    panel at the bottom (hidden until a field wants text). Makes the QApplication."""
    QApplication.instance() or QApplication(sys.argv[:1])
    window = QWidget()
    layout = QVBoxLayout(window)
    edits = []
    for hint in hints:
        edits.append(QLineEdit(window))
        edits[-1].setInputMethodHints(hint)
        layout.addWidget(edits[-1])
    layout.addStretch(1)
    keyboard = VirtualKeyboard()
    panel = keyboard.build(window)
    assert isinstance(panel, QQuickWidget)
    layout.addWidget(panel)
    window.resize(1280, 800)
    window.show()
    wait(lambda: panel.rootObject() is not None)
    window.activateWindow()
    wait(window.isActiveWindow, 3.0)
    return window, edits, keyboard, panel


def wait(condition: Callable[[], object], seconds: float = 10.0) -> bool:
    """Run the event loop until ``condition()`` holds (True) or the time is up (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if condition():
            return True
        time.sleep(0.03)
    return False


def items(item: QQuickItem) -> list[QQuickItem]:
    """Every item below ``item``, depth first."""
    found = []
    for child in item.childItems():
        found += [child, *items(child)]
    return found


def keys(panel: QQuickWidget) -> dict[str, QQuickItem]:
    """The keys in sight that have a label, by label."""
    return {k.property("text"): k for k in items(panel.rootObject())
            if k.property("key") is not None and k.isVisible() and k.property("text")}


def tap(panel: QQuickWidget, item: QQuickItem) -> None:
    """A tap at the centre of ``item``, through the panel's widget as a touch would come."""
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    QTest.mouseClick(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(centre.x()), round(centre.y())))
    QApplication.processEvents()


def candidates(panel: QQuickWidget) -> list[QQuickItem]:
    """The word candidates offered above the keys, in the list's order (their x within it;
    the list may still be scrolling back to its start after the previous word)."""
    view = panel.rootObject().findChild(QQuickItem, "wordCandidateView")
    shown = [i for i in items(view) if i.property("text") and i.isVisible()]
    return sorted(shown, key=lambda i: i.mapToItem(view, QPointF(0, 0)).x()
                  + view.property("contentX"))
