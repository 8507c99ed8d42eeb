"""Run under a real X server by test_keyboard.py: pinyin typed on the embedded panel.

Taps the panel's own keys (QTest mouse clicks on the QQuickWidget at each key's centre),
n-i-h-a-o, then the first word candidate, once into an ordinary line edit and once into
one marked like every form field (``kiosk.ui.fields.SENSITIVE``). Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "xcb"

from kiosk.ui.keyboard import VirtualKeyboard, prepare_env

prepare_env()
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget  # noqa: E402

from kiosk.ui.fields import SENSITIVE  # noqa: E402

app = QApplication(sys.argv[:1])
window = QWidget()
layout = QVBoxLayout(window)
plain, sensitive = QLineEdit(window), QLineEdit(window)
sensitive.setInputMethodHints(SENSITIVE)
layout.addWidget(plain)
layout.addWidget(sensitive)
keyboard = VirtualKeyboard()
panel = keyboard.build(window)
assert panel is not None
layout.addWidget(panel)
window.resize(1280, 800)
window.show()


def wait(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.03)
    return False


def items(item: QQuickItem) -> list[QQuickItem]:
    found = []
    for child in item.childItems():
        found += [child, *items(child)]
    return found


def tap(item: QQuickItem) -> None:
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    QTest.mouseClick(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(centre.x()), round(centre.y())))
    app.processEvents()


def type_pinyin(edit: QLineEdit, letters: str) -> dict:
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)       # a tap on the field
    shown = wait(lambda: QGuiApplication.inputMethod().isVisible())
    root = panel.rootObject()
    keys = {k.property("text"): k for k in items(root)
            if k.property("key") is not None and k.isVisible() and k.property("text")}
    sizes.extend((k.width(), k.height()) for k in keys.values())
    view = root.findChild(QQuickItem, "wordCandidateView")
    candidates: list[QQuickItem] = []

    def listed() -> list[str]:
        # the delegates in model order (their x within the list), the first one scrolled into
        # view: the list keeps its scroll position from the previous word for a moment
        shown = [i for i in items(view) if i.property("text") and i.isVisible()]
        candidates[:] = sorted(shown, key=lambda i: i.mapToItem(view, QPointF(0, 0)).x()
                               + view.property("contentX"))
        return [i.property("text") for i in candidates]

    seen: list[tuple[float, float]] = []

    def settled() -> bool:
        # in view, and at the same place for a few polls: the list animates back to its
        # start after the previous word, and a tap during that lands beside the word
        if not listed() or candidates[0].mapToItem(view, QPointF(0, 0)).x() < 0:
            return False
        at = candidates[0].mapToScene(QPointF(0, 0))
        seen.append((at.x(), at.y()))
        return len(seen) >= 4 and len(set(seen[-4:])) == 1
    before = listed()
    for letter in letters:
        tap(keys[letter])
    wait(lambda: bool(listed()) and listed() != before, 5)   # the list for what was typed
    wait(settled, 5)
    first = candidates[0]
    offered = first.property("text")
    tap(first)
    wait(lambda: bool(edit.text()), 5)
    hints = QGuiApplication.inputMethod().queryFocusObject(Qt.InputMethodQuery.ImHints, None)
    return {"shown": shown, "first_candidate": offered, "text": edit.text(),
            "hints_seen": int(hints) if hints is not None else None}


sizes: list[tuple[float, float]] = []
root_ready = wait(lambda: panel.rootObject() is not None)
window.activateWindow()
wait(window.isActiveWindow, 3.0)
result = {"root": root_ready, "errors": [e.toString() for e in panel.errors()],
          "plain": type_pinyin(plain, "nihao"), "sensitive": type_pinyin(sensitive, "nihao"),
          "sensitive_hints": int(SENSITIVE.value),
          "smallest_key": [min(w for w, _ in sizes), min(h for _, h in sizes)]}
app.processEvents()
result["learned"] = [str(p) for p in keyboard.learned_files()]
keyboard.close()
print(json.dumps(result, ensure_ascii=False))
